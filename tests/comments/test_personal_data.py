"""
A guest proves an address by the link mailed to it, then downloads what the
site keeps about it as JSON, or erases it: comments nobody answered go,
answered ones stay as placeholders with nothing of the person left, and the
audit log and earlier texts lose their words too.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import (
    Comment,
    CommentRevision,
    ConfirmedAddress,
    ModerationEvent,
    Subscription,
)
from tests.builders import (
    comment_count,
    confirm_address,
    make_comment,
    make_post,
    make_user,
)

pytestmark = pytest.mark.django_db

REQUEST_URL = reverse("comments:data-request")


@pytest.fixture
def ask_for_link(django_capture_on_commit_callbacks, mailoutbox):
    """Ask for the data link as a guest does; returns its path, if one was mailed."""

    def ask(client, email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(REQUEST_URL, {"email": email}, follow=True)
        assert "a link to them is on its way there" in response.text
        for message in reversed(mailoutbox):
            if message.to == [email.lower()]:
                return re.search(
                    r"https?://[^/\s]+(/comments/your-data/\S+/)", message.body
                )[1]
        return None

    return ask


@pytest.fixture
def guest_thread(post):
    """Bea's comments: one answered by Carl, one alone, one held, one edited."""
    confirm_address("bea@example.org")
    answered = make_comment(
        post=post,
        author_name="Bea",
        author_email="bea@example.org",
        author_url="https://bea.example.org",
        ip_address="198.51.100.4",
        user_agent="Firefox",
        body="Bea's answered comment.",
    )
    reply = make_comment(parent=answered, author_name="Carl", body="Carl replies.")
    alone = make_comment(post=post, author_email="BEA@example.org", body="Bea alone.")
    held = make_comment(
        post=post,
        author_email="bea@example.org",
        status=Comment.Status.PENDING,
        body="Bea held.",
    )
    CommentRevision.objects.create(comment=answered, body="Bea's first words.")
    ModerationEvent.objects.create(
        comment=answered,
        action=ModerationEvent.Action.EDIT,
        before={"status": "approved", "body": "Bea's first words."},
        after={"status": "approved", "body": "Bea's answered comment."},
    )
    Subscription.objects.create(post=post, email="bea@example.org")
    return answered, reply, alone, held


def test_a_guest_downloads_their_comments_from_the_mailed_link(
    client, post, guest_thread, ask_for_link
):
    answered, _, alone, held = guest_thread

    link = ask_for_link(client, "Bea@Example.org")
    page = client.get(link)
    download = client.get(link + "download/")

    assert "3 comments written here with bea@example.org" in page.text
    assert download["Content-Disposition"] == 'attachment; filename="my-comments.json"'
    assert "no-store" in download["Cache-Control"]
    data = json.loads(download.content)
    assert data["email"] == "bea@example.org"
    by_text = {comment["text"]: comment for comment in data["comments"]}
    assert set(by_text) == {"Bea's answered comment.", "Bea alone.", "Bea held."}
    first = by_text["Bea's answered comment."]
    assert first["earlier_texts"][0]["text"] == "Bea's first words."
    assert (first["ip_address"], first["browser"]) == ("198.51.100.4", "Firefox")
    assert first["website"] == "https://bea.example.org"
    assert first["url"].endswith(f"#comment-{answered.pk}")
    assert by_text["Bea held."]["status"] == "Pending"
    assert [f["post"] for f in data["following"]] == [post.title]
    assert "Carl replies." not in download.content.decode()


def test_erasing_keeps_the_threads_shape_and_nothing_of_the_person(
    client, post, guest_thread, ask_for_link
):
    answered, reply, alone, held = guest_thread
    link = ask_for_link(client, "bea@example.org")

    refused = client.post(link, {})
    assert refused.status_code == 400 and Comment.objects.count() == 4
    done = client.post(link, {"confirm": "erase"})

    assert "2 comments deleted, and 1 with replies left as placeholders" in done.text
    assert not Comment.objects.filter(pk__in=[alone.pk, held.pk]).exists()
    answered.refresh_from_db()
    assert (answered.status, answered.removal) == ("removed", "erasure")
    for field in ("body", "body_html", "author_name", "author_email", "author_url"):
        assert getattr(answered, field) == ""
    assert answered.ip_address is None and answered.user_agent == ""
    assert not CommentRevision.objects.filter(comment=answered).exists()
    log = " ".join(
        json.dumps([event.before, event.after])
        for event in ModerationEvent.objects.all()
    )
    assert "Bea's" not in log
    assert not Subscription.objects.exists()
    assert not ConfirmedAddress.objects.filter(email="bea@example.org").exists()
    page = Client().get(post.get_absolute_url()).text
    assert "This comment was erased at its author’s request." in page
    assert "Carl replies." in page
    assert "Bea" not in page
    assert comment_count(post) == 1


def test_a_reply_among_the_guests_own_goes_with_them(client, post, ask_for_link):
    confirm_address("bea@example.org")
    top = make_comment(post=post, author_email="bea@example.org", body="Top.")
    make_comment(parent=top, author_email="bea@example.org", body="Own reply.")
    link = ask_for_link(client, "bea@example.org")

    client.post(link, {"confirm": "erase"})

    assert not Comment.objects.exists()


def test_no_link_goes_to_an_address_without_comments_and_the_page_says_the_same(
    client, post, ask_for_link, mailoutbox
):
    make_comment(post=post, author_email="someone@example.org")

    assert ask_for_link(client, "nobody@example.org") is None
    assert mailoutbox == []


def test_an_account_holders_comments_are_not_a_guests(
    client, post, ask_for_link, mailoutbox
):
    account = make_user(email="bea@example.org")
    make_comment(post=post, user=account, body="Written signed in.")

    assert ask_for_link(client, "bea@example.org") is None


@pytest.mark.parametrize("path", ["", "download/"])
def test_a_forged_link_shows_nothing(client, path):
    url = reverse("comments:data", args=["e30:forged:sig"]) + path

    response = client.get(url)

    assert response.status_code == 400
    assert "not valid or has expired" in response.text


def test_a_few_links_an_hour_at_most(client, post, ask_for_link, mailoutbox):
    make_comment(post=post, author_email="bea@example.org")
    for _ in range(5):
        ask_for_link(Client(), "bea@example.org")

    assert len(mailoutbox) == 3


def test_a_bad_address_is_refused_with_the_form(client):
    response = client.post(REQUEST_URL, {"email": "not an address"})

    assert response.status_code == 400
    assert 'value="not an address"' in response.text
    assert "Enter a valid email address." in response.text


def test_the_other_posts_thread_is_recounted(client, ask_for_link):
    other = make_post()
    make_comment(post=other, author_email="bea@example.org")
    assert comment_count(other) == 1
    link = ask_for_link(client, "bea@example.org")

    client.post(link, {"confirm": "erase"})

    assert comment_count(other) == 0
