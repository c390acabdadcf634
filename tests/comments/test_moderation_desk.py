"""The moderation queue's one-click actions, tabs, counts and thread view."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment, TrustedAuthor
from tests import builders
from tests.builders import make_comment, make_user

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:comments_comment_changelist")
PENDING_URL = QUEUE_URL + "?status__exact=pending"


def moderate_url(comment):
    return reverse("admin:comments_comment_moderate", args=[comment.pk])


def held(post, **fields):
    fields.setdefault("status", Comment.Status.PENDING)
    fields.setdefault("moderation_reason", Comment.Reason.FIRST_COMMENT)
    return make_comment(post=post, **fields)


def row_buttons(page, comment):
    """The formaction of each button in the comment's queue row, by action."""
    row = re.search(
        rf'<tr>(?:(?!</tr>).)*id="comment-{comment.pk}"(?:(?!</tr>).)*</tr>', page, re.S
    )
    assert row, f"No queue row for comment {comment.pk}."
    buttons = re.findall(
        r'<button[^>]*?value="(\w+)"[^>]*?formaction="([^"]+)"', row[0]
    )
    return {action: formaction.replace("&amp;", "&") for action, formaction in buttons}


def test_each_row_has_one_click_buttons_that_come_back_to_the_row_below(
    moderator_client, post
):
    older = held(post, body="The older held comment.")
    newer = held(post, body="The newer held comment.")

    page = moderator_client.get(PENDING_URL).text
    buttons = row_buttons(page, newer)

    assert set(buttons) == {"approve", "spam", "remove", "trust"}
    formaction = urlsplit(buttons["approve"])
    assert formaction.path == moderate_url(newer)
    assert parse_qs(formaction.query)["next"] == [f"{PENDING_URL}#comment-{older.pk}"]


def test_approve_button_publishes_and_returns_to_the_list(moderator_client, post):
    comment = held(post, body="Worth publishing.")
    back = f"{PENDING_URL}&p=1#comment-99"

    response = moderator_client.post(
        moderate_url(comment), {"moderation": "approve", "next": back}
    )

    assert response.status_code == 302
    assert response["Location"] == back
    assert "Worth publishing." in Client().get(post.get_absolute_url()).text
    followed = moderator_client.get(PENDING_URL).text
    assert "Approved: “Worth publishing.”" in followed


@pytest.mark.parametrize(
    "action, status",
    [
        ("spam", Comment.Status.SPAM),
        ("remove", Comment.Status.REMOVED),
        ("approve", Comment.Status.APPROVED),
    ],
)
def test_each_button_gives_its_status(moderator_client, post, action, status):
    comment = held(post)

    moderator_client.post(moderate_url(comment), {"moderation": action})

    comment.refresh_from_db()
    assert comment.status == status


def test_restore_button_returns_spam_to_the_queue(moderator_client, post):
    comment = held(post, status=Comment.Status.SPAM)

    moderator_client.post(moderate_url(comment), {"moderation": "restore"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_button_refuses_a_next_page_outside_the_admin(moderator_client, post):
    comment = held(post)

    response = moderator_client.post(
        moderate_url(comment),
        {"moderation": "approve", "next": "https://evil.example/admin/"},
    )

    assert response["Location"] == PENDING_URL


def test_button_needs_post_csrf_and_the_right_to_moderate(
    moderator, editor_client, post
):
    comment = held(post)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(moderator)

    assert (
        editor_client.post(moderate_url(comment), {"moderation": "approve"}).status_code
        == 403
    )
    assert (
        csrf_client.post(moderate_url(comment), {"moderation": "approve"}).status_code
        == 403
    )
    assert csrf_client.get(moderate_url(comment)).status_code == 405
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_an_unknown_action_is_refused(moderator_client, post):
    comment = held(post)

    response = moderator_client.post(moderate_url(comment), {"moderation": "delete"})

    assert response.status_code == 400
    assert Comment.objects.filter(pk=comment.pk, status="pending").exists()


def test_approve_and_trust_publishes_the_accounts_next_held_comment(
    moderator_client, post, send_comment
):
    client = Client()
    author = make_user(email="sam@example.org", is_email_verified=True)
    first = held(post, user=author, body="First, held.")
    moderator_client.post(moderate_url(first), {"moderation": "trust"})
    client.force_login(author)

    # Links past COMMENTS_MAX_LINKS hold anyone's comment but a trusted author's.
    links = " ".join(f"https://example.org/{n}" for n in range(5))
    send_comment(client, post, body=f"Sources: {links}")

    latest = Comment.objects.filter(user=author).latest("pk")
    assert latest.status == Comment.Status.APPROVED
    assert TrustedAuthor.objects.filter(user=author).exists()


def test_trusted_author_is_still_caught_by_the_spam_rules(
    moderator_client, post, send_comment
):
    client = Client()
    author = make_user(email="sam@example.org", is_email_verified=True)
    moderator_client.post(
        moderate_url(held(post, user=author)), {"moderation": "trust"}
    )
    client.force_login(author)

    send_comment(client, post, subject="filled by a bot")

    assert Comment.objects.filter(user=author).latest("pk").status == "spam"


def test_trusting_a_guest_waits_for_their_address_to_be_confirmed(
    moderator_client, post, send_comment, settings
):
    client = Client()
    settings.COMMENTS_MODERATION_WORDS = ["crypto"]
    comment = held(post, author_email="guest@example.org")

    response = moderator_client.post(
        moderate_url(comment), {"moderation": "trust"}, follow=True
    )
    send_comment(client, post, author_email="guest@example.org", body="crypto talk")
    builders.confirm_address("guest@example.org")
    send_comment(client, post, author_email="guest@example.org", body="crypto again")

    assert "trusted once they confirm their address" in response.text
    statuses = Comment.objects.filter(author_email="guest@example.org").order_by("pk")
    assert [c.status for c in statuses] == ["approved", "pending", "approved"]


def test_queue_shows_the_authors_record(moderator_client, post):
    for status in ["approved", "approved", "spam"]:
        make_comment(post=post, author_email="pat@example.org", status=status)
    held(post, author_email="pat@example.org", body="Pat again.")

    page = moderator_client.get(PENDING_URL).text

    assert "2 approved · 1 spam" in page


def test_queue_reads_a_fixed_number_of_queries_however_many_rows(
    moderator_client, post
):
    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(PENDING_URL).status_code == 200
        return len(captured)

    held(post, user=make_user())
    held(post)
    few = queries_for_page()
    for n in range(20):
        held(post, user=make_user() if n % 2 else None, parent=None)

    assert queries_for_page() == few


def test_a_comment_sent_too_fast_is_counted_and_marked_for_moderators(
    moderator_client, post, send_comment, settings
):
    client = Client()
    settings.COMMENTS_MIN_SECONDS = 60
    send_comment(client, post, body="Typed quickly by a person.")

    index = moderator_client.get(reverse("admin:index")).text
    spam_tab = moderator_client.get(QUEUE_URL + "?status__exact=spam").text

    assert "1 caught as spam in the last day" in index
    assert "1 submitted too fast" in index
    assert "Typed quickly by a person." in spam_tab
    assert "queue-reason-too-fast" in spam_tab
    assert "Submitted too fast" in spam_tab


def test_admin_index_counts_pending_comments(moderator_client, post):
    held(post)
    held(post)

    index = moderator_client.get(reverse("admin:index")).text

    assert "2 comments waiting for moderation" in index


def test_tabs_show_counts_and_the_current_tab(moderator_client, post):
    held(post)
    make_comment(post=post, status=Comment.Status.SPAM)

    page = moderator_client.get(PENDING_URL).text

    tabs = page[page.index('class="queue-tabs"') :]
    current = re.search(r'<a href="[^"]*" aria-current="page">([^<]+)', tabs)
    assert current[1].strip() == "Pending"
    assert re.search(r"Pending <span class=\"queue-count\">1</span>", page)
    assert "1 in the last day" in page


def test_queue_hides_long_comments_behind_a_summary(moderator_client, post):
    long_body = " ".join(["word"] * 80) + " the very end"
    held(post, body=long_body)

    page = moderator_client.get(PENDING_URL).text

    assert "<details" in page and "Read all 83 words" in page
    assert "the very end" in page


def test_thread_view_has_the_buttons_on_every_comment(moderator_client, post):
    approved = make_comment(post=post, body="Approved one.")
    pending = held(post, parent=approved, body="Pending reply.")

    page = moderator_client.get(
        reverse("admin:comments_comment_thread", args=[post.pk])
    ).text

    assert 'class="breadcrumbs"' in page and "<ol" in page
    for comment in [approved, pending]:
        assert f'action="{moderate_url(comment)}"' in page
    assert page.count('name="moderation" value="approve"') == 1  # the pending one


def test_moderator_reply_is_published_at_once_under_its_parent(
    moderator_client, post, moderator
):
    parent = make_comment(post=post, body="A reader asks a question.")
    url = reverse("admin:comments_comment_thread", args=[post.pk])

    response = moderator_client.post(
        url, {"parent": parent.pk, "body": "The moderator answers."}
    )

    reply = Comment.objects.get(body="The moderator answers.")
    assert response["Location"] == f"{url}#comment-{reply.pk}"
    assert reply.status == Comment.Status.APPROVED
    assert reply.user == moderator and reply.parent == parent
    thread = Client().get(post.get_absolute_url()).text
    parent_at = thread.index(f'id="comment-{parent.pk}"')
    assert thread.index(f'id="comment-{reply.pk}"') > parent_at


def test_moderator_reply_to_a_held_comment_keeps_the_text_and_says_why(
    moderator_client, post
):
    pending = held(post, body="Held question.")
    url = reverse("admin:comments_comment_thread", args=[post.pk])

    response = moderator_client.post(
        url, {"parent": pending.pk, "body": "My careful answer."}
    )

    assert response.status_code == 200
    assert "approve it before replying" in response.text
    assert "My careful answer.</textarea>" in response.text
    assert not Comment.objects.filter(body="My careful answer.").exists()


def test_editors_cannot_reply_from_the_thread_view(editor_client, post):
    url = reverse("admin:comments_comment_thread", args=[post.pk])

    response = editor_client.post(url, {"body": "Not a moderator."})

    assert response.status_code == 403
    assert not Comment.objects.filter(body="Not a moderator.").exists()


def test_a_trusted_guest_is_marked_trusted_once_their_address_is_confirmed(
    moderator_client, post
):
    TrustedAuthor.objects.create(email="guest@example.org")
    held(post, author_email="guest@example.org", body="From the guest.")

    before = moderator_client.get(PENDING_URL).text
    builders.confirm_address("guest@example.org")
    after = moderator_client.get(PENDING_URL).text

    assert "queue-trusted" not in before and "Approve &amp; trust" in before
    assert "queue-trusted" in after and "Approve &amp; trust" not in after
