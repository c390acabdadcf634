"""
The header menu and the footer's lists every page shows: what they hold, that
they follow changes at once, and that they cost a fixed number of queries.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import MenuItem, Post
from comments.models import Comment
from comments.moderation_actions import comment_approve
from tests.builders import (
    make_category,
    make_comment,
    make_menu_item,
    make_page,
    make_post,
)
from tests.page_parts import NAVIGATION_QUERIES

pytestmark = pytest.mark.django_db


def menu(client, url="/"):
    """The header menu's entries, as (label, address)."""
    html = client.get(url).text
    nav = re.search(r'<nav class="site-menu".*?</nav>', html, re.S)
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav[0]) if nav else []


def footer(client, url="/"):
    html = client.get(url).text
    return html[html.index('<footer class="site-footer">') :]


def section(html, heading):
    """The text of the footer's list under `heading`, one line per entry."""
    match = re.search(rf">{heading}</h2>\s*<ul[^>]*>(.*?)</ul>", html, re.S)
    assert match, f"No {heading} section in the footer."
    items = re.findall(r"<li>(.*?)</li>", match[1], re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_until_an_editor_arranges_it_the_menu_has_home_pages_and_categories(client):
    make_page(title="About", slug="about")
    make_page(title="Team", slug="team", parent=make_page(slug="company"))
    make_page(title="Secret", slug="secret", status=Post.Status.DRAFT)
    articles = make_category(name="Articles", slug="articles")
    make_category(name="Empty", slug="empty")
    make_post(categories=[articles])

    entries = menu(client)

    assert ("/", "Home") == entries[0]
    assert ("/about/", "About") in entries
    assert ("/category/articles/", "Articles") in entries
    labels = [label for _, label in entries]
    assert "Team" not in labels and "Secret" not in labels and "Empty" not in labels


def test_the_menu_an_editor_arranges_replaces_the_default_in_its_order(
    client, editor_client
):
    about = make_page(title="About", slug="about")
    draft = make_page(title="Coming soon", status=Post.Status.DRAFT)
    articles = make_category(name="Articles", slug="articles")
    add = reverse("admin:blog_menuitem_add")
    editor_client.post(add, {"category": articles.pk, "order": 2, "label": ""})
    editor_client.post(add, {"page": about.pk, "order": 1, "label": "Who we are"})
    editor_client.post(
        add, {"url": "https://example.org/", "label": "Elsewhere", "order": 0}
    )
    make_menu_item(page=draft, order=4)

    assert menu(Client()) == [
        ("https://example.org/", "Elsewhere"),
        ("/about/", "Who we are"),
        ("/category/articles/", "Articles"),
    ]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"label": "Nothing"}, "Choose one of a page, a category or a link."),
        ({"url": "javascript:alert(1)", "label": "Run"}, "Give an address on this"),
        ({"url": "//evil.example/", "label": "Run"}, "Give an address on this"),
        ({"url": "/2016/"}, "A link needs a label."),
    ],
)
def test_a_menu_entry_needs_one_safe_target(editor_client, fields, problem):
    response = editor_client.post(
        reverse("admin:blog_menuitem_add"), {"order": 0, **fields}
    )

    assert problem in response.text
    assert not MenuItem.objects.exists()


def test_the_footer_counts_each_categorys_public_posts(client):
    articles = make_category(name="Articles")
    blog = make_category(name="Blog")
    make_post(categories=[articles])
    make_post(categories=[articles, blog])
    make_post(categories=[blog], status=Post.Status.DRAFT)
    make_post(
        categories=[blog], published_at=timezone.now() + datetime.timedelta(days=1)
    )

    assert section(footer(client), "Categories") == ["Articles (2)", "Blog (1)"]


def test_the_footer_lists_the_months_with_posts_newest_first(client):
    for day in ["2016-01-21", "2016-01-28", "2019-12-02"]:
        moment = datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00")
        make_post(published_at=moment)

    html = footer(client)

    assert section(html, "Archives") == ["December 2019 (1)", "January 2016 (2)"]
    assert '<a href="/2016/1/">January 2016</a>' in html


def test_the_footer_lists_recent_posts_and_recent_approved_comments(client):
    old = make_post(title="Old post", published_at=timezone.now() - _days(9))
    new = make_post(title="New post")
    make_comment(post=old, author_name="Ada", body="Approved.")
    make_comment(post=new, author_name="Spammer", status=Comment.Status.SPAM)

    html = footer(client)

    assert section(html, "Recent posts") == ["New post", "Old post"]
    assert section(html, "Recent comments") == ["Ada on Old post"]


def test_the_tag_cloud_sizes_tags_by_their_public_posts(client):
    for _ in range(4):
        make_post(tags=["ofsted"])
    make_post(tags=["budgets"])
    make_post(tags=["drafts only"], status=Post.Status.DRAFT)

    html = footer(client)

    assert section(html, "Tags") == ["budgets (1 post)", "ofsted (4 posts)"]
    assert 'class="tag-size-5" rel="tag">ofsted' in html
    assert 'class="tag-size-1" rel="tag">budgets' in html


def test_the_footer_links_the_feeds_on_the_configured_site(client, settings):
    settings.BLOG_SITE_URL = "https://blog.example.org"

    html = footer(client)

    assert '<a href="https://blog.example.org/feed/">' in html
    assert '<a href="https://blog.example.org/feed/atom/">' in html


def test_a_newly_published_post_and_a_new_menu_entry_show_at_once(
    client, editor_client
):
    make_post(title="First post")
    footer(client)
    draft = make_post(title="Second post", status=Post.Status.DRAFT)

    Post.objects.filter(pk=draft.pk).publish()
    make_menu_item(url="/2016/", label="2016")

    assert section(footer(client), "Recent posts")[0] == "Second post"
    assert ("/2016/", "2016") in menu(client)


def test_a_comment_approved_shows_at_once_in_recent_comments(client):
    comment = make_comment(author_name="Ada", status=Comment.Status.PENDING)
    assert "Recent comments" not in footer(client)

    comment_approve(comment=comment)

    assert section(footer(client), "Recent comments") == [
        f"Ada on {comment.post.title}"
    ]


@pytest.mark.parametrize("posts", [3, 30])
def test_navigation_costs_a_fixed_number_of_queries_once_then_none(client, posts):
    category = make_category()
    for n in range(posts):
        make_post(categories=[category], tags=[f"tag {n % 5}"])
    make_comment(post=Post.objects.first())

    with CaptureQueriesContext(connection) as cold:
        client.get("/about-nothing/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/about-nothing/")

    # The page the address might name, the old address it might be (a 404
    # looks for one), then the navigation's.
    assert len(cold) == 2 + NAVIGATION_QUERIES
    assert len(warm) == 2


def _days(n):
    return datetime.timedelta(days=n)
