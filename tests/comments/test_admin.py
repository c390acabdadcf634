import re

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.roles import MODERATOR
from tests import builders
from tests.builders import (
    comment_admin_form,
    comment_count,
    make_comment,
    make_post,
    make_user,
)

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:comments_comment_changelist")


def act(client, action, *comments):
    return client.post(
        QUEUE_URL,
        {"action": action, "_selected_action": [comment.pk for comment in comments]},
        follow=True,
    )


def test_moderators_group_has_exactly_the_moderation_permissions():
    group = MODERATOR.group()

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert codenames == {
        "view_comment",
        "change_comment",
        "view_moderationevent",
        "view_moderationword",
        "add_moderationword",
        "view_ban",
        "add_ban",
        "change_ban",
        "change_moderationword",
        "delete_moderationword",
    }


def test_moderator_cannot_edit_posts(moderator_client, post):
    url = reverse("admin:blog_post_change", args=[post.pk])

    assert moderator_client.get(url).status_code == 403


def test_queue_shows_pending_comments_first_with_their_details(moderator_client, post):
    parent = make_comment(post=post, body="The parent comment says this.")
    make_comment(post=post, body="Older approved comment.")
    make_comment(
        parent=parent,
        body="Pending reply text.",
        status=Comment.Status.PENDING,
        author_name="Pat Pending",
        author_email="pat@example.org",
        ip_address="192.0.2.44",
        moderation_reason=Comment.Reason.MODERATION_WORD,
        moderation_detail="casino",
    )
    make_comment(post=post, body="Newest approved comment.")

    page = moderator_client.get(QUEUE_URL).text

    assert page.index("Pending reply text.") < page.index("Newest approved comment.")
    for shown in [
        "Pat Pending",
        "pat@example.org",
        "192.0.2.44",
        post.title,
        "The parent comment says this.",
        "Moderation word: casino",
    ]:
        assert shown in page


def test_queue_filters_by_status(moderator_client, post):
    make_comment(post=post, body="Spammy text.", status=Comment.Status.SPAM)
    make_comment(post=post, body="Fine text.")

    page = moderator_client.get(QUEUE_URL, {"status__exact": "spam"}).text

    assert "Spammy text." in page
    assert "Fine text." not in page


def test_queue_filters_by_post(moderator_client):
    one, other = make_post(), make_post()
    make_comment(post=one, body="On the first post.")
    make_comment(post=other, body="On the other post.")

    page = moderator_client.get(QUEUE_URL, {"post": one.pk}).text

    assert "On the first post." in page
    assert "On the other post." not in page


def test_queue_shows_and_finds_an_accounts_email_and_name(moderator_client, post):
    member = make_user(email="member@example.org", display_name="Mo Member")
    make_comment(post=post, user=member, body="Written by an account.")
    make_comment(post=post, body="Written by a guest.")

    listing = moderator_client.get(QUEUE_URL).text
    by_email = moderator_client.get(QUEUE_URL, {"q": "member@example.org"}).text
    by_name = moderator_client.get(QUEUE_URL, {"q": "Mo Member"}).text

    assert "member@example.org" in listing
    for page in (by_email, by_name):
        assert "Written by an account." in page
        assert "Written by a guest." not in page


@pytest.mark.parametrize("value", ["abc", "²", "9" * 30, "-1"])
def test_queue_post_filter_that_is_not_an_id_says_so(moderator_client, post, value):
    make_comment(post=post, body="Some comment.")

    response = moderator_client.get(QUEUE_URL, {"post": value})

    assert response.status_code == 200
    assert "The post must be given by its id, a number." in response.text
    assert "Some comment." not in response.text


def test_queue_searches_author_email_and_body(moderator_client, post):
    make_comment(post=post, author_email="needle@example.org", body="First.")
    make_comment(post=post, body="Has a needle inside.")
    make_comment(post=post, body="Nothing here.")

    page = moderator_client.get(QUEUE_URL, {"q": "needle"}).text

    assert "First." in page
    assert "Has a needle inside." in page
    assert "Nothing here." not in page


def test_bulk_approve_publishes_and_counts(moderator_client, client, post):
    held = [make_comment(post=post, status="pending") for _ in range(2)]

    response = act(moderator_client, "approve", *held)

    assert "2 comment(s) approved." in response.text
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    page = client.get(post.get_absolute_url()).text
    assert "2 Comments" in page
    assert held[0].body in page


def test_bulk_mark_spam_hides_and_uncounts(moderator_client, client, post):
    comment = make_comment(post=post, body="Sneaky advert.")

    act(moderator_client, "mark_spam", comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reason == Comment.Reason.MODERATOR
    assert comment_count(post) == 0
    assert "Sneaky advert." not in client.get(post.get_absolute_url()).text


def test_bulk_remove_leaves_a_placeholder_for_replies(moderator_client, client, post):
    parent = make_comment(post=post, body="Rude words.")
    make_comment(parent=parent, body="Calm reply.")

    act(moderator_client, "remove", parent)
    page = client.get(post.get_absolute_url()).text

    assert "Rude words." not in page
    assert "This comment was removed by a moderator." in page
    assert "Calm reply." in page
    assert "1 Comment" in page


def test_bulk_restore_returns_comments_to_the_queue(moderator_client, post):
    removed = make_comment(post=post, status=Comment.Status.REMOVED)
    spam = make_comment(post=post, status=Comment.Status.SPAM)
    approved = make_comment(post=post)

    response = act(moderator_client, "restore", removed, spam, approved)

    assert "2 comment(s) restored to the queue." in response.text
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {
        removed.pk: "pending",
        spam.pk: "pending",
        approved.pk: "approved",
    }


def test_queue_offers_no_bulk_delete(moderator_client, post):
    make_comment(post=post)

    page = moderator_client.get(QUEUE_URL).text

    assert 'value="delete_selected"' not in page
    assert 'value="approve"' in page


def test_moderator_correction_marks_the_comment_edited(moderator_client, client, post):
    comment = make_comment(post=post, body="Teh typo.")
    url = reverse("admin:comments_comment_change", args=[comment.pk])

    response = moderator_client.post(url, comment_admin_form(body="The typo."))

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "The typo."
    assert comment.edited_at is not None
    assert "(edited)" in client.get(post.get_absolute_url()).text


def test_admin_index_shows_how_many_comments_wait(moderator_client, post):
    make_comment(post=post, status=Comment.Status.PENDING)
    make_comment(post=post, status=Comment.Status.PENDING)
    make_comment(post=post)

    page = moderator_client.get(reverse("admin:index")).text

    assert "2 comments waiting for moderation" in page


def test_thread_view_shows_every_comment_as_an_indented_tree(moderator_client, post):
    top = make_comment(post=post, body="Top of the thread.")
    reply = make_comment(parent=top, body="Spam reply.", status="spam")
    make_comment(parent=reply, body="Deep reply.", status="pending")
    url = reverse("admin:comments_comment_thread", args=[post.pk])

    page = moderator_client.get(url).text

    assert page.count('<ul class="comment-thread">') == 3
    assert page.index("Top of the thread.") < page.index("Spam reply.")
    assert page.index("Spam reply.") < page.index("Deep reply.")


def test_queue_links_each_comment_to_its_thread(moderator_client, post):
    comment = make_comment(post=post)

    page = moderator_client.get(QUEUE_URL).text

    url = reverse("admin:comments_comment_thread", args=[post.pk])
    assert f'href="{url}#comment-{comment.pk}"' in page


def test_editors_see_no_moderation_queue(editor_client):
    assert editor_client.get(QUEUE_URL).status_code == 403


def test_comment_page_approves_its_one_comment(moderator_client, post):
    comment = make_comment(post=post, status=Comment.Status.PENDING)
    url = reverse("admin:comments_comment_change", args=[comment.pk])

    page = moderator_client.get(url).text
    response = moderator_client.post(
        url,
        {"CHANGE_FORM-action": "approve", "_selected_action": [comment.pk]},
        follow=True,
    )

    assert "Approve this comment" in page
    assert "1 comment(s) approved." in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_an_editor_closes_a_posts_comments_on_the_posts_admin_page(client):
    editor = builders.make_editor()
    post = make_post(author=editor)
    make_comment(post=post)
    client.force_login(editor)
    change = reverse("admin:blog_post_change", args=[post.pk])
    assert 'name="discussion-0-is_open"' in client.get(change).text

    response = client.post(
        change,
        builders.post_admin_form(
            editor,
            title=post.title,
            **{"discussion-INITIAL_FORMS": "1", "discussion-0-post": post.pk},
            **{"discussion-0-is_open": ""},
        ),
    )

    assert response.status_code == 302
    client.logout()
    page = client.get(post.get_absolute_url()).text
    assert "Comments are closed." in page
    assert 'name="body"' not in page


def test_the_post_list_shows_each_posts_approved_comments(admin_client):
    post = make_post(title="Talked about")
    make_comment(post=post)
    make_comment(post=post, status=Comment.Status.PENDING)
    make_post(title="Quiet")

    page = admin_client.get(reverse("admin:blog_post_changelist")).text

    counts = re.findall(r'<td class="field-comment_count">(\d+)</td>', page)
    assert sorted(counts) == ["0", "1"]
