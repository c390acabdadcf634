"""
Reading comfort: reading times, the previous and next posts, similar
articles, provenance on lists and comment counts only where there are
comments.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from blog.models import Page, Post
from tests.builders import (
    make_category,
    make_comment,
    make_post,
    make_publication,
    make_user,
)
from tests.comments.test_queries import POST_PAGE_QUERIES, POST_PAGE_QUERIES_CACHED

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def linked(page, rel):
    """The titles of the links on `page` with the given rel."""
    return re.findall(rf'<a href="[^"]+" rel="{rel}">.*?</span> (.*?)</a>', page)


def similar_titles(page):
    section = re.search(r'id="similar-posts-title".*?</aside>', page, re.S)
    if section is None:
        return []
    return re.findall(r'<li><a href="[^"]+">(.*?)</a>', section[0])


def test_post_page_shows_the_reading_time(client):
    post = make_post(body=" ".join(["word"] * 1200))

    page = client.get(post.get_absolute_url()).text

    assert "6 min read" in page


def test_a_short_post_reads_in_a_minute(client):
    post = make_post(body="Only a few words.")

    page = client.get(post.get_absolute_url()).text

    assert "1 min read" in page


def test_list_entries_show_the_reading_time(client):
    make_post(body=" ".join(["word"] * 1200))
    make_post(body="Only a few words.")

    page = client.get(reverse("blog:post-list")).text

    assert "6 min read" in page
    assert "1 min read" in page


def test_post_page_links_the_previous_and_next_posts(client):
    make_post(title="Oldest", published_at=days_ago(4))
    make_post(title="Older", published_at=days_ago(3))
    post = make_post(title="Middle", published_at=days_ago(2))
    make_post(title="Newer", published_at=days_ago(1))

    page = client.get(post.get_absolute_url()).text

    assert linked(page, "prev") == ["Older"]
    assert linked(page, "next") == ["Newer"]


def test_previous_and_next_skip_drafts_scheduled_posts_and_pages(client):
    author = make_user()
    make_post(title="Older", published_at=days_ago(5))
    make_post(title="Older draft", status=Post.Status.DRAFT, published_at=days_ago(4))
    Page.objects.create(
        title="About",
        slug="about",
        body="A page.",
        author=author,
        status=Post.Status.PUBLISHED,
        published_at=days_ago(4),
    )
    post = make_post(title="Middle", published_at=days_ago(3))
    make_post(title="Newer draft", status=Post.Status.DRAFT, published_at=days_ago(2))
    make_post(title="Newer", published_at=days_ago(1))
    make_post(title="Scheduled", published_at=timezone.now() + datetime.timedelta(1))

    page = client.get(post.get_absolute_url()).text

    assert linked(page, "prev") == ["Older"]
    assert linked(page, "next") == ["Newer"]


def test_the_newest_post_has_no_next_and_the_oldest_no_previous(client):
    oldest = make_post(title="Oldest", published_at=days_ago(2))
    newest = make_post(title="Newest", published_at=days_ago(1))

    oldest_page = client.get(oldest.get_absolute_url()).text
    newest_page = client.get(newest.get_absolute_url()).text

    assert (linked(oldest_page, "prev"), linked(oldest_page, "next")) == (
        [],
        ["Newest"],
    )
    assert (linked(newest_page, "prev"), linked(newest_page, "next")) == (
        ["Oldest"],
        [],
    )


def test_similar_articles_share_the_most_tags_and_categories_then_are_newest(client):
    essays, reviews = make_category(), make_category()
    post = make_post(categories=[essays, reviews], tags=["care", "law"])
    make_post(title="Nothing shared, newest", published_at=days_ago(0.5))
    make_post(title="One tag, newer", tags=["care"], published_at=days_ago(2))
    make_post(
        title="One category, older", categories=[essays], published_at=days_ago(3)
    )
    make_post(
        title="Three shared, oldest",
        categories=[reviews],
        tags=["care", "law", "other"],
        published_at=days_ago(9),
    )

    page = client.get(post.get_absolute_url()).text

    assert similar_titles(page) == [
        "Three shared, oldest",
        "One tag, newer",
        "One category, older",
    ]


def test_similar_articles_are_listed_posts_other_than_this_one(client):
    post = make_post(title="This one", tags=["care"])
    make_post(title="Draft", tags=["care"], status=Post.Status.DRAFT)
    make_post(title="Scheduled", tags=["care"], published_at=days_ago(-1))
    make_post(title="Published", tags=["care"])

    page = client.get(post.get_absolute_url()).text

    assert similar_titles(page) == ["Published"]


def test_a_post_with_nothing_in_common_gets_the_most_recent_posts(client):
    post = make_post(tags=["alone"])
    for days in (4, 3, 2, 1):
        make_post(title=f"{days} days old", published_at=days_ago(days))

    page = client.get(post.get_absolute_url()).text

    assert similar_titles(page) == ["1 days old", "2 days old", "3 days old"]


def test_the_only_post_has_no_similar_articles_nor_neighbours(client):
    post = make_post(tags=["alone"])

    page = client.get(post.get_absolute_url()).text

    assert "Similar articles" not in page
    assert 'rel="prev"' not in page and 'rel="next"' not in page


@pytest.mark.parametrize(("tags", "categories"), [(0, 0), (1, 1), (8, 4)])
def test_post_page_queries_do_not_grow_with_tags_and_categories(
    client, django_assert_num_queries, tags, categories
):
    tag_names = [f"tag-{n}" for n in range(tags)]
    filing = [make_category() for _ in range(categories)]
    post = make_post(tags=tag_names, categories=filing)
    for n in range(5):
        make_post(tags=tag_names[:n], categories=filing[:n], published_at=days_ago(n))
    cache.clear()

    with django_assert_num_queries(POST_PAGE_QUERIES):
        cold = client.get(post.get_absolute_url()).text
    with django_assert_num_queries(POST_PAGE_QUERIES_CACHED):
        warm = client.get(post.get_absolute_url()).text

    assert len(similar_titles(cold)) == 3
    assert similar_titles(warm) == similar_titles(cold)


def test_list_entries_show_where_a_post_first_appeared(client):
    chronicle = make_publication(name="Chronicle")
    make_post(first_appeared_in=chronicle, first_appeared_on=datetime.date(2016, 1, 21))

    page = client.get(reverse("blog:post-list")).text

    assert "This article first appeared in the Chronicle on 21 January 2016" in page


def test_list_entries_without_comments_show_no_comment_count(client):
    make_post()

    page = client.get(reverse("blog:post-list")).text

    assert "0 Comments" not in page
    assert "#comments" not in page


def test_list_entries_count_the_comments_there_are(client):
    post = make_post()
    make_comment(post=post)
    make_comment(post=post)

    page = client.get(reverse("blog:post-list")).text

    assert "2 Comments</a>" in page
