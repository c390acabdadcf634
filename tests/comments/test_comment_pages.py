"""
Comment pages: a long discussion is shown COMMENTS_PER_PAGE threads at a
time, oldest or newest first; a comment's permalink lands on its page, and
counting the pages reads nothing (the discussion keeps its thread count).
Tested on a generated 1,000-comment thread, as the benchmark's.
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bench import data as benchdata
from comments.models import Comment, Discussion
from tests.builders import make_known_guest
from tests.comments.test_queries import POST_PAGE_QUERIES

pytestmark = pytest.mark.django_db

PER_PAGE = 50


@pytest.fixture
def long_thread(post, settings):
    """The 1,000 rows, and their comments in the same order."""
    settings.COMMENTS_PER_PAGE = PER_PAGE
    rows = benchdata.generate_thread(1000, seed=42)
    return rows, benchdata.thread_bulk_create(post=post, rows=rows)


def shown_ids(html):
    return {int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)}


def thread_of(rows, number):
    """The row number of the top-level comment a row's thread starts with."""
    parents = {row["id"]: row["parent"] for row in rows}
    while parents[number] is not None:
        number = parents[number]
    return number


def test_the_permalink_of_comment_937_lands_on_its_page(long_thread):
    rows, comments = long_thread
    comment = comments[936]
    tops = [row["id"] for row in rows if row["parent"] is None]
    expected_page = tops.index(thread_of(rows, 937)) // PER_PAGE + 1
    assert expected_page > 1

    url = comment.get_absolute_url()
    path, _, fragment = url.partition("#")
    page = Client().get(path).text

    assert url.startswith(f"{comment.post.get_absolute_url()}?comment-page=")
    assert path.endswith(f"?comment-page={expected_page}")
    assert fragment == f"comment-{comment.pk}"
    assert f'id="comment-{comment.pk}"' in page
    assert f'<span aria-current="page">{expected_page}</span>' in page
    neighbour = f"?comment-page={expected_page - 1}"
    assert comment.pk not in shown_ids(
        Client().get(path.split("?")[0] + neighbour).text
    )


def test_every_comment_is_on_exactly_one_page_in_thread_order(post, long_thread):
    rows, comments = long_thread
    discussion = Discussion.objects.get(post=post)
    tops = sum(row["parent"] is None for row in rows)
    assert discussion.thread_count == tops
    pages = -(-tops // PER_PAGE)

    seen = []
    for number in range(1, pages + 1):
        html = Client().get(f"{post.get_absolute_url()}?comment-page={number}").text
        seen += [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]

    assert seen == [comment.pk for comment in Comment.objects.thread(post)]
    assert len(seen) == 1000


def test_newest_first_pages_begin_with_the_latest_thread(post, long_thread, settings):
    settings.COMMENTS_NEWEST_FIRST = True
    rows, comments = long_thread
    latest_top = max(comments, key=lambda c: c.tree_id if c.level == 0 else 0)

    first_page = Client().get(post.get_absolute_url()).text
    comment = comments[936]
    path = comment.get_absolute_url().partition("#")[0]

    first_shown = re.search(r'<li id="comment-(\d+)"', first_page)[1]
    assert int(first_shown) == latest_top.pk
    assert f'id="comment-{comment.pk}"' in Client().get(path).text
    assert "Older comments" in first_page and "Newer comments" not in first_page


def test_a_page_reads_one_query_more_cold_and_only_the_post_warm(
    client, post, long_thread, django_assert_num_queries
):
    url = f"{post.get_absolute_url()}?comment-page=2"
    cache.clear()

    # Besides the page's usual queries: the ids of the threads on show.
    with django_assert_num_queries(POST_PAGE_QUERIES + 1):
        cold = client.get(url)
    with django_assert_num_queries(1):
        warm = client.get(url)

    assert cold.status_code == warm.status_code == 200
    assert shown_ids(cold.text) == shown_ids(warm.text)
    assert len(shown_ids(cold.text)) > PER_PAGE


@pytest.mark.parametrize("page", ["0", "abc", "99", "-1", "1" * 20])
def test_a_page_that_does_not_exist_is_not_found(client, post, long_thread, page):
    response = client.get(f"{post.get_absolute_url()}?comment-page={page}")

    assert response.status_code == 404


def test_a_short_discussion_has_no_pages(client, post, settings):
    settings.COMMENTS_PER_PAGE = PER_PAGE
    benchdata.thread_bulk_create(post=post, rows=benchdata.generate_thread(40))

    page = client.get(post.get_absolute_url()).text

    assert "Pages of comments" not in page
    assert client.get(f"{post.get_absolute_url()}?comment-page=2").status_code == 404


def test_a_guests_held_comment_is_shown_to_them_on_the_last_page(
    post, long_thread, send_comment
):
    guest = Client()
    response = send_comment(guest, post, author_email="new@example.org", body="Mine.")

    location = response["Location"]
    pages = -(-Discussion.objects.get(post=post).thread_count // PER_PAGE)
    assert f"?comment-page={pages}#comment-" in location
    assert "Your comment is awaiting moderation." in guest.get(location).text
    assert "Mine." not in Client().get(location.partition("#")[0]).text


def test_the_feed_links_to_the_comments_page(post, long_thread, send_comment):
    make_known_guest(post, email="known@example.org")
    send_comment(Client(), post, author_email="known@example.org", body="Latest.")
    latest = Comment.objects.get(body="Latest.")

    feed = Client().get(reverse("comments:post-comments-feed", args=[post.slug])).text

    assert latest.get_absolute_url().replace("&", "&amp;") in feed
    assert "?comment-page=" in latest.get_absolute_url()
