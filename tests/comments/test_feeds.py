import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments import moderation_actions
from comments.models import Comment
from tests.builders import make_comment, make_post, make_user
from tests.page_parts import parsed_feed
from tests.seed.conftest import seed  # noqa: F401 (the seed content, for one test)

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org"
FORMATS = ["feed", "feed-atom"]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.BLOG_SITE_URL = SITE


def bodies(feed):
    return sorted(entry.summary for entry in feed.entries)


def post_feed(post, suffix="feed"):
    return reverse(f"comments:post-comments-{suffix}", kwargs={"slug": post.slug})


@pytest.fixture
def thread(post):
    """An approved comment and reply on `post`, and three the public never sees."""
    first = make_comment(post=post, body="First, approved.")
    make_comment(parent=first, body="A reply, approved.")
    make_comment(post=post, body="Held.", status=Comment.Status.PENDING)
    make_comment(post=post, body="Spam.", status=Comment.Status.SPAM)
    make_comment(post=post, body="Removed.", status=Comment.Status.REMOVED)
    return post


@pytest.mark.parametrize("suffix", FORMATS)
def test_post_comments_feed_lists_only_its_approved_comments(client, thread, suffix):
    make_comment(body="On another post.")

    feed = parsed_feed(client, post_feed(thread, suffix))

    assert bodies(feed) == ["<p>A reply, approved.</p>", "<p>First, approved.</p>"]


def test_post_comments_feed_links_each_comment_on_the_configured_site(client, thread):
    first = Comment.objects.get(body="First, approved.")

    feed = parsed_feed(client, post_feed(thread))

    entry = next(e for e in feed.entries if e.summary == "<p>First, approved.</p>")
    assert entry.link == f"{SITE}{thread.get_absolute_url()}#comment-{first.pk}"
    assert entry.author == first.display_name
    assert entry.title == f"{first.display_name} on {thread.title}"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Post.Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
    ],
)
def test_comments_feed_of_a_post_not_yet_public_is_not_found(client, fields):
    post = make_post(**fields)
    make_comment(post=post)

    assert client.get(post_feed(post)).status_code == 404


@pytest.mark.parametrize("suffix", FORMATS)
def test_site_comments_feed_lists_approved_comments_on_public_posts(
    client, thread, suffix
):
    make_comment(post=make_post(status=Post.Status.DRAFT), body="On a draft.")
    scheduled = make_post(published_at=timezone.now() + datetime.timedelta(days=1))
    make_comment(post=scheduled, body="On a scheduled post.")
    make_comment(body="On another post.")

    feed = parsed_feed(client, reverse(f"comments:comment-{suffix}"))

    assert bodies(feed) == [
        "<p>A reply, approved.</p>",
        "<p>First, approved.</p>",
        "<p>On another post.</p>",
    ]


@pytest.mark.usefixtures("seed")
def test_seed_threads_comments_feed_has_its_seven_comments(client):
    post = Post.objects.filter(comments__isnull=False).distinct().get()

    feed = parsed_feed(client, post_feed(post))

    assert len(feed.entries) == 7
    assert {entry.link for entry in feed.entries} == {
        f"{SITE}{post.get_absolute_url()}#comment-{pk}"
        for pk in post.comments.values_list("pk", flat=True)
    }


def test_post_page_advertises_its_comments_feeds(client, post):
    html = client.get(post.get_absolute_url()).text

    title = f"Comments on {post.title}"
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="{title}" '
        f'href="{SITE}{post_feed(post)}">'
    ) in html
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="{title} (Atom)" '
        f'href="{SITE}{post_feed(post, "feed-atom")}">'
    ) in html


def test_preview_of_a_draft_advertises_no_comments_feed(editor_client):
    draft = make_post(status=Post.Status.DRAFT)

    html = editor_client.get(draft.get_absolute_url()).text

    assert post_feed(draft) not in html


def every_feed(post):
    """(address, queries to answer 304) of every comments feed."""
    return [
        *((post_feed(post, suffix), 1) for suffix in FORMATS),
        *((reverse(f"comments:comment-{suffix}"), 1) for suffix in FORMATS),
    ]


def test_feeds_answer_a_reader_who_has_them_with_not_modified(
    client, thread, django_assert_num_queries
):
    for url, queries in every_feed(thread):
        first = client.get(url)

        with django_assert_num_queries(queries):
            by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
        with django_assert_num_queries(queries):
            by_date = client.get(
                url, headers={"if-modified-since": first["Last-Modified"]}
            )

        assert by_etag.status_code == by_date.status_code == 304, url
        assert by_etag.content == by_date.content == b""


def status_after(client, url, change):
    """The status of a request for `url` as of before `change()`, after it."""
    before = client.get(url)["ETag"]
    change()
    return client.get(url, headers={"if-none-match": before}).status_code


@pytest.mark.parametrize("site_wide", [False, True])
def test_an_approved_comment_changes_the_feeds(client, thread, site_wide):
    held = Comment.objects.get(body="Held.")
    url = reverse("comments:comment-feed") if site_wide else post_feed(thread)

    def approve():
        moderation_actions.comment_approve(comment=held)

    assert status_after(client, url, approve) == 200


@pytest.mark.parametrize("site_wide", [False, True])
def test_an_edited_comment_changes_the_feeds(client, thread, site_wide):
    first = Comment.objects.get(body="First, approved.")
    url = reverse("comments:comment-feed") if site_wide else post_feed(thread)

    def edit():
        moderation_actions.comment_edit(comment=first, body="First, reconsidered.")

    assert status_after(client, url, edit) == 200


@pytest.mark.parametrize("site_wide", [False, True])
def test_a_commenters_new_name_changes_the_feeds(client, post, site_wide):
    user = make_user(display_name="Ada")
    make_comment(post=post, user=user, author_name="", author_email="")
    url = reverse("comments:comment-feed") if site_wide else post_feed(post)

    def rename():
        user.display_name = "Ada Lovelace"
        user.save()

    assert status_after(client, url, rename) == 200
    assert "Ada Lovelace on" in client.get(url).text


def test_comments_feeds_stay_cheap_with_many_comments(
    client, post, django_assert_num_queries
):
    for n in range(60):
        make_comment(post=post, user=make_user() if n % 2 else None)

    # The post with its discussion, then the comments with their accounts;
    # 60 threads make two comment pages, so the links read the threads' ids,
    # once (then cached).
    with django_assert_num_queries(3):
        post_comments = client.get(post_feed(post))
    # The versions, then the comments with their posts and accounts.
    with django_assert_num_queries(2):
        every_comment = client.get(reverse("comments:comment-feed"))

    for response in (post_comments, every_comment):
        feed = feedparser.parse(response.content)
        assert not feed.bozo
        assert len(feed.entries) == 50
