import pytest

from blog.models import Post
from comments.models import Comment
from tests.builders import confirm_address, make_comment, make_post, make_user

pytestmark = pytest.mark.django_db


def test_approved_includes_approved_comments():
    comment = make_comment()

    assert list(Comment.objects.approved()) == [comment]


def test_approved_excludes_other_statuses():
    for status in ["pending", "spam", "removed"]:
        make_comment(status=status)

    assert not Comment.objects.approved().exists()


def test_pending_includes_only_held_comments():
    held = make_comment(status=Comment.Status.PENDING)
    make_comment()

    assert list(Comment.objects.pending()) == [held]


def test_for_post_excludes_other_posts():
    comment = make_comment()
    make_comment()

    assert list(Comment.objects.for_post(comment.post)) == [comment]


def test_public_excludes_comments_on_unpublished_posts():
    shown = make_comment()
    make_comment(post=make_post(status=Post.Status.DRAFT))

    assert list(Comment.objects.public()) == [shown]


def test_thread_returns_every_status_in_tree_order(post):
    first = make_comment(post=post)
    second = make_comment(post=post, status=Comment.Status.SPAM)
    reply = make_comment(parent=first, status=Comment.Status.REMOVED)

    assert list(Comment.objects.thread(post)) == [first, reply, second]


def test_by_known_author_matches_a_guest_email_ignoring_case():
    confirm_address("ada@example.org")
    comment = make_comment(author_email="Ada@Example.org")

    found = Comment.objects.by_known_author(email="ada@example.ORG")

    assert list(found) == [comment]


def test_by_known_author_ignores_held_comments_and_accounts_emails():
    confirm_address("ada@example.org")
    make_comment(author_email="ada@example.org", status=Comment.Status.PENDING)
    make_comment(author_email="ada@example.org", user=make_user())

    assert not Comment.objects.by_known_author(email="ada@example.org").exists()


def test_by_known_author_ignores_a_guest_address_never_confirmed():
    make_comment(author_email="ada@example.org")

    assert not Comment.objects.by_known_author(email="ada@example.org").exists()


def test_display_name_is_the_account_public_name():
    comment = make_comment(user=make_user(display_name="Grace H."))

    assert comment.display_name == "Grace H."


def test_display_name_falls_back_to_deleted_user():
    comment = make_comment(author_name="")

    assert comment.display_name == "deleted user"


def test_deleting_an_account_keeps_its_comments_without_personal_data(client, post):
    user = make_user(display_name="Leaving Soon")
    comment = make_comment(
        post=post,
        user=user,
        author_url="https://leaving.example/",
        ip_address="192.0.2.9",
        user_agent="Browser/1",
        body="Words that stay.",
    )

    user.delete()
    page = client.get(post.get_absolute_url()).text

    comment.refresh_from_db()
    assert comment.user is None
    assert (comment.author_email, comment.author_url, comment.user_agent) == (
        "",
        "",
        "",
    )
    assert comment.ip_address is None
    assert "Words that stay." in page
    assert "deleted user" in page
    assert "Leaving Soon" not in page
