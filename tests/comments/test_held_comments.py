"""
A comment held for a moderator is shown to the session that wrote it, where
it will stand once approved, and to no one else.
"""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.test import Client

from blog.models import Post
from comments import moderation_actions
from comments.models import Comment
from comments.threads import thread_cache_key
from tests.builders import make_comment

pytestmark = pytest.mark.django_db

VOID_TAGS = {"area", "base", "br", "col", "hr", "img", "input", "link", "meta"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()


class PageTree(HTMLParser):
    """The page's elements, each with its parent, and the ones with an id."""

    def __init__(self, html):
        super().__init__()
        self.root = self.current = Element("document", {}, None)
        self.by_id = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if "id" in element.attrs:
            self.by_id[element.attrs["id"]] = element
        if tag not in VOID_TAGS:
            self.current = element

    def handle_endtag(self, tag):
        element = self.current
        while element is not self.root and element.tag != tag:
            element = element.parent
        if element is not self.root:
            self.current = element.parent


def replies_of(tree, comment):
    """The ids of the comments listed as replies under `comment`."""
    item = tree.by_id[f"comment-{comment.pk}"]
    lists = [child for child in item.children if "comment-children" in child.classes]
    return [reply.attrs["id"] for replies in lists for reply in replies.children]


@pytest.fixture
def parent(post):
    return make_comment(post=post, author_name="Mark Rogers", body="Dear Brendan.")


def held_reply(client, post, send_comment, parent, body="Thank you both."):
    send_comment(client, post, parent=parent.pk, body=body)
    reply = Comment.objects.get(body=body)
    assert reply.status == Comment.Status.PENDING  # a guest's first comment
    return reply


def test_held_reply_is_shown_to_its_writer_among_its_parents_replies(
    client, post, send_comment, parent
):
    reply = held_reply(client, post, send_comment, parent)

    page = client.get(post.get_absolute_url()).text

    tree = PageTree(page)
    assert replies_of(tree, parent) == [f"comment-{reply.pk}"]
    item = tree.by_id[f"comment-{reply.pk}"]
    assert "comment-held" in item.classes
    shown = page[page.index(f'id="comment-{reply.pk}"') :]
    assert shown.index("Your comment is awaiting moderation.") < shown.index(
        "Thank you both."
    )
    # Nothing of the reply stands before the thread any more.
    assert page.index('class="comment-list"') < page.index("Thank you both.")
    assert 'class="comments-held"' not in page


def test_held_reply_is_hidden_from_other_visitors(client, post, send_comment, parent):
    held_reply(client, post, send_comment, parent)
    client.get(post.get_absolute_url())  # the writer's page, first

    page = Client().get(post.get_absolute_url()).text

    assert "Thank you both." not in page
    assert "awaiting moderation" not in page
    assert replies_of(PageTree(page), parent) == []


def test_writers_page_leaves_the_shared_thread_free_of_held_comments(
    client, post, send_comment, parent
):
    held_reply(client, post, send_comment, parent)
    cache.clear()

    client.get(post.get_absolute_url())

    post = Post.objects.for_page().get(pk=post.pk)
    key = thread_cache_key(post)
    assert "Thank you both." not in (cache.get(key) or b"").decode()


def test_held_reply_under_a_removed_comment_keeps_its_place_under_a_placeholder(
    client, post, send_comment, parent
):
    reply = held_reply(client, post, send_comment, parent)
    moderation_actions.comment_remove(comment=parent)

    page = client.get(post.get_absolute_url()).text

    tree = PageTree(page)
    assert "comment-removed" in tree.by_id[f"comment-{parent.pk}"].classes
    assert "Dear Brendan." not in page
    assert replies_of(tree, parent) == [f"comment-{reply.pk}"]


def test_held_comment_takes_no_number_from_the_comments_after_it(
    client, post, send_comment, parent
):
    send_comment(client, post, body="My own thoughts.")
    make_comment(post=post, body="A later comment.")

    page = client.get(post.get_absolute_url()).text

    numbers = [
        line.partition("</span>")[0] for line in page.split("comment-number")[1:]
    ]
    assert numbers == ['">1.', '">2.']
    assert "My own thoughts." in page


def test_approved_reply_shows_once_and_unmarked_to_its_writer(
    client, post, send_comment, parent
):
    reply = held_reply(client, post, send_comment, parent)
    moderation_actions.comment_approve(comment=reply)

    page = client.get(post.get_absolute_url()).text

    assert page.count("Thank you both.") == 1
    assert "awaiting moderation" not in page
    assert replies_of(PageTree(page), parent) == [f"comment-{reply.pk}"]


@pytest.mark.parametrize("size", [3, 60])
def test_held_comments_cost_the_same_queries_however_long_the_thread(
    client, post, send_comment, parent, django_assert_num_queries, size
):
    for _ in range(size):
        make_comment(parent=parent)
    held_reply(client, post, send_comment, parent)
    client.get(post.get_absolute_url())

    # The session, the post, which held comments are still waiting, the thread.
    with django_assert_num_queries(4):
        page = client.get(post.get_absolute_url()).text

    assert "Thank you both." in page
