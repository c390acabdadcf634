"""
Commenters edit and delete what they wrote: an account wherever it signs
in, a guest from the browser they wrote in; edits within the window and
before a reply, judged again by the moderation rules, their earlier texts
kept for moderators.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentRevision
from tests.builders import (
    comment_admin_form,
    comment_count,
    make_comment,
    make_known_guest,
    make_user,
)

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"


def edit_url(comment):
    return reverse("comments:comment-edit", args=[comment.post.slug, comment.pk])


def delete_url(comment):
    return reverse("comments:comment-delete", args=[comment.post.slug, comment.pk])


def thread_item(page, comment):
    """The comment's list item in the page, up to its replies."""
    match = re.search(rf'<li id="comment-{comment.pk}" .*?</article>', page, re.S)
    return match[0] if match else ""


@pytest.fixture
def guest_comment(client, post, send_comment):
    """An approved comment by a known guest, sent from `client`'s browser."""
    make_known_guest(post, email=EMAIL)
    send_comment(client, post, author_email=EMAIL, body="Frist draft.")
    comment = Comment.objects.get(body="Frist draft.")
    assert comment.is_approved
    return comment


def test_the_writer_sees_edit_and_delete_links_and_no_one_else_does(
    client, post, guest_comment
):
    mine = thread_item(client.get(post.get_absolute_url()).text, guest_comment)
    theirs = thread_item(Client().get(post.get_absolute_url()).text, guest_comment)

    assert f'href="{edit_url(guest_comment)}">Edit</a>' in mine
    assert f'href="{delete_url(guest_comment)}">Delete</a>' in mine
    assert "Frist draft." in theirs
    assert "comment-edit-link" not in theirs and "comment-delete-link" not in theirs


def test_an_edit_replaces_the_text_marks_it_and_keeps_the_old_one(
    client, post, guest_comment
):
    form = client.get(edit_url(guest_comment)).text
    assert "Frist draft." in form and "csrfmiddlewaretoken" in form

    response = client.post(edit_url(guest_comment), {"body": "First draft."})

    assert response.status_code == 302
    assert response["Location"] == guest_comment.get_absolute_url()
    page = Client().get(post.get_absolute_url()).text
    item = thread_item(page, guest_comment)
    assert "First draft." in item and "Frist" not in page
    assert '<span class="comment-edited">(edited)</span>' in item
    revision = CommentRevision.objects.get(comment=guest_comment)
    assert revision.body == "Frist draft."
    assert revision.replaced_by is None and not revision.is_by_moderator


def test_the_earlier_texts_show_on_the_comments_admin_page(
    client, post, guest_comment, moderator_client
):
    client.post(edit_url(guest_comment), {"body": "Second go."})
    client.post(edit_url(guest_comment), {"body": "Third go."})

    page = moderator_client.get(
        reverse("admin:comments_comment_change", args=[guest_comment.pk])
    ).text

    assert "Earlier texts" in page
    assert page.index("Second go.") < page.index("Frist draft.")
    assert "Its author" in page


def test_a_moderators_correction_is_kept_as_a_revision(
    moderator_client, post, moderator
):
    comment = make_comment(post=post, body="Call 0123 456 789 now.")
    url = reverse("admin:comments_comment_change", args=[comment.pk])

    response = moderator_client.post(
        url, comment_admin_form(body="Call [number removed] now.")
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Call [number removed] now."
    revision = comment.revisions.get()
    assert revision.body == "Call 0123 456 789 now."
    assert revision.is_by_moderator and revision.replaced_by == moderator
    assert "Moderator " in moderator_client.get(url).text


def test_after_the_window_the_edit_is_refused_and_the_typed_text_kept(
    client, post, guest_comment, settings
):
    settings.COMMENTS_EDIT_WINDOW = datetime.timedelta(minutes=15)
    Comment.objects.filter(pk=guest_comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )

    response = client.post(edit_url(guest_comment), {"body": "Too late now."})

    assert response.status_code == 400
    assert "can be edited for 15 minutes after it is sent" in response.text
    assert "Too late now." in response.text
    guest_comment.refresh_from_db()
    assert guest_comment.body == "Frist draft."
    assert "comment-edit-link" not in thread_item(
        client.get(post.get_absolute_url()).text, guest_comment
    )


def test_a_reply_ends_the_edit_but_not_the_delete(client, post, guest_comment):
    make_comment(parent=guest_comment, body="Nice point.")

    response = client.post(edit_url(guest_comment), {"body": "Changed my mind."})

    assert response.status_code == 400
    assert "Someone has replied to this comment" in response.text
    item = thread_item(client.get(post.get_absolute_url()).text, guest_comment)
    assert "comment-edit-link" not in item and "comment-delete-link" in item


def test_an_empty_edit_keeps_the_comment_and_says_why(client, guest_comment):
    response = client.post(edit_url(guest_comment), {"body": "   "})

    assert response.status_code == 400
    assert "This field is required." in response.text
    guest_comment.refresh_from_db()
    assert guest_comment.body == "Frist draft."


@pytest.mark.parametrize("page", [edit_url, delete_url])
def test_another_browser_cannot_edit_or_delete_a_guests_comment(
    post, guest_comment, page
):
    stranger = Client()
    assert stranger.get(page(guest_comment)).status_code == 404
    assert stranger.post(page(guest_comment), {"body": "Hijacked."}).status_code == 404
    signed_in = Client()
    signed_in.force_login(make_user())
    assert signed_in.post(page(guest_comment), {"body": "Hijacked."}).status_code == 404
    guest_comment.refresh_from_db()
    assert guest_comment.body == "Frist draft." and guest_comment.is_approved


def test_an_account_edits_its_comment_from_any_browser(post, send_comment):
    account = make_user(is_email_verified=True)
    first = Client()
    first.force_login(account)
    send_comment(first, post, body="Written on the laptop.")
    comment = Comment.objects.get(body="Written on the laptop.")
    assert comment.is_approved

    second = Client()
    second.force_login(account)
    response = second.post(edit_url(comment), {"body": "Mended on the phone."})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Mended on the phone."
    assert comment.revisions.get().replaced_by == account
    other = Client()
    other.force_login(make_user())
    assert other.get(edit_url(comment)).status_code == 404


def test_an_edit_runs_the_hold_rules_again(
    client,
    post,
    guest_comment,
    settings,
    mailoutbox,
    moderator,
    django_capture_on_commit_callbacks,
):
    settings.COMMENTS_MODERATION_WORDS = ["casino"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(guest_comment), {"body": "Visit my casino."})

    guest_comment.refresh_from_db()
    assert guest_comment.status == Comment.Status.PENDING
    assert guest_comment.moderation_reason == Comment.Reason.MODERATION_WORD
    assert comment_count(post) == 1  # the known guest's earlier comment
    assert "casino" not in Client().get(post.get_absolute_url()).text
    page = client.get(response["Location"]).text
    assert "Your edit is waiting for a moderator." in page
    item = thread_item(page, guest_comment)
    assert "Visit my casino." in item and "awaiting moderation" in item
    assert [mail.to for mail in mailoutbox] == [[moderator.email]]


def test_an_edit_with_a_blocked_word_is_spam(client, post, guest_comment, settings):
    settings.COMMENTS_BLOCK_WORDS = ["viagra"]

    client.post(edit_url(guest_comment), {"body": "Cheap viagra."})

    guest_comment.refresh_from_db()
    assert guest_comment.status == Comment.Status.SPAM
    assert "viagra" not in Client().get(post.get_absolute_url()).text


def test_an_approved_comment_by_an_unconfirmed_guest_stays_approved_when_edited(
    post, send_comment, moderator_client
):
    client = Client()
    send_comment(client, post, author_email="new@example.org", body="Hello all.")
    comment = Comment.objects.get(body="Hello all.")
    assert comment.status == Comment.Status.PENDING  # a first comment
    comment_url = reverse("admin:comments_comment_moderate", args=[comment.pk])
    moderator_client.post(comment_url, {"moderation": "approve"})

    client.post(edit_url(comment), {"body": "Hello, all."})

    comment.refresh_from_db()
    assert comment.body == "Hello, all." and comment.is_approved


def test_a_held_comment_can_be_edited_and_stays_held(client, post, send_comment):
    send_comment(client, post, author_email="new@example.org", body="Fisrt.")
    comment = Comment.objects.get(body="Fisrt.")
    item = thread_item(client.get(post.get_absolute_url()).text, comment)
    assert "comment-edit-link" in item

    client.post(edit_url(comment), {"body": "First."})

    comment.refresh_from_db()
    assert comment.body == "First." and comment.status == Comment.Status.PENDING


def test_no_edits_once_comments_close(client, post, guest_comment):
    from tests.builders import close_comments

    close_comments(post)

    response = client.post(edit_url(guest_comment), {"body": "Changed."})

    assert response.status_code == 400
    assert "Comments are closed on this post" in response.text


def test_deleting_an_unanswered_comment_removes_it(client, post, guest_comment):
    assert comment_count(post) == 2
    confirm = client.get(delete_url(guest_comment))
    assert "It will be gone from the page for good." in confirm.text
    assert Comment.objects.filter(pk=guest_comment.pk).exists()  # a GET asks only

    response = client.post(delete_url(guest_comment))

    assert response.status_code == 302
    assert not Comment.objects.filter(pk=guest_comment.pk).exists()
    assert comment_count(post) == 1
    page = client.get(response["Location"]).text
    assert "Your comment has been deleted." in page
    assert "Frist draft." not in page and f'id="comment-{guest_comment.pk}"' not in page


def test_deleting_an_answered_comment_leaves_a_placeholder_above_the_replies(
    client, post, guest_comment
):
    reply = make_comment(parent=guest_comment, body="I agree.")
    assert "a note saying" in client.get(delete_url(guest_comment)).text

    client.post(delete_url(guest_comment))

    guest_comment.refresh_from_db()
    assert guest_comment.status == Comment.Status.REMOVED
    assert guest_comment.removal == Comment.Removal.AUTHOR
    page = Client().get(post.get_absolute_url()).text
    assert "Frist draft." not in page
    assert page.index("This comment was deleted by its author.") < page.index(
        "I agree."
    )
    assert f'id="comment-{reply.pk}" class="comment depth-2"' in page
    # Gone from the writer's own view too: nothing left to edit or delete.
    assert client.get(delete_url(guest_comment)).status_code == 404


def test_an_edit_needs_the_csrf_token(post, guest_comment, send_comment):
    browser = Client(enforce_csrf_checks=True)
    send_comment_token = browser.get(post.get_absolute_url())
    assert send_comment_token.status_code == 200
    session = browser.session
    session["comments_written"] = [guest_comment.pk]
    session.save()

    response = browser.post(edit_url(guest_comment), {"body": "Forged."})

    assert response.status_code == 403
    guest_comment.refresh_from_db()
    assert guest_comment.body == "Frist draft."


def test_my_comments_lists_edit_and_delete_and_who_removed(post, send_comment):
    account = make_user(is_email_verified=True)
    browser = Client()
    browser.force_login(account)
    send_comment(browser, post, body="Mine to change.")
    comment = Comment.objects.get(body="Mine to change.")
    answered = make_comment(post=post, user=account, body="Answered and gone.")
    make_comment(parent=answered)
    browser.post(delete_url(answered))

    page = browser.get(reverse("comments:comment-mine")).text

    assert f'href="{edit_url(comment)}">Edit</a>' in page
    assert f'href="{delete_url(comment)}">Delete</a>' in page
    assert "Deleted by its author" in page
    assert delete_url(answered) not in page
