"""
Moderators ban a commenter (an account, an email address, or an IP range)
from the admin, with a reason and an optional end: their new comments go
straight to spam, their past ones are hidden if the moderator says so, and
everything comes back when the ban is lifted or its end date passes.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Ban, Comment, ModerationEvent
from tests.builders import (
    comment_count,
    make_comment,
    make_known_guest,
    make_moderator,
    make_user,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:comments_ban_add")
LIST_URL = reverse("admin:comments_ban_changelist")
LOG_URL = reverse("admin:comments_moderationevent_changelist")
Status = Comment.Status
Action = ModerationEvent.Action


def ban_form(**fields):
    return {
        "user": "",
        "email": "",
        "ip_network": "",
        "reason": "Abuse in the comments",
        "ends_at_0": "",
        "ends_at_1": "",
        **fields,
    }


def ban(client, **fields):
    """Ban through the admin's add form; returns the ban made."""
    response = client.post(ADD_URL, ban_form(**fields), follow=True)
    assert response.status_code == 200
    return Ban.objects.latest("pk")


def lift(client, ban):
    url = reverse("admin:comments_ban_lift", args=[ban.pk])
    return client.post(url, follow=True)


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


def test_a_banned_accounts_new_comments_go_straight_to_spam(
    moderator_client, moderator, post, send_comment
):
    account = make_user(email="troll@example.org")
    make_comment(post=post, user=account, body="Before the ban.")
    mail.outbox.clear()

    made = ban(moderator_client, user=account.pk, reason="Insults other readers")
    commenter = Client()
    commenter.force_login(account)
    response = send_comment(commenter, post, body="After the ban.")

    assert made.user == account and made.banned_by == moderator
    comment = Comment.objects.get(body="After the ban.")
    assert comment.status == Status.SPAM
    assert comment.reason_text == "Author banned: Insults other readers"
    # Nothing tells the banned commenter, nor troubles the moderators.
    assert response.status_code == 302
    assert mail.outbox == []
    page = Client().get(post.get_absolute_url()).text
    assert "After the ban." not in page
    assert "Before the ban." in page  # past comments stay unless asked
    logged = ModerationEvent.objects.get(action=Action.BAN)
    assert (logged.ban, logged.moderator, logged.comment) == (made, moderator, None)


def test_an_address_ban_covers_a_guest_and_the_account_with_that_address(
    moderator_client, post, send_comment
):
    account = make_user(email="Troll@Example.org")
    make_known_guest(post, email="troll@example.org")
    ban(moderator_client, email="TROLL@example.org")

    send_comment(Client(), post, author_email="troll@EXAMPLE.org", body="As a guest.")
    signed_in = Client()
    signed_in.force_login(account)
    send_comment(signed_in, post, body="Signed in.")
    send_comment(Client(), post, author_email="ok@example.org", body="Someone else.")

    assert status_of(Comment.objects.get(body="As a guest.")) == Status.SPAM
    assert status_of(Comment.objects.get(body="Signed in.")) == Status.SPAM
    assert status_of(Comment.objects.get(body="Someone else.")) == Status.PENDING


@pytest.mark.parametrize(
    ("network", "inside", "outside"),
    [
        ("198.51.100.0/24", "198.51.100.77", "198.51.101.1"),
        ("198.51.100.9", "198.51.100.9", "198.51.100.10"),
        ("2001:db8::/32", "2001:db8:1::5", "2001:db9::5"),
    ],
)
def test_an_ip_ban_covers_the_addresses_of_its_range(
    moderator_client, post, send_comment, network, inside, outside
):
    ban(moderator_client, ip_network=network)

    send_comment(Client(), post, ip=inside, body="From inside.")
    send_comment(Client(), post, ip=outside, body="From outside.")

    assert status_of(Comment.objects.get(body="From inside.")) == Status.SPAM
    assert status_of(Comment.objects.get(body="From outside.")) == Status.PENDING


def test_a_trusted_moderators_comment_is_spam_too_once_banned(
    moderator_client, post, send_comment
):
    other = make_moderator(username="rogue")
    ban(moderator_client, user=other.pk)
    client = Client()
    client.force_login(other)

    send_comment(client, post, body="Still here.")

    assert status_of(Comment.objects.get(body="Still here.")) == Status.SPAM


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"email": "a@example.org", "ip_network": "203.0.113.0/24"},
            "Ban one account, one email address, or one IP range.",
        ),
        ({}, "Ban one account, one email address, or one IP range."),
        ({"ip_network": "203.0.113.0/33"}, "Enter an IP address, or a range"),
        ({"ip_network": "example.org"}, "Enter an IP address, or a range"),
        ({"email": "a@example.org", "reason": ""}, "This field is required."),
    ],
)
def test_a_ban_form_with_a_mistake_says_what_and_keeps_the_input(
    moderator_client, fields, error
):
    response = moderator_client.post(ADD_URL, ban_form(**fields))

    assert response.status_code == 200
    assert error in response.text
    for value in fields.values():
        assert f'value="{value}"' in response.text or not value
    assert not Ban.objects.exists()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("203.0.113.77/24", "203.0.113.0/24"),
        (" 203.0.113.77/32", "203.0.113.77"),
        ("2001:DB8::1", "2001:db8::1"),
    ],
)
def test_a_range_is_kept_as_its_network_and_an_address_as_itself(
    moderator_client, typed, kept
):
    assert ban(moderator_client, ip_network=typed).ip_network == kept


def test_a_ban_hides_past_comments_and_lifting_it_brings_them_back(
    moderator_client, moderator, post
):
    account = make_user()
    answered = make_comment(post=post, user=account, body="Answered once.")
    reply = make_comment(parent=answered, body="A reply from someone else.")
    alone = make_comment(post=post, user=account, body="Nobody answered.")
    waiting = make_comment(
        post=post,
        user=account,
        status=Status.PENDING,
        moderation_reason=Comment.Reason.FIRST_COMMENT,
        body="Still in the queue.",
    )
    spam = make_comment(post=post, user=account, status=Status.SPAM, body="Spam.")
    assert comment_count(post) == 3

    response = moderator_client.post(
        ADD_URL, ban_form(user=account.pk, hides_past="on"), follow=True
    )

    assert "3 of their comments hidden." in response.text
    page = Client().get(post.get_absolute_url()).text
    assert "This comment was hidden: its author is banned." in page
    assert "Answered once." not in page and "Nobody answered." not in page
    assert "A reply from someone else." in page
    assert comment_count(post) == 1
    assert {status_of(c) for c in (answered, alone, waiting)} == {Status.REMOVED}
    assert status_of(spam) == Status.SPAM
    hidings = ModerationEvent.objects.filter(action=Action.BAN, comment__isnull=False)
    assert {event.comment for event in hidings} == {answered, alone, waiting}
    assert all(event.moderator == moderator for event in hidings)

    made = Ban.objects.get()
    response = lift(moderator_client, made)

    assert "lifted; 3 comment(s) shown again." in response.text
    assert [status_of(c) for c in (answered, alone, waiting, spam, reply)] == [
        Status.APPROVED,
        Status.APPROVED,
        Status.PENDING,
        Status.SPAM,
        Status.APPROVED,
    ]
    waiting.refresh_from_db()
    assert waiting.moderation_reason == Comment.Reason.FIRST_COMMENT
    assert comment_count(post) == 3
    page = Client().get(post.get_absolute_url()).text
    assert "Answered once." in page and "Nobody answered." in page
    made.refresh_from_db()
    assert (made.ended_by, made.is_in_force) == (moderator, False)
    lifted = ModerationEvent.objects.get(action=Action.UNBAN, comment__isnull=True)
    assert lifted.undoes == ModerationEvent.objects.get(
        action=Action.BAN, comment__isnull=True
    )
    assert lifted.moderator == moderator


def test_lifting_keeps_what_a_moderator_did_to_a_hidden_comment_since(
    moderator_client, post
):
    account = make_user()
    kept_down = make_comment(post=post, user=account, body="Kept down.")
    undone = make_comment(post=post, user=account, body="Undone on its page.")
    moderator_client.post(ADD_URL, ban_form(user=account.pk, hides_past="on"))
    moderator_client.post(
        reverse("admin:comments_comment_moderate", args=[kept_down.pk]),
        {"moderation": "spam"},
    )
    hiding = ModerationEvent.objects.get(action=Action.BAN, comment=undone)

    # The undo of a ban's hiding, on the comment's page, shows that one again.
    moderator_client.post(
        reverse("admin:comments_comment_undo", args=[undone.pk]),
        {"event": hiding.pk},
    )
    assert status_of(undone) == Status.APPROVED

    response = lift(moderator_client, Ban.objects.get())

    assert "0 comment(s) shown again." in response.text
    assert status_of(kept_down) == Status.SPAM
    assert status_of(undone) == Status.APPROVED


def test_a_ban_ends_by_itself_on_its_end_date(moderator_client, post, send_comment):
    account = make_user()
    hidden = make_comment(post=post, user=account, body="Hidden for a while.")
    ends = timezone.localtime() + datetime.timedelta(days=7)
    made = ban(
        moderator_client,
        user=account.pk,
        hides_past="on",
        ends_at_0=ends.strftime("%Y-%m-%d"),
        ends_at_1=ends.strftime("%H:%M:%S"),
    )
    client = Client()
    client.force_login(account)
    send_comment(client, post, body="During the ban.")
    assert status_of(Comment.objects.get(body="During the ban.")) == Status.SPAM

    # A week later: the rule stops applying the ban at once…
    past = timezone.now() - datetime.timedelta(minutes=1)
    Ban.objects.filter(pk=made.pk).update(ends_at=past)
    send_comment(client, post, body="After the ban.")
    assert status_of(Comment.objects.get(body="After the ban.")) != Status.SPAM
    assert status_of(hidden) == Status.REMOVED

    # …and the scheduled command shows its hidden comments again.
    output = io.StringIO()
    call_command("end_expired_bans", stdout=output)

    assert output.getvalue() == "Ended 1 expired ban(s).\n"
    assert status_of(hidden) == Status.APPROVED
    made.refresh_from_db()
    assert made.ended_at == past and made.ended_by is None
    back = ModerationEvent.objects.get(action=Action.UNBAN, comment=hidden)
    assert back.moderator is None
    assert back.actor == "Rule: The ban's end date passed"
    assert "Ended" in moderator_client.get(LIST_URL).text


def test_the_list_of_bans_ends_those_past_their_date(moderator_client, post):
    account = make_user()
    hidden = make_comment(post=post, user=account)
    made = ban(moderator_client, user=account.pk, hides_past="on")
    Ban.objects.filter(pk=made.pk).update(
        ends_at=timezone.now() - datetime.timedelta(hours=1)
    )

    page = moderator_client.get(LIST_URL + "?state=ended").text

    assert str(account) in page
    assert status_of(hidden) == Status.APPROVED


def test_a_ban_in_force_changes_its_end_but_not_whom_it_bans(moderator_client):
    made = ban(moderator_client, email="a@example.org")
    url = reverse("admin:comments_ban_change", args=[made.pk])

    page = moderator_client.get(url).text
    assert "Lift the ban now" in page
    response = moderator_client.post(
        url,
        ban_form(
            email="b@example.org",
            reason="Changed reason",
            ends_at_0="2030-01-01",
            ends_at_1="12:00:00",
        ),
    )

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.email == "a@example.org"
    assert made.reason == "Changed reason"
    assert made.ends_at.year == 2030


def test_bans_are_lifted_never_deleted(moderator_client, admin_client):
    made = ban(moderator_client, email="a@example.org")
    url = reverse("admin:comments_ban_delete", args=[made.pk])

    assert moderator_client.post(url, {"post": "yes"}).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Ban.objects.filter(pk=made.pk).exists()


def test_a_comments_page_links_to_banning_its_author(moderator_client, post):
    comment = make_comment(
        post=post, author_email="guest@example.org", ip_address="203.0.113.50"
    )

    page = moderator_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).text

    assert f'href="{ADD_URL}?email=guest%40example.org">Ban this address</a>' in page
    assert f'href="{ADD_URL}?ip_network=203.0.113.50">Ban 203.0.113.50</a>' in page
    form = moderator_client.get(ADD_URL + "?ip_network=203.0.113.50").text
    assert 'value="203.0.113.50"' in form


def test_the_log_lists_bans_and_their_end(moderator_client, moderator):
    made = ban(moderator_client, ip_network="203.0.113.0/24")
    lift(moderator_client, made)

    page = moderator_client.get(LOG_URL + "?action=ban").text
    assert "Ban on 203.0.113.0/24" in page
    assert "(undone)" in page
    ended = moderator_client.get(LOG_URL + "?action=unban").text
    assert "Ban on 203.0.113.0/24 ended" in ended


def test_only_moderators_ban(client, post):
    client.force_login(make_user(is_staff=True))

    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, ban_form(email="a@example.org")).status_code == 403
    assert not Ban.objects.exists()
