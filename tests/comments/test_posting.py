import datetime
import time
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments import moderation_actions
from comments.models import Comment
from tests.builders import (
    close_comments,
    make_comment,
    make_known_guest,
    make_post,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_guest_first_comment_is_held_and_lands_on_its_permalink(
    client, post, send_comment
):
    response = send_comment(client, post, body="My first words here.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"


def test_held_comment_shows_to_its_author_as_awaiting_moderation(
    client, post, send_comment
):
    send_comment(client, post, body="My first words here.")

    page = client.get(post.get_absolute_url()).text

    comment = Comment.objects.get()
    assert f'id="comment-{comment.pk}"' in page
    assert "Your comment is awaiting moderation." in page
    assert "My first words here." in page


def test_held_comment_is_hidden_from_other_visitors(client, post, send_comment):
    send_comment(client, post, body="My first words here.")
    client.cookies.clear()

    page = client.get(post.get_absolute_url()).text

    assert "My first words here." not in page
    assert "No comments yet." in page


def test_guest_with_an_approved_comment_is_published_at_once(
    client, post, send_comment
):
    make_known_guest(post)

    send_comment(client, post, author_email="ADA@example.org", body="Again, me.")
    client.cookies.clear()
    page = client.get(post.get_absolute_url()).text

    assert Comment.objects.get(body="Again, me.").status == Comment.Status.APPROVED
    assert "Again, me." in page
    assert "2 Comments" in page


def test_a_form_sends_one_comment(client, post, send_comment, comment_form_token):
    token = comment_form_token(client, post)
    send_comment(client, post, token=token, body="Once.")

    replayed = send_comment(client, post, token=token, body="Twice.")

    assert replayed.status_code == 400
    assert "This form has already sent a comment" in replayed.text
    assert "Twice." in replayed.text  # given back to copy
    assert list(Comment.objects.values_list("body", flat=True)) == ["Once."]


def test_a_form_loaded_more_than_a_day_ago_is_refused_with_the_text_kept(
    client, post, send_comment, comment_form_token, monkeypatch
):
    a_day_ago = int(time.time()) - 24 * 60 * 60 - 60
    with monkeypatch.context() as patch:
        patch.setattr(
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(a_day_ago),
        )
        token = comment_form_token(client, post)

    response = send_comment(client, post, token=token, body="Written slowly.")

    assert response.status_code == 400
    assert "This form was loaded more than 24 hours ago" in response.text
    assert "Written slowly." in response.text
    assert not Comment.objects.exists()


def test_guest_comment_form_needs_a_name_and_keeps_what_was_typed(
    client, post, send_comment
):
    response = send_comment(client, post, author_name="", body="Worth keeping.")

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Worth keeping." in response.text
    assert 'value="ada@example.org"' in response.text
    assert not Comment.objects.exists()


def test_account_comment_form_asks_for_no_name_or_email(client, post):
    client.force_login(make_user(display_name="Grace Account"))

    page = client.get(post.get_absolute_url()).text

    assert "Commenting as <strong>Grace Account</strong>" in page
    assert 'name="author_email"' not in page
    assert 'name="body"' in page


def test_account_comment_is_saved_as_the_account(client, post, send_comment):
    user = make_user(is_email_verified=True)
    client.force_login(user)

    send_comment(client, post, author_name=None, author_email=None, body="Hi.")

    comment = Comment.objects.get()
    assert comment.user == user
    assert comment.author_email == ""


def test_verified_account_first_comment_is_published_at_once(
    client, post, send_comment
):
    client.force_login(make_user(is_email_verified=True))

    send_comment(client, post, author_name=None, author_email=None, body="First.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderation_reason == ""
    page = client.get(post.get_absolute_url()).text
    assert "First." in page
    assert "Your comment is awaiting moderation." not in page


def test_verified_account_comment_is_still_held_by_a_moderation_word(
    client, post, send_comment, settings
):
    settings.COMMENTS_MODERATION_WORDS = ["casino"]
    client.force_login(make_user(is_email_verified=True))

    send_comment(client, post, author_name=None, author_email=None, body="Casino!")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == Comment.Reason.MODERATION_WORD


def test_unverified_account_first_comment_is_held_for_its_address(
    client, post, send_comment
):
    client.force_login(make_user(is_email_verified=False))

    send_comment(client, post, author_name=None, author_email=None)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == Comment.Reason.UNVERIFIED_EMAIL


def test_unverified_account_with_an_approved_comment_is_held(
    client, post, send_comment
):
    user = make_user(is_email_verified=False)
    make_comment(post=post, user=user)
    client.force_login(user)

    send_comment(client, post, author_name=None, author_email=None, body="Again.")

    assert Comment.objects.get(body="Again.").status == Comment.Status.PENDING


def test_empty_body_is_a_bad_request_with_a_message(client, post, send_comment):
    response = send_comment(client, post, body="   ")

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert 'value="Ada Guest"' in response.text
    assert not Comment.objects.exists()


def test_body_over_the_length_limit_is_a_bad_request_that_keeps_the_text(
    client, post, send_comment, settings
):
    settings.COMMENTS_MAX_LENGTH = 20

    response = send_comment(client, post, body="x" * 21)

    assert response.status_code == 400
    assert "Ensure this value has at most 20 characters (it has 21)." in (response.text)
    assert "x" * 21 in response.text
    assert not Comment.objects.exists()


def test_default_length_limit_is_five_thousand_characters(client, post, send_comment):
    assert send_comment(client, post, body="x" * 5000).status_code == 302
    assert send_comment(client, post, body="x" * 5001).status_code == 400


def test_parent_from_another_post_is_a_bad_request(client, post, send_comment):
    elsewhere = make_comment()

    response = send_comment(client, post, parent=elsewhere.pk)

    assert response.status_code == 400
    assert "belongs to another post" in response.text
    assert Comment.objects.count() == 1


def test_parent_that_does_not_exist_is_a_bad_request(client, post, send_comment):
    response = send_comment(client, post, parent=999999)

    assert response.status_code == 400
    assert "does not exist" in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "status",
    [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED],
)
def test_parent_that_is_not_approved_is_a_bad_request(
    client, post, send_comment, status
):
    parent = make_comment(post=post, status=status)

    response = send_comment(client, post, parent=parent.pk)

    assert response.status_code == 400
    assert "is not published" in response.text
    assert Comment.objects.count() == 1


def test_post_closed_by_its_editor_is_a_bad_request_that_keeps_the_text(
    client, post, send_comment, comment_form_token
):
    token = comment_form_token(client, post)  # read while the post was open
    close_comments(post)

    response = send_comment(client, post, token=token, body="Words <to> keep.")

    assert response.status_code == 400
    assert "Comments are closed on this post." in response.text
    assert "Words &lt;to&gt; keep." in response.text
    assert not Comment.objects.exists()


def test_reply_to_a_comment_removed_while_typing_keeps_the_text(
    client, post, send_comment, comment_form_token
):
    parent = make_comment(post=post)
    token = comment_form_token(client, post)
    moderation_actions.comment_remove(comment=parent)

    response = send_comment(client, post, token=token, parent=parent.pk, body="Mine.")

    assert response.status_code == 400
    assert "is not published" in response.text
    assert '<pre class="comment-draft">Mine.</pre>' in response.text


def test_reply_links_are_hidden_once_comments_close(client, post):
    make_comment(post=post)
    client.get(post.get_absolute_url())  # the thread is cached while open
    close_comments(post)

    page = client.get(post.get_absolute_url()).text

    stylesheet = Path(finders.find("css/site.css")).read_text()
    assert 'class="comments comments-are-closed"' in page
    assert ".comments-are-closed .comment-reply-link { display: none; }" in stylesheet


def test_closed_post_shows_no_form(client):
    post = make_post()
    close_comments(post)

    page = client.get(post.get_absolute_url()).text

    assert "Comments are closed." in page
    assert 'name="body"' not in page


def test_comments_close_on_posts_older_than_the_setting(client, send_comment, settings):
    old = make_post(published_at=timezone.now() - datetime.timedelta(days=31))
    recent = make_post(published_at=timezone.now() - datetime.timedelta(days=29))
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30

    assert "Comments are closed." in client.get(old.get_absolute_url()).text
    assert send_comment(client, old, token="x").status_code == 400
    assert send_comment(client, recent).status_code == 302


def test_comments_never_close_by_age_by_default(client, send_comment):
    old = make_post(published_at=timezone.now() - datetime.timedelta(days=3650))

    assert send_comment(client, old).status_code == 302


def test_unpublished_post_is_a_bad_request(client, send_comment):
    draft = make_post(status=Post.Status.DRAFT)

    response = send_comment(client, draft, token="anything")

    assert response.status_code == 400
    assert "not published" in response.text
    assert not Comment.objects.exists()


def test_unknown_post_is_not_found(client):
    url = reverse("comments:comment-create", kwargs={"slug": "no-such-post"})

    assert client.post(url, {"body": "Hello"}).status_code == 404


@pytest.mark.parametrize("token", ["", "forged:token:value"])
def test_missing_or_forged_form_token_is_a_bad_request(
    client, post, send_comment, token
):
    response = send_comment(client, post, token=token)

    assert response.status_code == 400
    assert "This form was not made by this site for this post." in response.text
    assert not Comment.objects.exists()


def test_form_token_from_another_post_is_a_bad_request(
    client, post, send_comment, comment_form_token
):
    other = make_post()

    response = send_comment(client, post, token=comment_form_token(client, other))

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_body_is_escaped_with_paragraphs_and_links(client, post):
    make_comment(
        post=post,
        body=(
            "<script>alert(1)</script> and <b>bold</b>\n"
            "second line\n\n"
            "See https://example.org/page for more."
        ),
    )

    page = client.get(post.get_absolute_url()).text

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;<br>second line</p>" in page
    assert (
        '<p>See <a href="https://example.org/page" rel="nofollow ugc">'
        "https://example.org/page</a> for more.</p>"
    ) in page


def test_guest_website_links_the_name_without_passing_ranking(client, post):
    make_comment(post=post, author_name="Ada", author_url="https://ada.example/")

    page = client.get(post.get_absolute_url()).text

    assert '<a href="https://ada.example/" rel="external nofollow ugc">Ada</a>' in page


def test_reply_page_shows_the_parent_and_a_form_set_to_reply_to_it(client, post):
    parent = make_comment(post=post, author_name="Parent Author", body="Parent.")
    url = reverse("comments:comment-reply", kwargs={"slug": post.slug, "pk": parent.pk})

    response = client.get(url)

    assert response.status_code == 200
    assert "<h1>Reply to Parent Author</h1>" in response.text
    assert "Parent." in response.text
    assert f'name="parent" value="{parent.pk}"' in response.text


def test_reply_link_on_the_post_page_leads_to_the_reply_page(client, post):
    parent = make_comment(post=post)

    page = client.get(post.get_absolute_url()).text

    url = reverse("comments:comment-reply", kwargs={"slug": post.slug, "pk": parent.pk})
    assert f'href="{url}#respond"' in page


def test_reply_page_of_a_held_comment_is_not_found(client, post):
    parent = make_comment(post=post, status=Comment.Status.PENDING)
    url = reverse("comments:comment-reply", kwargs={"slug": post.slug, "pk": parent.pk})

    assert client.get(url).status_code == 404


def test_reply_is_saved_under_its_parent_and_shown_nested(client, post, send_comment):
    parent = make_known_guest(post)

    send_comment(client, post, parent=parent.pk, body="A reply.")
    page = client.get(post.get_absolute_url()).text

    reply = Comment.objects.get(body="A reply.")
    assert reply.parent == parent
    assert reply.status == Comment.Status.APPROVED
    assert (
        page.index(f'id="comment-{parent.pk}"')
        < page.index('<ol class="comment-children">')
        < page.index(f'id="comment-{reply.pk}"')
    )


def test_post_page_loads_the_reply_script_from_a_file(client, post):
    page = client.get(post.get_absolute_url()).text

    assert '<script src="/static/js/comments.js" defer></script>' in page
    assert "<script>" not in page


def test_poster_address_and_browser_are_recorded(client, post, send_comment):
    send_comment(client, post, ip="203.0.113.7", user_agent="TestBrowser/1.0")

    comment = Comment.objects.get()
    assert comment.ip_address == "203.0.113.7"
    assert comment.user_agent == "TestBrowser/1.0"


def test_rate_limit_answers_429_with_a_clear_message(
    client, post, send_comment, settings
):
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 2
    send_comment(client, post, body="One.")
    send_comment(client, post, body="Two.")

    response = send_comment(client, post, body="Three, kept for you.")

    assert response.status_code == 429
    assert "too many comments have come from your connection" in response.text
    assert "Three, kept for you." in response.text
    assert Comment.objects.count() == 2


def test_rate_limit_counts_each_address_apart(client, post, send_comment, settings):
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 1
    send_comment(client, post, ip="198.51.100.1")

    assert send_comment(client, post, ip="198.51.100.2").status_code == 302
    assert send_comment(client, post, ip="198.51.100.1").status_code == 429


def test_my_comments_lists_every_comment_of_the_account_with_its_status(client):
    user = make_user()
    make_comment(user=user, body="Published one.")
    make_comment(user=user, body="Waiting one.", status=Comment.Status.PENDING)
    make_comment(body="Somebody else's.")
    client.force_login(user)

    page = client.get(reverse("comments:comment-mine")).text

    assert "Published one." in page
    assert "Waiting one." in page
    assert "Awaiting moderation" in page
    assert "Somebody else" not in page


def test_my_comments_needs_a_signed_in_account(client):
    response = client.get(reverse("comments:comment-mine"))

    assert response.status_code == 302


@pytest.mark.parametrize(
    "name", ["Administrator", "Edna Editor", "Edna\u200b Editor", "Ada\u202eecalevoL"]
)
def test_a_guest_cannot_sign_as_staff_or_hide_characters_in_a_name(
    client, post, send_comment, name
):
    make_user(username="edna", display_name="Edna Editor", is_staff=True)

    response = send_comment(client, post, author_name=name, body="Trust me.")

    assert response.status_code == 400
    assert "Trust me." in response.text
    assert not Comment.objects.exists()


def test_the_queue_warns_of_a_name_mixing_scripts(post, send_comment, moderator_client):
    guest = Client()
    send_comment(guest, post, author_name="Раypal Support")  # Cyrillic "Ра"
    send_comment(guest, post, author_name="Ivan Иванов")

    page = moderator_client.get(reverse("admin:comments_comment_changelist")).text

    assert page.count("⚠ mixed scripts") == 2
    assert "⚠ mixed scripts: Cyrillic, Latin" in page
