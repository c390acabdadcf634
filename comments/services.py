"""
Every write to comments (the moderators', which are also logged, are in
comments.moderation_actions). Each leaves the tree columns to django-mptt,
inside one transaction, and ends with the post's Discussion recounted and
its version raised (DiscussionQuerySet.mark_changed); mail goes out only
once that transaction has committed.

Concurrency: django-mptt reads the tree, computes new numbers and writes
them, with no lock of its own. Every write here therefore starts by locking
its post's discussion row (discussion_lock), so that writes to one post's
threads take turns while other posts' proceed; a new thread also takes
tree_id_lock. On SQLite both are no-ops: IMMEDIATE transactions
(config/settings.py) already let one writer at a time in.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import notifications, thread_mail
from .authorship import comment_edit_refusal
from .discussion_rules import rules_for
from .models import (
    Ban,
    Comment,
    CommentRevision,
    ConfirmedAddress,
    Discussion,
    ModerationEvent,
    ModerationWord,
    Subscription,
    TrustedAuthor,
)
from .moderation import moderate

Action = ModerationEvent.Action

# Any fixed number; PostgreSQL's advisory locks are named by a 64-bit integer.
TREE_ID_LOCK_KEY = 0x636F6D6D656E74


class ParentUnavailable(Exception):
    """The comment being replied to is gone or no longer approved."""


def comment_create(
    *,
    post,
    body,
    parent=None,
    user=None,
    author_name="",
    author_email="",
    author_url="",
    is_subscribed_to_replies=False,
    ip_address=None,
    user_agent="",
    honeypot_filled=False,
    seconds_to_submit=float("inf"),
):
    """
    Save a new comment with the status the moderation rules give it.

    A reply to a comment at the deepest level allowed is attached to that
    comment's parent, so a thread never grows deeper than its rules allow;
    it keeps the comment it answers in `in_reply_to`. Moderators hear of a
    held comment; the thread's readers of an approved one (thread_mail).
    """
    max_depth = rules_for(post).max_depth
    replied_to, parent = parent, reply_parent(parent, max_depth=max_depth)
    comment = Comment(
        post=post,
        parent=parent,
        in_reply_to=replied_to if replied_to != parent else None,
        user=user,
        author_name="" if user else author_name,
        author_email="" if user else author_email,
        author_url="" if user else author_url,
        body=body,
        is_subscribed_to_replies=is_subscribed_to_replies,
        ip_address=ip_address,
        user_agent=user_agent[:500],
    )
    verdict_apply(
        comment,
        is_author_checked=False,
        honeypot_filled=honeypot_filled,
        seconds_to_submit=seconds_to_submit,
    )
    with transaction.atomic():
        discussion_lock(post)
        if parent is None:
            tree_id_lock()
        elif not Comment.objects.approved().filter(pk=replied_to.pk).exists():
            # A moderator removed or deleted it after the form was checked.
            raise ParentUnavailable("The comment you replied to is no longer shown.")
        # mptt re-reads the parent's lft/rght in save(), now under the lock.
        comment.save()
        rule_verdict_record(comment)
        if comment.is_approved:
            discussion_changed(post)
            thread_mail.comment_published(comment)
        elif comment.status == Comment.Status.PENDING:
            notifications.notify_moderators(comment)
        if comment.needs_address_confirmed:
            notifications.address_confirmation_send(comment)
    return comment


def verdict_apply(comment, *, is_author_checked, **form_signals):
    """
    Give a comment about to be saved the status the moderation rules decide.
    With `is_author_checked` (a moderator approved it before), the rules
    about who the author is have been met, and only its text is judged.
    """
    user, email = comment.user, comment.author_email
    hold_words, block_words = ModerationWord.objects.lists()
    is_moderator = user is not None and user.has_perm("comments.change_comment")
    verdict = moderate(
        comment,
        hold_words=hold_words,
        block_words=block_words,
        ban=Ban.objects.covering(user=user, email=email, ip_address=comment.ip_address),
        is_held_by_category=rules_for(comment.post).always_moderate
        and not is_moderator,
        is_known_author=is_author_checked or is_known_author(user=user, email=email),
        is_email_unverified=not is_author_checked
        and user is not None
        and not user.is_email_verified,
        is_trusted=is_moderator or is_trusted_author(user=user, email=email),
        honeypot_filled=form_signals.get("honeypot_filled", False),
        seconds_to_submit=form_signals.get("seconds_to_submit", float("inf")),
    )
    comment.status = verdict.status
    comment.moderation_reason = verdict.reason
    comment.moderation_detail = verdict.detail[:100]


def rule_verdict_record(comment, before=None):
    """Log a rule's hold or spam verdict on the comment, if it gave one."""
    action = RULE_ACTIONS.get(comment.status)
    if action is not None and comment.moderation_reason:
        ModerationEvent.objects.record(comment, action, before=before)


RULE_ACTIONS = {Comment.Status.PENDING: Action.HOLD, Comment.Status.SPAM: Action.SPAM}


def reply_parent(replied_to, *, max_depth=None):
    """
    Where a reply to `replied_to` goes in the tree: under it, or, at the
    deepest level allowed, under its nearest ancestor with room, so that a
    thread never grows deeper than `max_depth` levels (the post's rules;
    by default the site's COMMENTS_MAX_DEPTH).
    """
    max_depth = max_depth or settings.COMMENTS_MAX_DEPTH
    parent = replied_to
    while parent is not None and parent.level + 1 >= max_depth:
        parent = parent.parent
    return parent


def is_known_author(*, user=None, email=""):
    """
    Whether the author's comments skip the first-comment hold: an account
    whose address is verified, or a guest with a confirmed address and an
    approved comment. The other moderation rules still apply to both.
    """
    if user is not None:
        return user.is_email_verified
    return Comment.objects.by_known_author(email=email).exists()


def is_trusted_author(*, user=None, email=""):
    """
    Whether a moderator trusts the author (TrustedAuthor), so that their
    comments skip the hold rules, as moderators' own do.
    """
    return TrustedAuthor.objects.covering(user=user, email=email).exists()


def discussion_lock(post):
    """
    Lock the post's discussion row (made if it is missing) until the
    transaction ends. Every write to a post's comments takes it first, before
    it touches a comment row, so that two writers to one thread cannot
    interleave mptt's read-then-shift of lft/rght, nor two recounts miss each
    other's change.
    """
    locked = Discussion.objects.select_for_update().filter(post=post)
    if not locked.exists():
        # Two first comments at once: get_or_create() lets one insert and
        # has the other read that row; the lock below then makes it wait.
        Discussion.objects.get_or_create(post=post)
        locked.exists()


def discussion_changed(post):
    """What readers see of the post's comments changed; see mark_changed()."""
    Discussion.objects.filter(post=post).mark_changed()


def discussions_recount(post_pks):
    """
    Recount these posts' comments, giving them discussion rows if they have
    none: for comments written by other means than these services (a bulk
    load, a repaired tree).
    """
    post_pks = list(post_pks)
    Discussion.objects.bulk_create(
        [Discussion(post_id=pk) for pk in post_pks], ignore_conflicts=True
    )
    Discussion.objects.filter(post__in=post_pks).mark_changed()


def tree_id_lock():
    """
    Lock the allocation of tree ids until the transaction ends.

    mptt gives a new thread max(tree_id) + 1 over the whole table, so two new
    threads on different posts (whose discussion locks do not meet) could
    read the same maximum. A transaction-scoped advisory lock serialises just
    that step on PostgreSQL, is released by commit or rollback, and needs no
    table of its own; it is always taken after the discussion lock, so the
    two cannot deadlock. SQLite already runs one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_ID_LOCK_KEY])


class NotEditable(Exception):
    """The author's edit window has closed, or someone has replied."""


def comment_author_edit(*, comment, body, editor=None):
    """
    The author's own edit (`editor`: their account; none for a guest): the
    earlier text is kept for moderators, and the moderation rules judge the
    new one as they judged the first, so an edit can send an approved
    comment back to the queue, but never past a moderator. Raises
    NotEditable once authorship.comment_edit_refusal() refuses it, checked again
    under the post's lock (a reply may have come in since the form loaded).
    """
    with transaction.atomic():
        discussion_lock(comment.post)
        comment.refresh_from_db(fields=["body", *Comment.MODERATED_FIELDS])
        if refusal := comment_edit_refusal(comment):
            raise NotEditable(refusal)
        was_approved, before = comment.is_approved, comment.moderation_state()
        body_replace(comment, body, editor=editor)
        verdict_apply(comment, is_author_checked=was_approved)
        comment.save(update_fields=["body", "edited_at", *Comment.MODERATED_FIELDS])
        if comment.moderation_state() != before:
            rule_verdict_record(comment, before=before)
        discussion_changed(comment.post)
        if was_approved and comment.status == Comment.Status.PENDING:
            notifications.notify_moderators(comment)
        elif comment.is_approved and not was_approved:
            thread_mail.comment_published(comment)


def body_replace(comment, body, *, editor, is_by_moderator=False):
    """Give the comment a new text, keeping the one it replaces."""
    CommentRevision.objects.create(
        comment=comment,
        body=comment.body,
        replaced_by=editor,
        is_by_moderator=is_by_moderator,
    )
    comment.body = body
    comment.edited_at = timezone.now()


def comment_author_delete(*, comment):
    """
    The author's own deletion: a comment anyone has answered stays, removed
    "by its author", so that the answers keep their place; any other is
    deleted outright.
    """
    with transaction.atomic():
        post = comment.post
        discussion_lock(post)
        if comment.has_replies():
            comment.status = Comment.Status.REMOVED
            comment.removal = Comment.Removal.AUTHOR
            comment.save(update_fields=["status", "removal"])
        else:
            comment.delete()
        discussion_changed(post)


def comment_delete(*, comment):
    """Delete a comment and every reply below it."""
    with transaction.atomic():
        post = comment.post
        discussion_lock(post)
        comment.delete()
        discussion_changed(post)


def comment_unsubscribe(*, comment):
    comment.is_subscribed_to_replies = False
    comment.save(update_fields=["is_subscribed_to_replies"])


def thread_unsubscribe(*, post, email="", user=None):
    """
    Stop every mail about the post's comments to this reader (`user`, or
    `email` and the accounts with it): their following of it (kept, ended,
    so that a post's author stays off too) and the reply mail of their
    comments on it.
    """
    accounts = [user] if user is not None else []
    if email:
        accounts += get_user_model().objects.filter(email__iexact=email)
    own_comments = Q(user__in=accounts)
    with transaction.atomic():
        for account in accounts:
            Subscription.objects.update_or_create(
                post=post, user=account, defaults={"is_active": False}
            )
        if email:
            Subscription.objects.filter(post=post, email__iexact=email).update(
                is_active=False
            )
            own_comments |= Q(user__isnull=True, author_email__iexact=email)
        Comment.objects.filter(
            own_comments, post=post, is_subscribed_to_replies=True
        ).update(is_subscribed_to_replies=False)


def post_follow(*, post, user=None, email=""):
    """
    Follow the post's comments: at once for an account; for a guest once
    they follow the link mailed to the address (returns the subscription,
    which says whether it waits for that).
    """
    with transaction.atomic():
        if user is not None:
            subscription, _ = Subscription.objects.update_or_create(
                post=post,
                user=user,
                defaults={"is_active": True, "confirmed_at": timezone.now()},
            )
            return subscription
        # Addresses are kept in lower case, so two requests at once find one row.
        subscription, _ = Subscription.objects.get_or_create(
            post=post, email=email.lower()
        )
        if subscription.confirmed_at is None or not subscription.is_active:
            notifications.follow_confirmation_send(subscription)
        return subscription


def follow_confirm(*, subscription):
    """The guest proved the address theirs: the subscription starts."""
    subscription.is_active = True
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.save(update_fields=["is_active", "confirmed_at"])
    ConfirmedAddress.objects.get_or_create(email=subscription.email.lower())


def address_confirm(*, comment):
    """The guest's address is theirs: replies may now be mailed to it."""
    ConfirmedAddress.objects.get_or_create(email=comment.author_email.lower())
