"""
Every write to comments. Each leaves the tree columns to django-mptt, inside
one transaction, and ends with the post's Discussion recounted and its
version raised (DiscussionQuerySet.mark_changed); mail goes out only once
that transaction has committed.

Concurrency: django-mptt reads the tree, computes new numbers and writes
them, with no lock of its own. Every write here therefore starts by locking
its post's discussion row (discussion_lock), so that writes to one post's
threads take turns while other posts' proceed; a new thread also takes
tree_id_lock. On SQLite both are no-ops: IMMEDIATE transactions
(config/settings.py) already let one writer at a time in.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Comment, Discussion
from .moderation import moderate
from .roles import MODERATOR

UNSUBSCRIBE_SALT = "comments.unsubscribe"
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
    site_url="",
):
    """
    Save a new comment with the status the moderation rules give it.

    A reply to a comment at the deepest level allowed is attached to that
    comment's parent, so a thread never grows deeper than COMMENTS_MAX_DEPTH;
    it keeps the comment it answers in `in_reply_to`. Moderators hear of a
    held comment; the author of the comment replied to hears of an approved
    reply if they asked to.
    """
    replied_to = parent
    while parent is not None and parent.level + 1 >= settings.COMMENTS_MAX_DEPTH:
        parent = parent.parent
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
    verdict = moderate(
        comment,
        is_known_author=is_known_author(user=user, email=author_email),
        is_email_unverified=user is not None and not user.is_email_verified,
        honeypot_filled=honeypot_filled,
        seconds_to_submit=seconds_to_submit,
    )
    comment.status = verdict.status
    comment.moderation_reason = verdict.reason
    comment.moderation_detail = verdict.detail[:100]
    with transaction.atomic():
        discussion_lock(post)
        if parent is None:
            tree_id_lock()
        elif not Comment.objects.approved().filter(pk=replied_to.pk).exists():
            # A moderator removed or deleted it after the form was checked.
            raise ParentUnavailable("The comment you replied to is no longer shown.")
        # mptt re-reads the parent's lft/rght in save(), now under the lock.
        comment.save()
        if comment.is_approved:
            discussion_changed(post)
            notify_parent_author(comment, site_url=site_url)
        elif comment.status == Comment.Status.PENDING:
            notify_moderators(comment, site_url=site_url)
    return comment


def is_known_author(*, user=None, email=""):
    """Whether the author's comments skip the first-comment hold."""
    if user is not None:
        return (
            user.is_email_verified
            and Comment.objects.by_known_author(user=user).exists()
        )
    return bool(email) and Comment.objects.by_known_author(email=email).exists()


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


def comment_status_change(comment, status, *, only_from=None, reason=None):
    """
    Give the comment a new status, under its post's lock, and return whether
    it changed. The status is read again under the lock (another moderator
    may have acted since the page was shown); nothing happens if it already
    is `status` or, with `only_from`, is not one of those. `reason` replaces
    the moderation reason.
    """
    with transaction.atomic():
        discussion_lock(comment.post)
        comment.refresh_from_db(fields=["status"])
        if comment.status == status or (
            only_from is not None and comment.status not in only_from
        ):
            return False
        comment.status = status
        fields = ["status"]
        if reason is not None:
            comment.moderation_reason, comment.moderation_detail = reason, ""
            fields += ["moderation_reason", "moderation_detail"]
        comment.save(update_fields=fields)
        discussion_changed(comment.post)
        return True


def comment_approve(*, comment, site_url=""):
    """Publish a comment; the author of the comment it replies to may hear of it."""
    if comment_status_change(comment, Comment.Status.APPROVED):
        notify_parent_author(comment, site_url=site_url)


def comment_mark_spam(*, comment):
    comment_status_change(comment, Comment.Status.SPAM, reason=Comment.Reason.MODERATOR)


def comment_remove(*, comment):
    """Hide a comment; with approved replies it stays as a placeholder."""
    comment_status_change(comment, Comment.Status.REMOVED)


def comment_restore(*, comment):
    """Put a removed or spam comment back in the moderation queue."""
    comment_status_change(
        comment,
        Comment.Status.PENDING,
        only_from={Comment.Status.REMOVED, Comment.Status.SPAM},
    )


def comment_edit(*, comment, body):
    """A moderator's correction of a comment's text."""
    with transaction.atomic():
        discussion_lock(comment.post)
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        discussion_changed(comment.post)


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


def notify_moderators(comment, *, site_url=""):
    """Mail moderators (with an address) and superusers about a held comment."""
    if not settings.COMMENTS_NOTIFY_MODERATORS:
        return
    recipients = list(
        get_user_model()
        .objects.filter(Q(groups__name=MODERATOR.group_name) | Q(is_superuser=True))
        .filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    review_url = site_url + reverse("admin:comments_comment_change", args=[comment.pk])
    message = render_to_string(
        "comments/email/moderators_held.txt",
        {"comment": comment, "post": comment.post, "review_url": review_url},
    )
    subject = f"Comment awaiting moderation on “{comment.post.title}”"
    # robust: a mail server that fails is logged, and the comment stays saved.
    transaction.on_commit(
        lambda: send_mail(subject, message, None, sorted(recipients)), robust=True
    )


def notify_parent_author(comment, *, site_url=""):
    """Mail the author of the comment replied to, if they ticked "notify me"."""
    parent = comment.replied_to
    if parent is None or not parent.is_subscribed_to_replies:
        return
    address = parent.notification_email
    if not address or is_same_author(parent, comment):
        return
    token = signing.dumps(parent.pk, salt=UNSUBSCRIBE_SALT)
    unsubscribe_url = site_url + reverse(
        "comments:subscription-delete", kwargs={"token": token}
    )
    message = EmailMessage(
        subject=f"New reply to your comment on “{comment.post.title}”",
        body=render_to_string(
            "comments/email/reply_notification.txt",
            {
                "comment": comment,
                "parent": parent,
                "post": comment.post,
                "reply_url": site_url + comment.get_absolute_url(),
                "unsubscribe_url": unsubscribe_url,
            },
        ),
        to=[address],
        # One-click unsubscribe from the mail program itself (RFC 8058).
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    transaction.on_commit(message.send, robust=True)


def is_same_author(first, second):
    if first.user_id or second.user_id:
        return first.user_id == second.user_id
    return first.author_email.lower() == second.author_email.lower()
