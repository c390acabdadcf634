"""
Every write to comments. Each keeps Post.comment_count (approved comments)
right and leaves the tree columns to django-mptt, inside one transaction;
mail goes out only once that transaction has committed.

Concurrency: django-mptt reads the tree, computes new numbers and writes
them, with no lock of its own. Every write here therefore starts by locking
its post's row (post_lock), so that writes to one post's threads take turns
while other posts' proceed; a new thread also takes tree_id_lock. On SQLite
both are no-ops: IMMEDIATE transactions (config/settings.py) already let
one writer at a time in.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from blog.models import Post

from .models import Comment
from .moderation import moderate

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
        post_lock(post)
        if parent is None:
            tree_id_lock()
        elif not Comment.objects.approved().filter(pk=replied_to.pk).exists():
            # A moderator removed or deleted it after the form was checked.
            raise ParentUnavailable("The comment you replied to is no longer shown.")
        # mptt re-reads the parent's lft/rght in save(), now under the lock.
        comment.save()
        if comment.is_approved:
            post_comments_changed(post)
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


def post_lock(post):
    """
    Lock the post's row until the transaction ends. Every write to a post's
    comments takes it first, before it touches a comment row, so that two
    writers to one thread cannot interleave mptt's read-then-shift of
    lft/rght, nor two recounts of comment_count miss each other's change.
    """
    Post.objects.select_for_update().filter(pk=post.pk).exists()


def tree_id_lock():
    """
    Lock the allocation of tree ids until the transaction ends.

    mptt gives a new thread max(tree_id) + 1 over the whole table, so two new
    threads on different posts (whose post locks do not meet) could read the
    same maximum. A transaction-scoped advisory lock serialises just that
    step on PostgreSQL, is released by commit or rollback, and needs no table
    of its own; it is always taken after the post lock, so the two cannot
    deadlock. SQLite already runs one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_ID_LOCK_KEY])


def comment_refresh_status(comment):
    """Re-read the status under the post lock: another moderator may have acted."""
    comment.refresh_from_db(fields=["status"])


def comment_approve(*, comment, site_url=""):
    """Publish a comment; the author of the comment it replies to may hear of it."""
    if comment.is_approved:
        return
    with transaction.atomic():
        post_lock(comment.post)
        comment_refresh_status(comment)
        if comment.is_approved:
            return
        comment.status = Comment.Status.APPROVED
        comment.save(update_fields=["status"])
        post_comments_changed(comment.post)
        notify_parent_author(comment, site_url=site_url)


def comment_mark_spam(*, comment):
    with transaction.atomic():
        post_lock(comment.post)
        comment_refresh_status(comment)
        if comment.status == Comment.Status.SPAM:
            return
        comment.status = Comment.Status.SPAM
        comment.moderation_reason = Comment.Reason.MODERATOR
        comment.moderation_detail = ""
        comment.save(update_fields=["status", "moderation_reason", "moderation_detail"])
        post_comments_changed(comment.post)


def comment_remove(*, comment):
    """Hide a comment; with approved replies it stays as a placeholder."""
    with transaction.atomic():
        post_lock(comment.post)
        comment_refresh_status(comment)
        if comment.status == Comment.Status.REMOVED:
            return
        comment.status = Comment.Status.REMOVED
        comment.save(update_fields=["status"])
        post_comments_changed(comment.post)


def comment_restore(*, comment):
    """Put a removed or spam comment back in the moderation queue."""
    if comment.status not in {Comment.Status.REMOVED, Comment.Status.SPAM}:
        return
    with transaction.atomic():
        post_lock(comment.post)
        comment_refresh_status(comment)
        if comment.status not in {Comment.Status.REMOVED, Comment.Status.SPAM}:
            return
        comment.status = Comment.Status.PENDING
        comment.save(update_fields=["status"])
        post_comments_changed(comment.post)


def comment_edit(*, comment, body):
    """A moderator's correction of a comment's text."""
    with transaction.atomic():
        post_lock(comment.post)
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        post_comments_changed(comment.post)


def comment_delete(*, comment):
    """Delete a comment and every reply below it."""
    with transaction.atomic():
        post = comment.post
        post_lock(post)
        comment.delete()
        post_comments_changed(post)


def comment_unsubscribe(*, comment):
    comment.is_subscribed_to_replies = False
    comment.save(update_fields=["is_subscribed_to_replies"])


def post_comments_changed(post):
    """
    Recount the post's approved comments after any change to its thread, and
    raise its version so that HTML cached for it is rendered anew.
    """
    post.comment_count = Comment.objects.for_post(post).approved().count()
    Post.objects.filter(pk=post.pk).update(
        comment_count=post.comment_count, version=F("version") + 1
    )
    post.refresh_from_db(fields=["version"])


def notify_moderators(comment, *, site_url=""):
    """Mail moderators (with an address) and superusers about a held comment."""
    if not settings.COMMENTS_NOTIFY_MODERATORS:
        return
    recipients = list(
        get_user_model()
        .objects.filter(Q(groups__name="Moderators") | Q(is_superuser=True))
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
