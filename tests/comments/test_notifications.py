import re

import pytest
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse

from comments import moderation_actions
from comments.models import Comment, ConfirmedAddress
from tests.builders import confirm_address, make_comment, make_known_guest, make_user

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:comments_comment_changelist")


def unsubscribe_link(message):
    return re.search(r"https?://[^/\s]+(/comments/stop/\S+/)", message.body)[1]


def test_moderators_and_superusers_hear_of_a_held_comment(
    client, post, send_comment, moderator, mailoutbox
):
    make_user(is_superuser=True, email="boss@example.org")
    make_user(email="reader@example.org")

    send_comment(client, post, body="Please moderate me.")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == ["boss@example.org", "moderator@example.org"]
    assert post.title in message.subject
    assert "Please moderate me." in message.body
    assert "First comment of this author" in message.body
    comment = Comment.objects.get()
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body


def test_moderators_hear_nothing_of_spam(
    client, post, send_comment, moderator, mailoutbox
):
    send_comment(client, post, subject="bot was here")

    assert mailoutbox == []


def test_moderator_mail_can_be_switched_off(
    client, post, send_comment, moderator, mailoutbox, settings
):
    settings.COMMENTS_NOTIFY_MODERATORS = False

    send_comment(client, post)

    assert mailoutbox == []


def test_subscriber_hears_of_an_approved_reply(client, post, send_comment, mailoutbox):
    confirm_address("parent@example.org")
    parent = make_comment(
        post=post, author_email="parent@example.org", is_subscribed_to_replies=True
    )
    make_known_guest(post)

    send_comment(client, post, parent=parent.pk, body="Here is my answer.")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["parent@example.org"]
    assert "Here is my answer." in message.body
    reply = Comment.objects.get(body="Here is my answer.")
    assert f"{post.get_absolute_url()}#comment-{reply.pk}" in message.body
    assert "/comments/stop/" in message.body


def test_subscriber_hears_when_a_moderator_approves_the_reply(
    moderator_client,
    post,
    send_comment,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    confirm_address("parent@example.org")
    parent = make_comment(
        post=post, author_email="parent@example.org", is_subscribed_to_replies=True
    )
    # A guest's browser: the moderator's own comments are published at once.
    send_comment(Client(), post, parent=parent.pk, body="A first-time reply.")
    # Held: only the moderator hears of it for now.
    assert [message.to for message in mailoutbox] == [["moderator@example.org"]]
    reply = Comment.objects.get(body="A first-time reply.")

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            QUEUE_URL, {"action": "approve", "_selected_action": [reply.pk]}
        )

    assert mailoutbox[-1].to == ["parent@example.org"]
    assert len(mailoutbox) == 2


def test_author_who_did_not_ask_hears_nothing(client, post, send_comment, mailoutbox):
    parent = make_comment(post=post, author_email="parent@example.org")
    make_known_guest(post)

    send_comment(client, post, parent=parent.pk)

    assert mailoutbox == []


def test_replying_to_yourself_sends_no_mail(client, post, send_comment, mailoutbox):
    parent = make_comment(
        post=post, author_email="ada@example.org", is_subscribed_to_replies=True
    )

    send_comment(client, post, parent=parent.pk, body="Also, one more thing.")

    assert mailoutbox == []


def test_account_subscriber_is_mailed_at_its_account_address(
    client, post, send_comment, mailoutbox
):
    account = make_user(email="account@example.org", is_email_verified=True)
    parent = make_comment(post=post, user=account, is_subscribed_to_replies=True)
    make_known_guest(post)

    send_comment(client, post, parent=parent.pk)

    assert [message.to for message in mailoutbox] == [["account@example.org"]]


def test_ticking_notify_me_subscribes_the_new_comment(client, post, send_comment):
    send_comment(client, post, is_subscribed_to_replies="on")

    assert Comment.objects.get().is_subscribed_to_replies


def test_unsubscribe_link_asks_then_stops_the_mail(
    client, post, send_comment, mailoutbox
):
    confirm_address("parent@example.org")
    parent = make_comment(
        post=post, author_email="parent@example.org", is_subscribed_to_replies=True
    )
    make_known_guest(post)
    send_comment(client, post, parent=parent.pk, body="First reply.")
    link = unsubscribe_link(mailoutbox[0])

    confirm = client.get(link)
    parent.refresh_from_db()
    assert parent.is_subscribed_to_replies  # a GET (a link scanner) changes nothing
    done = client.post(link)
    send_comment(client, post, parent=parent.pk, body="Second reply.")

    assert "Stop the mail" in confirm.text
    assert "You will get no more mail about the comments" in done.text
    parent.refresh_from_db()
    assert not parent.is_subscribed_to_replies
    assert len(mailoutbox) == 1


def test_mail_programs_unsubscribe_in_one_click(client, post, send_comment, mailoutbox):
    confirm_address("parent@example.org")
    parent = make_comment(
        post=post, author_email="parent@example.org", is_subscribed_to_replies=True
    )
    make_known_guest(post)
    send_comment(client, post, parent=parent.pk)
    message = mailoutbox[0]
    link = unsubscribe_link(message)
    # What a mail program sends for its own "Unsubscribe" button (RFC 8058):
    # a POST with no cookies and no CSRF token.
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(link, {"List-Unsubscribe": "One-Click"})

    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{settings.BLOG_SITE_URL}{link}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert response.status_code == 200
    parent.refresh_from_db()
    assert not parent.is_subscribed_to_replies


def test_reply_moved_up_by_the_depth_limit_notifies_the_comment_it_answers(
    client, post, send_comment, mailoutbox, settings
):
    settings.COMMENTS_MAX_DEPTH = 2
    confirm_address("top@example.org")
    confirm_address("deep@example.org")
    top = make_comment(
        post=post, author_email="top@example.org", is_subscribed_to_replies=True
    )
    deepest = make_comment(
        parent=top, author_email="deep@example.org", is_subscribed_to_replies=True
    )
    make_known_guest(post)

    send_comment(client, post, parent=deepest.pk, body="Answering the deep one.")

    assert [message.to for message in mailoutbox] == [["deep@example.org"]]


def test_a_mail_server_that_fails_loses_no_comment(
    client, post, send_comment, moderator, settings
):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.comments.test_notifications.BrokenMailServer"}
    }

    response = send_comment(client, post, body="Kept whatever the mail does.")

    assert response.status_code == 302
    assert Comment.objects.get().body == "Kept whatever the mail does."


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down.")


def test_tampered_unsubscribe_link_is_a_bad_request(client):
    url = reverse("comments:subscription-delete", kwargs={"token": "1:forged"})

    response = client.get(url)

    assert response.status_code == 400
    assert "This unsubscribe link is not valid." in response.text


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/comments/confirm-address/\S+/)", message.body)[
        1
    ]


def test_a_guest_hears_of_replies_only_once_the_address_is_confirmed(
    client, post, send_comment, mailoutbox, django_capture_on_commit_callbacks
):
    make_known_guest(post, email="replier@example.org")
    send_comment(
        client, post, author_email="bea@example.org", is_subscribed_to_replies="on"
    )
    guest = Comment.objects.get(author_email="bea@example.org")
    moderation_actions.comment_approve(comment=guest)
    replier = Client()
    reply = send_comment(
        replier, post, author_email="replier@example.org", parent=guest.pk
    )
    assert reply.status_code == 302
    assert Comment.objects.filter(parent=guest, status="approved").count() == 1
    assert [message.to for message in mailoutbox] == [["bea@example.org"]]
    link = confirmation_link(mailoutbox[0])

    page = client.get(link)
    assert "Confirm my address" in page.text
    send_comment(replier, post, author_email="replier@example.org", parent=guest.pk)
    assert len(mailoutbox) == 1  # opening the link confirmed nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    send_comment(
        replier, post, author_email="replier@example.org", parent=guest.pk, body="Hi"
    )

    assert "Thank you" in done.text
    assert [message.to for message in mailoutbox] == [["bea@example.org"]] * 2
    assert "New reply to your comment" in mailoutbox[1].subject


def test_someone_elses_address_gets_one_plain_confirmation_and_nothing_else(
    client, post, send_comment, mailoutbox
):
    make_known_guest(post, email="replier@example.org")
    send_comment(
        client,
        post,
        author_name="Your bank: call 0800 555 0199",
        author_email="victim@example.org",
        body="Your account is locked, call 0800 555 0199",
        is_subscribed_to_replies="on",
    )
    planted = Comment.objects.get(author_email="victim@example.org")
    moderation_actions.comment_approve(comment=planted)

    send_comment(Client(), post, author_email="replier@example.org", parent=planted.pk)

    assert Comment.objects.filter(parent=planted, status="approved").exists()
    assert [message.to for message in mailoutbox] == [["victim@example.org"]]
    assert "0800" not in mailoutbox[0].subject + mailoutbox[0].body
    assert "/comments/confirm-address/" in mailoutbox[0].body


def test_an_address_gets_at_most_three_confirmation_mails_an_hour(
    client, post, send_comment, mailoutbox
):
    for number in range(5):
        send_comment(
            Client(),
            post,
            author_email="victim@example.org",
            body=f"Comment {number}.",
            is_subscribed_to_replies="on",
            ip=f"203.0.113.{number}",
        )

    assert len(mailoutbox) == 3


def test_a_forged_or_stale_confirmation_link_confirms_nothing(
    client, post, send_comment, mailoutbox
):
    send_comment(
        client, post, author_email="bea@example.org", is_subscribed_to_replies="on"
    )
    link = confirmation_link(mailoutbox[0])
    Comment.objects.update(author_email="other@example.org")

    stale = client.post(link)
    forged = client.post(link[:-6] + "xxxxx/")

    assert stale.status_code == forged.status_code == 400
    assert "This confirmation link is not valid" in stale.text
    assert not ConfirmedAddress.objects.exists()


def test_an_account_whose_address_is_not_confirmed_hears_nothing(
    client, post, send_comment, mailoutbox
):
    account = make_user(email="account@example.org", is_email_verified=False)
    parent = make_comment(post=post, user=account, is_subscribed_to_replies=True)
    make_known_guest(post)

    send_comment(client, post, parent=parent.pk)

    assert mailoutbox == []


def test_an_unsubscribe_link_no_longer_touches_an_account_that_changed_address(
    client, post, send_comment, mailoutbox
):
    account = make_user(email="account@example.org", is_email_verified=True)
    parent = make_comment(post=post, user=account, is_subscribed_to_replies=True)
    make_known_guest(post)
    send_comment(client, post, parent=parent.pk)
    link = unsubscribe_link(mailoutbox[0])
    account.email = "new-owner@example.org"
    account.save()

    response = Client().post(link)

    # The link stops mail to the address it was sent to, whose owner this
    # account no longer is.
    assert response.status_code == 200
    parent.refresh_from_db()
    assert parent.is_subscribed_to_replies
