"""
What moderators do to comments: approve, mark as spam, remove, restore,
correct, trust the author. Each action goes through the same locks as every
other write (comments.services), and is logged in the audit log
(ModerationEvent) with who did it and the comment's state before and
after, which is what moderation_undo() puts back.
"""

from django.db import transaction

from . import thread_mail
from .models import Comment, ModerationEvent, TrustedAuthor
from .services import body_replace, discussion_changed, discussion_lock

Action = ModerationEvent.Action


def comment_status_change(
    comment,
    status,
    *,
    action,
    moderator=None,
    only_from=None,
    reason=None,
    removal=Comment.Removal.MODERATOR,
):
    """
    Give the comment a new status, under its post's lock, log it as `action`
    by `moderator`, and return the log's entry, or None if nothing changed.
    The comment is read again under the lock (another moderator may have
    acted since the page was shown); nothing happens if it already is
    `status` or, with `only_from`, is not one of those. `reason` replaces the
    moderation reason; `removal` says who removed it, for "removed".
    """
    with transaction.atomic():
        discussion_lock(comment.post)
        comment.refresh_from_db(fields=Comment.MODERATED_FIELDS)
        if comment.status == status or (
            only_from is not None and comment.status not in only_from
        ):
            return None
        before = comment.moderation_state()
        comment.status = status
        comment.removal = removal if status == Comment.Status.REMOVED else ""
        if reason is not None:
            comment.moderation_reason, comment.moderation_detail = reason, ""
        comment.save(update_fields=Comment.MODERATED_FIELDS)
        discussion_changed(comment.post)
        return ModerationEvent.objects.record(
            comment, action, moderator=moderator, before=before
        )


def comment_approve(*, comment, moderator=None):
    """Publish a comment; the author of the comment it replies to may hear of it."""
    approval = comment_status_change(
        comment, Comment.Status.APPROVED, action=Action.APPROVE, moderator=moderator
    )
    if approval:
        thread_mail.comment_published(comment)
    return approval


def comment_approve_and_trust(*, comment, moderator):
    """
    Publish a comment and trust its author, so that their next comments are
    published at once; logged as one action, which an undo takes back whole.
    Returns the trust, which covers a guest only once their address is
    confirmed, or None for a guest who gave no address.
    """
    with transaction.atomic():
        approval = comment_approve(comment=comment, moderator=moderator)
        trust, is_new = author_trust(comment, moderator=moderator)
        if trust is None or (approval is None and not is_new):
            return trust
        event = approval or ModerationEvent.objects.record(
            comment,
            Action.TRUST,
            moderator=moderator,
            before=comment.moderation_state(),
        )
        event.action = Action.TRUST
        if is_new:
            event.after["trust"] = trust.pk
        event.save(update_fields=["action", "after"])
        return trust


def author_trust(comment, *, moderator):
    """The comment's author's trust, and whether it is new; None for no address."""
    if comment.user_id:
        return TrustedAuthor.objects.get_or_create(
            user_id=comment.user_id, defaults={"trusted_by": moderator}
        )
    email = comment.author_email.lower()
    if not email:
        return None, False
    trust = TrustedAuthor.objects.filter(email__iexact=email).first()
    if trust is not None:
        return trust, False
    return TrustedAuthor.objects.create(email=email, trusted_by=moderator), True


def comment_mark_spam(*, comment, moderator=None):
    return comment_status_change(
        comment,
        Comment.Status.SPAM,
        action=Action.SPAM,
        moderator=moderator,
        reason=Comment.Reason.MODERATOR,
    )


def comment_remove(*, comment, moderator=None):
    """Hide a comment; with approved replies it stays as a placeholder."""
    return comment_status_change(
        comment, Comment.Status.REMOVED, action=Action.REMOVE, moderator=moderator
    )


def comment_restore(*, comment, moderator=None):
    """Put a removed or spam comment back in the moderation queue."""
    return comment_status_change(
        comment,
        Comment.Status.PENDING,
        action=Action.RESTORE,
        moderator=moderator,
        only_from={Comment.Status.REMOVED, Comment.Status.SPAM},
    )


def comment_edit(*, comment, body, moderator=None):
    """A moderator's correction of a comment's text; the earlier text is kept."""
    with transaction.atomic():
        discussion_lock(comment.post)
        comment.refresh_from_db(fields=["body", *Comment.MODERATED_FIELDS])
        before = {**comment.moderation_state(), "body": comment.body}
        body_replace(comment, body, editor=moderator, is_by_moderator=True)
        comment.save(update_fields=["body", "edited_at"])
        discussion_changed(comment.post)
        return ModerationEvent.objects.record(
            comment, Action.EDIT, moderator=moderator, before=before, body=body
        )


class UndoRefused(Exception):
    """There is no moderator's action to undo, or the comment changed since."""


def moderation_undo(*, comment, event, moderator):
    """
    Take back `event`, the last action on the comment, which the moderator
    saw: the comment gets its state (and, for a correction, its text) from
    before it, a trust the action granted is withdrawn, and the undo is
    logged in turn. Refused when a later action came first, or when the
    comment no longer is as the action left it.
    """
    with transaction.atomic():
        discussion_lock(comment.post)
        comment.refresh_from_db(fields=["body", *Comment.MODERATED_FIELDS])
        latest = comment.moderation_events.select_related("undone_by").first()
        if latest is None or latest.pk != event.pk or not latest.is_undoable:
            raise UndoRefused("That is no longer the last action on this comment.")
        now = {**comment.moderation_state(), "body": comment.body}
        if any(now[key] != value for key, value in event.after.items() if key in now):
            raise UndoRefused("The comment has changed since; nothing was undone.")
        before, fields = event.before, list(Comment.MODERATED_FIELDS)
        comment.status, comment.removal = before["status"], before["removal"]
        comment.moderation_reason = before["reason"]
        comment.moderation_detail = before["detail"]
        if "body" in before:
            body_replace(
                comment, before["body"], editor=moderator, is_by_moderator=True
            )
            fields += ["body", "edited_at"]
        comment.save(update_fields=fields)
        if "trust" in event.after:
            TrustedAuthor.objects.filter(pk=event.after["trust"]).delete()
        discussion_changed(comment.post)
        return ModerationEvent.objects.record(
            comment,
            Action.UNDO,
            moderator=moderator,
            before=event.after,
            undoes=event,
            **({"body": comment.body} if "body" in before else {}),
        )
