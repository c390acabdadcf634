import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from tests.builders import make_post
from tests.page_parts import main_content

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    return client.get(reverse("blog:post-search"), {"q": query, **params})


def test_search_finds_posts_by_words_in_title_and_body(client):
    make_post(title="Ofsted returns", body="An inspection of children’s services.")
    make_post(title="Budget day", body="Savings across the council.")

    by_title = main_content(search(client, "ofsted"))
    by_body = main_content(search(client, "inspection"))

    assert "Ofsted returns" in by_title and "Budget day" not in by_title
    assert "Ofsted returns" in by_body and "Budget day" not in by_body
    assert "Search results for ‘inspection’" in by_body


def test_search_finds_a_published_post_by_a_word_of_its_body(client):
    make_post(title="Budget day", body="Councillors debated the safeguarding plan.")

    html = search(client, "safeguarding").text

    assert "Budget day" in html
    assert "No posts match" not in html


def test_search_never_shows_scheduled_posts(client):
    make_post(
        title="Safeguarding review",
        body="Safeguarding in the county.",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )

    html = search(client, "safeguarding").text

    assert "Safeguarding review" not in html
    assert "No posts match ‘safeguarding’" in html


def test_search_needs_every_word(client):
    make_post(title="Council budget", body="Savings.")
    make_post(title="Council housing", body="Homes.")

    html = main_content(search(client, "council budget"))

    assert "Council budget" in html and "Council housing" not in html


def test_search_never_shows_unpublished_posts(client):
    make_post(title="Draft about Ofsted", status=Post.Status.DRAFT)

    html = search(client, "ofsted").text

    assert "Draft about Ofsted" not in html
    assert "No posts match ‘ofsted’" in html


def test_empty_search_asks_for_words(client):
    make_post(title="Anything")

    response = search(client, "   ")

    assert response.status_code == 200
    assert "Type some words into the search box" in response.text
    assert "Anything" not in main_content(response)


def test_overlong_search_is_a_bad_request_with_a_message(client):
    response = search(client, "word " * 100)

    assert response.status_code == 400
    assert "Search for at most 200 characters." in response.text


def test_search_words_are_shown_escaped(client):
    html = search(client, "<script>alert(1)</script>").text

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_search_pages_keep_the_query(client, settings):
    settings.BLOG_POSTS_PER_PAGE = 1
    make_post(title="Ofsted one")
    make_post(title="Ofsted two")

    html = search(client, "ofsted").text

    assert 'href="?q=ofsted&amp;page=2"' in html


def test_every_page_has_a_labelled_search_box(client):
    html = client.get("/").text

    assert '<label for="site-search-q"' in html
    assert 'role="search"' in html


def test_postgresql_search_understands_word_forms_and_ranks_titles_first(client):
    if connection.vendor != "postgresql":
        pytest.skip("Full-text search runs on PostgreSQL (the suite's second pass).")
    make_post(title="Council budget", body="Improving services for children.")
    make_post(title="Improvement plans", body="A plan.")

    html = search(client, "improve").text

    assert "Council budget" in html
    assert html.index("Improvement plans") < html.index("Council budget")
