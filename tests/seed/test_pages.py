import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.timezone import localtime
from taggit.models import Tag

from accounts.models import User
from blog.models import Category, Post, Publication
from comments.models import Comment

pytestmark = pytest.mark.django_db


def archive_urls():
    """Every archive page the seed content implies, with the posts it should list."""
    posts = Post.objects.all()
    pages = {}
    for category in Category.objects.all():
        pages[category.get_absolute_url()] = posts.filter(categories=category)
    for tag in Tag.objects.all():
        url = reverse("blog:tag-archive", args=[tag.slug])
        pages[url] = posts.filter(tags=tag)
    for author in User.objects.filter(posts__isnull=False).distinct():
        url = reverse("blog:author-archive", args=[author.username])
        pages[url] = posts.filter(author=author)
    for publication in Publication.objects.all():
        pages[publication.get_absolute_url()] = posts.filter(
            first_appeared_in=publication
        )
    for post in posts:
        date = localtime(post.published_at)
        for url in (
            reverse("blog:archive-year", args=[date.year]),
            reverse("blog:archive-month", args=[date.year, date.month]),
        ):
            pages.setdefault(url, Post.objects.none())
            pages[url] = pages[url] | posts.filter(pk=post.pk)
    return pages


SUMMARY_TITLE = re.compile(
    r'<article class="post-summary">\s*<h2><a href="[^"]+">([^<]+)</a>'
)


def listed_titles(response):
    """The titles of the posts a list page shows, in its order."""
    assert response.status_code == 200
    return [html.unescape(title) for title in SUMMARY_TITLE.findall(response.text)]


def test_home_page_lists_every_seed_post(seed, client):
    titles = listed_titles(client.get(reverse("blog:post-list")))

    assert titles == list(
        Post.objects.order_by("-published_at").values_list("title", flat=True)
    )
    assert len(titles) == 9


def test_every_seed_post_page_renders(seed, client):
    for post in Post.objects.all():
        response = client.get(post.get_absolute_url())

        assert response.status_code == 200, post.title
        assert f"<h1>{html.escape(post.title, quote=False)}</h1>" in response.text


def test_every_archive_the_seed_implies_lists_its_posts(seed, client):
    pages = archive_urls()
    assert len(pages) == 22  # 7 by subject, 6 years, 9 months

    for url, expected in pages.items():
        titles = listed_titles(client.get(url))

        assert sorted(titles) == sorted(post.title for post in expected), url


def test_category_archive_keeps_the_source_archive_order(seed, client):
    response = client.get(reverse("blog:category-archive", args=["articles"]))

    assert listed_titles(response) == [
        "“Long ago life was clean.”",
        "This intervention is about rehabilitation",
        "Facing up to the post Paris challenges",
    ]
    assert "Mark Rogers articles published elsewhere." in response.text


def test_tag_archive_lists_the_tagged_posts_newest_first(seed, client):
    response = client.get(reverse("blog:tag-archive", args=["childrens-services"]))

    assert listed_titles(response) == [
        "Inspiration, and getting things done",
        "Digitisation, and the Children’s Services Ofsted",
        "Conducting a Peer Challenge in Gloucestershire",
        "Meeting with Staffordshire MPs, and continuing the success of Building "
        "Resilient Families and Communities",
        "Improving children’s services",
    ]


class ThreadParser(HTMLParser):
    """
    The comments of a page in reading order, each with the comment whose
    <ol class="comment-children"> holds it (None for the top level).
    """

    def __init__(self):
        super().__init__()
        self.open = []  # the <ol> and <li> elements we are inside
        self.comments = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ol":
            self.open.append(("ol", attrs.get("class", "")))
        elif tag == "li":
            comment_id = attrs.get("id", "").removeprefix("comment-")
            if comment_id.isdigit():
                self.comments.append((int(comment_id), self.replied_to()))
            self.open.append(("li", comment_id))

    def handle_endtag(self, tag):
        if tag in {"ol", "li"}:
            assert self.open.pop()[0] == tag

    def replied_to(self):
        """
        The comment whose replies list we are in, if any: the nearest above,
        past the item of "n more replies" that folds some of them.
        """
        if len(self.open) < 2 or self.open[-1] != ("ol", "comment-children"):
            return None
        return next(
            int(value) for tag, value in reversed(self.open) if tag == "li" and value
        )


def test_thread_on_the_post_page_nests_as_in_the_source(seed, client):
    post = Post.objects.get(title="This intervention is about rehabilitation")
    parser = ThreadParser()

    parser.feed(client.get(post.get_absolute_url()).text)

    comments = {c.pk: c for c in Comment.objects.select_related("user")}

    def label(pk):
        comment = comments[pk]
        return f"{comment.display_name}: {comment.body.splitlines()[0][:20]}"

    shape = [
        (label(pk), label(parent) if parent else None) for pk, parent in parser.comments
    ]
    # Three to six are side by side under the second (fixtures/README.md).
    assert shape == [
        ("Brendan: Mr Rogers,", None),
        ("Mark Rogers: Dear Brendan", "Brendan: Mr Rogers,"),
        ("Brendan: Dear Mark,", "Mark Rogers: Dear Brendan"),
        ("Mark Rogers: Brendan", "Mark Rogers: Dear Brendan"),
        ("Brendan: Dear Mark,", "Mark Rogers: Dear Brendan"),
        ("Anonymous: Dear Brendan,", "Mark Rogers: Dear Brendan"),
        ("Anonymous: Really well written ", None),
    ]
