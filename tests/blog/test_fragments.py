"""
The article and the list summaries are cached; every change to what they show
must appear at once. Each test reads the pages once (caching them), changes
something the way an editor or the site does, and reads them again.
"""

import pytest
from django.urls import reverse
from taggit.models import Tag

from blog.models import Post
from comments.models import Comment
from comments.moderation_actions import comment_approve
from tests.builders import (
    make_category,
    make_comment,
    make_post,
    make_publication,
    make_user,
)

pytestmark = pytest.mark.django_db


def pages_of(post):
    return [post.get_absolute_url(), reverse("blog:post-list")]


def read(client, post):
    """Read the post page and the home page, which caches what they show."""
    return [client.get(url).text for url in pages_of(post)]


def test_a_renamed_category_shows_on_cached_pages(client):
    category = make_category(name="Articles")
    post = make_post(categories=[category])
    assert all(">Articles</a>" in page for page in read(client, post))

    category.name = "Essays"
    category.save()

    for page in read(client, post):
        assert ">Essays</a>" in page
        assert ">Articles</a>" not in page


def test_a_deleted_category_leaves_cached_pages(client):
    category = make_category(name="Short-lived")
    post = make_post(categories=[category])
    read(client, post)

    category.delete()

    assert all("Short-lived" not in page for page in read(client, post))


def test_a_tag_added_shows_on_cached_pages(client):
    post = make_post(tags=["ofsted"])
    read(client, post)

    post.tags.add("send reforms")

    assert all(">send reforms</a>" in page for page in read(client, post))


def test_a_renamed_tag_shows_on_cached_pages(client):
    post = make_post(tags=["ofsted"])
    read(client, post)

    tag = Tag.objects.get(name="ofsted")
    tag.name = "inspection"
    tag.save()

    for page in read(client, post):
        assert ">inspection</a>" in page
        assert ">ofsted</a>" not in page


def test_an_authors_new_name_shows_on_cached_pages(client):
    author = make_user(display_name="A. Writer")
    post = make_post(author=author)
    read(client, post)

    author.display_name = "Alex Writer"
    author.save()

    assert all(">Alex Writer</a>" in page for page in read(client, post))


def test_a_renamed_publication_shows_in_the_cached_provenance(client):
    publication = make_publication(name="Chronicle")
    post = make_post(first_appeared_in=publication)
    read(client, post)

    publication.name = "Local Government Chronicle"
    publication.save()

    page = client.get(post.get_absolute_url()).text
    assert "first appeared in the Local Government Chronicle" in page


def test_an_edited_post_shows_its_new_words_at_once(client):
    post = make_post(title="First title", body="First words.")
    read(client, post)

    post.title, post.body = "Second title", "Second words."
    post.save()

    for page in read(client, post):
        assert "Second title" in page
        assert "First title" not in page
    assert "Second words." in client.get(post.get_absolute_url()).text


def test_an_approved_comment_is_counted_on_the_cached_home_page(client):
    post = make_post()
    held = make_comment(post=post, status=Comment.Status.PENDING)
    assert "1 Comment<" not in client.get("/").text

    comment_approve(comment=held)

    assert "1 Comment<" in client.get("/").text


def test_a_new_post_with_a_deleted_posts_id_shows_its_own_words(client):
    old = make_post(title="The old post")
    read(client, old)
    pk = old.pk
    old.delete()

    new = make_post(pk=pk, title="The new post", slug=old.slug)

    for page in read(client, new):
        assert "The new post" in page
        assert "The old post" not in page


def test_saving_a_stale_copy_keeps_the_comment_count(client):
    post = make_post()
    stale = Post.objects.get(pk=post.pk)
    make_comment(post=post)

    stale.title = "Retitled while a comment came in"
    stale.save()

    post.refresh_from_db()
    assert post.title == "Retitled while a comment came in"
    assert "1 Comment<" in client.get("/").text
