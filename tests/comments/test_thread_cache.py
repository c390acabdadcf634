"""
The rendered thread is cached per post; every change a reader could see must
show on the next request, with the cache already warm.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from blog.models import Post
from comments.threads import thread_cache_key
from tests.builders import comment_admin_form, make_comment, make_user

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:comments_comment_changelist")


def page(client, post):
    return client.get(post.get_absolute_url()).text


def moderate(client, action, comment):
    response = client.post(
        QUEUE_URL, {"action": action, "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302


def test_approved_comment_shows_at_once_with_a_warm_cache(
    client, moderator_client, post
):
    make_comment(post=post, body="Already here.")
    held = make_comment(post=post, body="Waiting words.", status="pending")
    assert "Waiting words." not in page(client, post)

    moderate(moderator_client, "approve", held)

    html = page(client, post)
    assert "Already here." in html
    assert "Waiting words." in html


def test_removed_comment_disappears_at_once_with_a_warm_cache(
    client, moderator_client, post
):
    comment = make_comment(post=post, body="Soon gone.")
    assert "Soon gone." in page(client, post)

    moderate(moderator_client, "remove", comment)

    assert "Soon gone." not in page(client, post)


def test_moderator_correction_shows_at_once_with_a_warm_cache(
    client, moderator_client, post
):
    comment = make_comment(post=post, body="A tpyo.")
    assert "A tpyo." in page(client, post)

    url = reverse("admin:comments_comment_change", args=[comment.pk])
    moderator_client.post(url, comment_admin_form(body="A typo."))

    html = page(client, post)
    assert "A typo." in html
    assert "A tpyo." not in html


def test_held_comment_never_reaches_other_visitors_through_the_cache(
    client, post, send_comment
):
    make_comment(post=post, body="Public words.")
    send_comment(client, post, body="My held words.")
    assert "My held words." in page(client, post)  # its author sees it

    other = Client()

    html = page(other, post)
    assert "Public words." in html
    assert "My held words." not in html


def test_cached_thread_holds_nothing_personal(client, post):
    make_comment(post=post, body="Public words.")
    client.force_login(make_user(display_name="Viewer Name"))
    html = page(client, post)
    assert "csrfmiddlewaretoken" in html

    post = Post.objects.for_page().get(pk=post.pk)
    fragment = cache.get(thread_cache_key(post)).decode()

    assert "Public words." in fragment
    assert "csrfmiddlewaretoken" not in fragment
    assert "Viewer Name" not in fragment


def test_deleted_accounts_comments_show_as_deleted_user_at_once(client, post):
    account = make_user(display_name="Leaving Soon")
    make_comment(post=post, user=account, body="My last words.")
    assert "Leaving Soon" in page(client, post)

    account.delete()

    html = page(client, post)
    assert "Leaving Soon" not in html
    assert "deleted user" in html
    assert "My last words." in html


def test_renamed_account_shows_its_new_name_at_once(client, post):
    account = make_user(display_name="Old Name")
    make_comment(post=post, user=account)
    assert "Old Name" in page(client, post)

    account.display_name = "New Name"
    account.save()

    html = page(client, post)
    assert "New Name" in html
    assert "Old Name" not in html


def test_renamed_post_keeps_its_reply_links_right(client, post):
    comment = make_comment(post=post)
    page(client, post)

    post.slug = "a-new-address"
    post.save()

    reply_url = reverse(
        "comments:comment-reply", kwargs={"slug": "a-new-address", "pk": comment.pk}
    )
    assert reply_url in page(client, post)


def test_cached_thread_is_spliced_in_where_the_page_puts_it(client, post):
    make_comment(post=post, body="Public words.")
    client.get(post.get_absolute_url())

    response = client.get(post.get_absolute_url())

    html = response.text
    assert (
        html.index('<h2 id="comments-title">')
        < html.index("Public words.")
        < html.index("Leave a reply")
    )
    assert "<!--fragment-" not in html
    assert int(response["Content-Length"]) == len(response.content)
