import pytest

from comments import moderation_actions, services
from comments.models import Comment
from tests.builders import make_comment

pytestmark = pytest.mark.django_db


def test_reply_to_a_comment_removed_after_the_form_was_checked_is_refused():
    parent = make_comment()
    stale_parent = Comment.objects.get(pk=parent.pk)
    moderation_actions.comment_remove(comment=parent)

    with pytest.raises(services.ParentUnavailable):
        services.comment_create(
            post=parent.post,
            parent=stale_parent,
            author_name="Late Reply",
            author_email="late@example.org",
            body="Too late.",
        )

    assert not Comment.objects.filter(author_name="Late Reply").exists()
    assert Comment.objects.get(pk=parent.pk).rght == 2


def test_reply_to_a_comment_deleted_after_the_form_was_checked_is_refused():
    parent = make_comment()
    stale_parent = Comment.objects.get(pk=parent.pk)
    services.comment_delete(comment=parent)

    with pytest.raises(services.ParentUnavailable):
        services.comment_create(
            post=stale_parent.post,
            parent=stale_parent,
            author_name="Late Reply",
            author_email="late@example.org",
            body="Too late.",
        )

    assert not Comment.objects.exists()
