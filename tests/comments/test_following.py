"""
Readers follow a post's comments without commenting: signed in at once, as
a guest once they follow the link mailed to the address. Followers, the
post's author and those who asked for replies hear of approved comments
only, never of held ones; every mail has a one-click unsubscribe and a link
to the reader's subscriptions, which list and end them.

Tasks run as they are enqueued here (tests/conftest.py); the database
worker, the digest of a busy thread and a real worker process are in
test_mail_worker.py.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from comments.models import Comment, Subscription
from tests.builders import (
    confirm_address,
    make_comment,
    make_known_guest,
    make_post,
    make_user,
)

pytestmark = pytest.mark.django_db


def link_in(message, path):
    return re.search(rf"https?://[^/\s]+({path}\S+/)", message.body)[1]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def follow(django_capture_on_commit_callbacks):
    """Follow a post from its page; the confirmation mail, if any, is sent."""

    def send(client, post, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("comments:post-follow", args=[post.slug]), data)

    return send


def reader(**fields):
    return make_user(is_email_verified=True, **fields)


@pytest.fixture
def known_guest_comment(send_comment):
    """A comment by a known guest, which the rules publish at once."""

    def send(post, body, **fields):
        make_known_guest(post, email="known@example.org")
        send_comment(
            Client(), post, author_email="known@example.org", body=body, **fields
        )
        return Comment.objects.get(body=body)

    return send


def test_a_signed_in_reader_follows_and_hears_of_approved_comments(
    follow, post, known_guest_comment, mailoutbox
):
    follower = reader(email="follower@example.org")
    client = signed_in(follower)

    response = follow(client, post)
    comment = known_guest_comment(post, "A new point of view.")

    assert response.status_code == 302
    assert "Stop the mail" in client.get(post.get_absolute_url()).text
    mail = [message for message in mailoutbox if message.to == [follower.email]]
    assert len(mail) == 1
    message = mail[0]
    assert message.subject == f"New comment on “{post.title}”"
    assert "A new point of view." in message.body
    assert f"{post.get_absolute_url()}#comment-{comment.pk}" in message.body
    stop = link_in(message, "/comments/stop/")
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{settings.BLOG_SITE_URL}{stop}>"
    )
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert "/comments/subscriptions/" in message.body


def test_a_held_comment_sends_followers_nothing_until_approved(
    follow,
    django_capture_on_commit_callbacks,
    post,
    send_comment,
    mailoutbox,
    moderator_client,
):
    follower = reader(email="follower@example.org")
    follow(signed_in(follower), post)

    send_comment(Client(), post, author_email="new@example.org", body="Held first.")
    held = Comment.objects.get(body="Held first.")
    assert held.status == Comment.Status.PENDING
    assert [m for m in mailoutbox if m.to == [follower.email]] == []

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            reverse("admin:comments_comment_moderate", args=[held.pk]),
            {"moderation": "approve"},
        )

    mail = [m for m in mailoutbox if m.to == [follower.email]]
    assert len(mail) == 1 and "Held first." in mail[0].body


def test_a_guest_follows_only_from_the_mailed_link(
    follow, client, post, known_guest_comment, mailoutbox
):
    response = follow(client, post, email="Bea@Example.org")

    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "follow the link we have sent to Bea@Example.org" in page
    assert [message.to for message in mailoutbox] == [["bea@example.org"]]
    confirmation = mailoutbox[0]
    assert post.title in confirmation.body  # a title, but no visitor's text
    link = link_in(confirmation, "/comments/follow/")

    known_guest_comment(post, "Before the guest confirmed.")
    assert len(mailoutbox) == 1
    assert "Start the mail" in client.get(link).text
    assert not Subscription.objects.mailed().exists()  # a GET changes nothing
    assert "will be mailed to you" in client.post(link).text
    known_guest_comment(post, "After the guest confirmed.")

    assert [message.to for message in mailoutbox] == [["bea@example.org"]] * 2
    assert "After the guest confirmed." in mailoutbox[1].body


def test_someone_elses_address_gets_a_few_plain_confirmations_and_nothing_else(
    follow, post, mailoutbox, known_guest_comment
):
    for _ in range(6):
        follow(Client(), post, email="victim@example.org")

    known_guest_comment(post, "Call 0800 now.")

    assert [message.to for message in mailoutbox] == [["victim@example.org"]] * 3
    assert all("0800" not in message.body for message in mailoutbox)


@pytest.mark.parametrize(
    ("email", "error"),
    [("", "Give your email address."), ("not-an-address", "Enter a valid email")],
)
def test_a_follow_without_a_good_address_says_why(follow, client, post, email, error):
    response = follow(client, post, email=email)

    assert response.status_code == 400
    assert error in response.text
    assert not Subscription.objects.exists()


def test_a_forged_follow_link_starts_nothing(client, post):
    response = client.post(reverse("comments:follow-confirm", args=["1:forged"]))

    assert response.status_code == 400
    assert "not valid or has expired" in response.text


def test_a_posts_author_hears_of_comments_on_it_and_stops_in_one_click(
    known_guest_comment, mailoutbox
):
    author = reader(email="author@example.org")
    post, other = make_post(author=author), make_post(author=author)

    known_guest_comment(post, "Thank you for writing this.")

    mail = [m for m in mailoutbox if m.to == ["author@example.org"]]
    assert [m.subject for m in mail] == [f"New comment on your post “{post.title}”"]
    # What a mail program sends for its own "Unsubscribe" button (RFC 8058).
    stop = link_in(mail[0], "/comments/stop/")
    mail_program = Client(enforce_csrf_checks=True)
    assert mail_program.post(stop, {"List-Unsubscribe": "One-Click"}).status_code == 200

    known_guest_comment(post, "A second comment.")
    known_guest_comment(other, "On the other post.")

    mail = [m for m in mailoutbox if m.to == ["author@example.org"]]
    assert [m.subject for m in mail][1:] == [
        f"New comment on your post “{other.title}”"
    ]


def test_nobody_is_mailed_about_their_own_comment(
    follow, post, send_comment, mailoutbox
):
    author = reader(email="author@example.org")
    own_post = make_post(author=author)
    follow(signed_in(author), post)

    send_comment(signed_in(author), own_post, body="On my own post.")
    send_comment(signed_in(author), post, body="On a post I follow.")

    assert [m for m in mailoutbox if m.to == ["author@example.org"]] == []


def test_my_subscriptions_lists_what_is_mailed_and_stops_it(follow, post, mailoutbox):
    me = reader(email="me@example.org")
    mine = make_post(author=me, title="My own post")
    followed = make_post(title="A post I follow")
    answered = make_post(title="A post I commented on")
    make_comment(post=answered, user=me, is_subscribed_to_replies=True)
    client = signed_in(me)
    follow(client, followed)
    url = reverse("comments:subscriptions-mine")

    page = client.get(url).text
    assert "My subscriptions" in client.get(post.get_absolute_url()).text
    for title, why in [
        ("My own post", "You wrote it"),
        ("A post I follow", "You follow it"),
        ("A post I commented on", "Replies to your comments"),
    ]:
        assert re.search(rf"{title}</a>\s*<span class=\"post-meta\">{why}", page)

    for stopped in (mine, followed, answered):
        response = client.post(url, {"post": stopped.pk}, follow=True)
        assert f"You will get no more mail about “{stopped.title}”" in response.text

    assert "Nothing: no post’s comments are mailed to you." in client.get(url).text
    assert not Comment.objects.filter(is_subscribed_to_replies=True).exists()


def test_my_subscriptions_needs_its_csrf_token(post):
    me = reader(email="me@example.org")
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)
    follow_url = reverse("comments:post-follow", args=[post.slug])

    assert client.post(follow_url).status_code == 403
    assert (
        client.post(
            reverse("comments:subscriptions-mine"), {"post": post.pk}
        ).status_code
        == 403
    )


def test_a_guest_reaches_their_subscriptions_from_any_mail(
    follow, client, post, known_guest_comment, mailoutbox
):
    confirm_address("bea@example.org")
    make_comment(
        post=post, author_email="bea@example.org", is_subscribed_to_replies=True
    )
    follow(client, post, email="bea@example.org")
    client.post(link_in(mailoutbox[0], "/comments/follow/"))
    known_guest_comment(post, "Something new.")
    url = link_in(mailoutbox[-1], "/comments/subscriptions/")

    page = client.get(url).text
    assert "mailed to bea@example.org" in page
    assert "You follow it · Replies to your comments" in page

    client.post(url, {"post": post.pk})

    assert "Nothing: no post’s comments" in client.get(url).text
    forged = client.get(reverse("comments:subscriptions-by-mail", args=["1:forged"]))
    assert forged.status_code == 400


def test_a_reader_stops_following_from_the_post(
    follow, post, known_guest_comment, mailoutbox
):
    follower = reader(email="follower@example.org")
    client = signed_in(follower)
    follow(client, post)

    client.post(reverse("comments:post-unfollow", args=[post.slug]))
    known_guest_comment(post, "Nobody follows now.")

    assert "Follow new comments by email" in client.get(post.get_absolute_url()).text
    assert [m for m in mailoutbox if m.to == [follower.email]] == []


def test_one_readers_stop_leaves_the_other_followers_alone(
    follow, post, known_guest_comment, mailoutbox
):
    no_address = reader(email="")
    follower = reader(email="follower@example.org")
    follow(signed_in(no_address), post)
    follow(signed_in(follower), post)

    signed_in(no_address).post(reverse("comments:post-unfollow", args=[post.slug]))
    signed_in(no_address).post(
        reverse("comments:subscriptions-mine"), {"post": post.pk}
    )
    known_guest_comment(post, "Still mailed to the other.")

    assert len([m for m in mailoutbox if m.to == [follower.email]]) == 1
