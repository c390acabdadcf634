from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse

from tests.builders import make_category, make_comment, make_page, make_post

pytestmark = pytest.mark.django_db

NOINDEX = '<meta name="robots" content="noindex">'


def robots_lines(client, **extra):
    response = client.get("/robots.txt", **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    return response.text.splitlines()


def test_robots_txt_points_at_the_sitemap_on_the_configured_site(client, settings):
    settings.BLOG_SITE_URL = "https://blog.example.org"

    lines = robots_lines(client, HTTP_HOST="localhost:4444")

    assert "Sitemap: https://blog.example.org/sitemap.xml" in lines


@pytest.mark.parametrize(
    "path",
    ["/search/", "/accounts/", "/admin/", "/comments/", "/posts/*/comments/"],
)
def test_robots_txt_keeps_crawlers_from_search_accounts_and_forms(client, path):
    lines = robots_lines(client)

    assert lines[0] == "User-agent: *"
    assert f"Disallow: {path}" in lines


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/", True),
        ("/posts/a-post/", True),
        ("/category/ofsted/", True),
        ("/2016/01/", True),
        ("/accounts/people/jane/", True),
        ("/accounts/login/", False),
        ("/accounts/profile/", False),
        ("/search/?q=ofsted", False),
    ],
)
def test_robots_txt_leaves_the_reading_pages_open(client, path, allowed):
    # Python's parser takes the first rule that matches, as older crawlers
    # do, rather than the longest: the public profiles' Allow comes first.
    parser = RobotFileParser()
    parser.parse(robots_lines(client))

    assert parser.can_fetch("AnyBot", path) is allowed


@pytest.mark.parametrize("query", [{"q": "ofsted"}, {"q": "nothing matches"}, {}])
def test_search_results_are_not_indexed(client, query):
    make_post(title="Ofsted inspections")

    response = client.get(reverse("blog:post-search"), query)

    assert response.status_code == 200
    assert NOINDEX in response.text


def test_posts_and_lists_are_indexed(client):
    category = make_category()
    post = make_post(categories=[category], tags=["ofsted"])

    for url in [
        reverse("blog:post-list"),
        post.get_absolute_url(),
        category.get_absolute_url(),
        reverse("blog:tag-archive", args=["ofsted"]),
        reverse("blog:author-archive", args=[post.author.username]),
        reverse("blog:archive-year", args=[post.published_at.year]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert 'name="robots"' not in response.text


def test_a_comments_reply_form_page_is_not_indexed(client):
    comment = make_comment()

    response = client.get(
        reverse("comments:comment-reply", args=[comment.post.slug, comment.pk])
    )

    assert response.status_code == 200
    assert NOINDEX in response.text


def test_a_standalone_page_is_indexed(client):
    make_page(slug="about")

    response = client.get("/about/")

    assert response.status_code == 200
    assert 'name="robots"' not in response.text
