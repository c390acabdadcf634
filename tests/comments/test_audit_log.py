"""
Every moderation action is logged with who, when, why and the comment's
state before and after; a moderator can undo the last action on a comment
from its admin page, and read the log filtered by moderator and action.
"""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationEvent, TrustedAuthor
from tests.builders import (
    comment_admin_form,
    make_comment,
    make_moderator,
    make_user,
)

pytestmark = pytest.mark.django_db

LOG_URL = reverse("admin:comments_moderationevent_changelist")
QUEUE_URL = reverse("admin:comments_comment_changelist")

Status = Comment.Status
Action = ModerationEvent.Action


def moderate(client, comment, action):
    url = reverse("admin:comments_comment_moderate", args=[comment.pk])
    return client.post(url, {"moderation": action})


def change_page(client, comment):
    return client.get(reverse("admin:comments_comment_change", args=[comment.pk]))


def undo(client, comment, event):
    url = reverse("admin:comments_comment_undo", args=[comment.pk])
    return client.post(url, {"event": event.pk}, follow=True)


def state(comment):
    comment.refresh_from_db()
    return comment.status, comment.removal, comment.moderation_reason


# Each button: the status the comment starts in, and the one it gets.
BUTTONS = [
    ("approve", Status.PENDING, Status.APPROVED),
    ("spam", Status.APPROVED, Status.SPAM),
    ("remove", Status.APPROVED, Status.REMOVED),
    ("restore", Status.REMOVED, Status.PENDING),
    ("restore", Status.SPAM, Status.PENDING),
    ("trust", Status.PENDING, Status.APPROVED),
]


@pytest.mark.parametrize(("button", "start", "end"), BUTTONS)
def test_each_action_is_logged_and_undone_from_the_comments_page(
    moderator_client, moderator, post, button, start, end
):
    reason = Comment.Reason.FIRST_COMMENT if start == Status.PENDING else ""
    comment = make_comment(
        post=post, status=start, moderation_reason=reason, body="Plain words."
    )
    before = state(comment)

    moderate(moderator_client, comment, button)

    assert state(comment)[0] == end
    event = ModerationEvent.objects.get(comment=comment)
    assert event.moderator == moderator
    assert event.action == (Action.TRUST if button == "trust" else button)
    assert (event.before["status"], event.after["status"]) == (start, end)
    page = change_page(moderator_client, comment).text
    assert f'name="event" value="{event.pk}">Undo</button>' in page
    assert f"{event.get_action_display()} by {moderator}" in page

    response = undo(moderator_client, comment, event)

    assert "Undone:" in response.text
    assert state(comment) == before
    taken_back = ModerationEvent.objects.get(undoes=event)
    assert taken_back.action == Action.UNDO and taken_back.moderator == moderator
    assert (taken_back.before["status"], taken_back.after["status"]) == (end, start)
    assert "(undone)" in change_page(moderator_client, comment).text
    # An undo is not undone in turn: the page offers no button for it.
    assert ">Undo</button>" not in change_page(moderator_client, comment).text


def test_undoing_approve_and_trust_withdraws_the_trust(moderator_client, post):
    comment = make_comment(
        post=post, status=Status.PENDING, author_email="new@example.org"
    )
    moderate(moderator_client, comment, "trust")
    assert TrustedAuthor.objects.filter(email="new@example.org").exists()

    undo(moderator_client, comment, ModerationEvent.objects.get(comment=comment))

    assert not TrustedAuthor.objects.exists()
    assert state(comment)[0] == Status.PENDING


def test_undoing_a_trust_that_existed_before_keeps_it(moderator_client, post):
    TrustedAuthor.objects.create(email="known@example.org")
    comment = make_comment(
        post=post, status=Status.PENDING, author_email="known@example.org"
    )
    moderate(moderator_client, comment, "trust")

    undo(moderator_client, comment, ModerationEvent.objects.get(comment=comment))

    assert TrustedAuthor.objects.filter(email="known@example.org").exists()


def test_a_correction_is_logged_with_both_texts_and_undone(
    moderator_client, moderator, client, post
):
    comment = make_comment(post=post, body="Call 0123 456 789.")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    moderator_client.post(url, comment_admin_form(body="Call [removed]."))
    event = ModerationEvent.objects.get(comment=comment)
    assert event.action == Action.EDIT and event.moderator == moderator
    assert event.before["body"] == "Call 0123 456 789."
    assert event.after["body"] == "Call [removed]."

    undo(moderator_client, comment, event)

    comment.refresh_from_db()
    assert comment.body == "Call 0123 456 789."
    assert "Call 0123 456 789." in Client().get(post.get_absolute_url()).text
    # The undone correction is an earlier text too.
    assert list(comment.revisions.values_list("body", flat=True)) == [
        "Call [removed].",
        "Call 0123 456 789.",
    ]


def test_the_undo_shows_on_the_public_thread(moderator_client, post):
    comment = make_comment(post=post, body="Fine words.")
    moderate(moderator_client, comment, "remove")
    assert "Fine words." not in Client().get(post.get_absolute_url()).text

    undo(moderator_client, comment, ModerationEvent.objects.get(comment=comment))

    assert "Fine words." in Client().get(post.get_absolute_url()).text


def test_an_undo_from_a_stale_page_is_refused(moderator_client, post):
    comment = make_comment(post=post, status=Status.PENDING)
    moderate(moderator_client, comment, "approve")
    approval = ModerationEvent.objects.get(comment=comment)
    other = Client()
    other.force_login(make_moderator())
    moderate(other, comment, "remove")

    response = undo(moderator_client, comment, approval)

    assert "no longer the last action" in response.text
    assert state(comment)[0] == Status.REMOVED


def test_bulk_actions_log_one_entry_per_comment(moderator_client, moderator, post):
    comments = [make_comment(post=post, status=Status.PENDING) for _ in range(3)]

    moderator_client.post(
        QUEUE_URL,
        {"action": "mark_spam", "_selected_action": [c.pk for c in comments]},
    )

    events = ModerationEvent.objects.filter(action=Action.SPAM, moderator=moderator)
    assert sorted(events.values_list("comment", flat=True)) == [c.pk for c in comments]


def test_the_rules_holds_and_spam_are_logged_and_not_undoable(
    moderator_client, post, send_comment
):
    send_comment(Client(), post, author_email="first@example.org", body="Hello.")
    send_comment(Client(), post, subject="http://spam.example", body="Buy.")
    held = Comment.objects.get(body="Hello.")
    spam = Comment.objects.get(body="Buy.")

    hold = ModerationEvent.objects.get(comment=held)
    caught = ModerationEvent.objects.get(comment=spam)

    assert (hold.action, hold.moderator) == (Action.HOLD, None)
    assert hold.reason == "First comment of this author"
    assert hold.before == {} and hold.after["status"] == Status.PENDING
    assert (caught.action, caught.reason) == (Action.SPAM, "Honeypot field filled")
    page = change_page(moderator_client, held).text
    assert "Rule: First comment of this author" in page
    assert ">Undo</button>" not in page
    assert undo(moderator_client, held, hold).status_code == 200
    assert state(held)[0] == Status.PENDING


def test_the_log_filters_by_moderator_and_action(
    moderator_client, moderator, post, send_comment
):
    send_comment(Client(), post, author_email="new@example.org", body="Rule held.")
    someone_else = make_moderator(username="sam")
    other = Client()
    other.force_login(someone_else)
    mine = make_comment(post=post, body="Mine to spam.")
    theirs = make_comment(post=post, body="Theirs to spam.")
    removed = make_comment(post=post, body="Mine to remove.")
    moderate(moderator_client, mine, "spam")
    moderate(other, theirs, "spam")
    moderate(moderator_client, removed, "remove")

    page = log_rows(moderator_client, {"action__exact": "spam", "by": moderator.pk})

    assert "Mine to spam." in page
    assert "Theirs to spam." not in page and "Mine to remove." not in page
    everything = log_rows(moderator_client, {})
    assert all(text in everything for text in ["Mine to", "Theirs to spam.", "sam"])
    by_rules = log_rows(moderator_client, {"by": "rules"})
    assert "Rule held." in by_rules
    assert "to spam." not in by_rules and "to remove." not in by_rules


def log_rows(client, query):
    """The log's table of entries, as the filters leave it."""
    response = client.get(LOG_URL, query)
    assert response.status_code == 200
    page = response.text
    start = page.index('<table id="result_list"')
    return page[start : page.index("</table>", start)]


def test_undo_needs_a_post_from_a_moderator(client, editor_client, post):
    comment = make_comment(post=post)
    moderator = make_moderator()
    staff = Client()
    staff.force_login(moderator)
    moderate(staff, comment, "remove")
    event = ModerationEvent.objects.get(comment=comment)
    url = reverse("admin:comments_comment_undo", args=[comment.pk])

    assert staff.get(url).status_code == 405
    assert editor_client.post(url, {"event": event.pk}).status_code == 403
    assert editor_client.get(LOG_URL).status_code == 403
    assert state(comment)[0] == Status.REMOVED


def test_accounts_that_are_not_staff_never_reach_the_log(client, post):
    client.force_login(make_user())
    response = client.get(LOG_URL)
    assert response.status_code == 302
