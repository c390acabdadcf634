"""
What the site keeps about a guest, by the address they commented with: its
export as JSON, and its erasure. Both are reached only through a link
mailed to the address (comments.data_views), since anyone can type anyone's.

Erasure takes out everything that came from the person: a comment nobody
answered is deleted; one with replies stays as a placeholder ("erased at
its author's request") with no text, name, address, website, IP address or
browser left, so that the replies keep their place. Its earlier texts go,
and so do the texts the audit log kept of it; the log keeps that the
comment was erased. Bans stay: they are the moderators' record.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from blog.models import Post

from .models import (
    Comment,
    CommentRevision,
    ConfirmedAddress,
    ModerationEvent,
    Subscription,
    ThreadMail,
    TrustedAuthor,
)
from .services import discussion_changed, discussion_lock

ERASED_FIELDS = {
    "body": "",
    "body_html": "",
    "author_name": "",
    "author_email": "",
    "author_url": "",
    "ip_address": None,
    "user_agent": "",
    "is_subscribed_to_replies": False,
    "moderation_detail": "",
}


def guest_comments(email):
    """A guest's comments: written without an account, with this address."""
    return Comment.objects.filter(user__isnull=True, author_email__iexact=email)


def personal_data_export(email):
    """Everything kept about the address, as JSON-ready data."""
    comments = (
        guest_comments(email)
        .select_related("post")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )
    following = Subscription.objects.filter(email__iexact=email).select_related("post")
    confirmed = ConfirmedAddress.objects.filter(email__iexact=email).first()
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "site": settings.BLOG_SITE_URL,
        "address_confirmed_at": confirmed.confirmed_at.isoformat()
        if confirmed
        else None,
        "comments": [comment_data(comment) for comment in comments],
        "following": [
            {
                "post": subscription.post.title,
                "url": settings.BLOG_SITE_URL + subscription.post.get_absolute_url(),
                "since": subscription.created_at.isoformat(),
                "mailed": subscription.is_active
                and subscription.confirmed_at is not None,
            }
            for subscription in following
        ],
    }


def comment_data(comment):
    return {
        "id": comment.pk,
        "post": comment.post.title,
        "url": settings.BLOG_SITE_URL + comment.get_absolute_url(),
        "in_reply_to": comment.replied_to.pk if comment.replied_to else None,
        "written_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "status": comment.get_status_display(),
        "name": comment.author_name,
        "email": comment.author_email,
        "website": comment.author_url,
        "text": comment.body,
        "earlier_texts": [
            {"text": revision.body, "replaced_at": revision.replaced_at.isoformat()}
            for revision in comment.revisions.all()
        ],
        "ip_address": comment.ip_address,
        "browser": comment.user_agent,
        "notify_of_replies": comment.is_subscribed_to_replies,
    }


def personal_data_erase(*, email):
    """
    Erase what the site keeps about the address; returns how many comments
    were deleted and how many stay as placeholders.
    """
    with transaction.atomic():
        commented_on = guest_comments(email).values("post")
        posts = list(Post.objects.filter(pk__in=commented_on).order_by("pk"))
        for post in posts:
            discussion_lock(post)
        placeholders, deleted = [], 0
        # Deepest first, so that a comment whose only answers were the
        # guest's own, deleted a moment before, goes too. Each is read anew:
        # every deletion renumbers its tree.
        pks = (
            guest_comments(email).order_by("-level", "pk").values_list("pk", flat=True)
        )
        for pk in list(pks):
            comment = Comment.objects.get(pk=pk)
            if comment.has_replies():
                placeholders.append(pk)
            else:
                audit_texts_erase([pk])
                comment.delete()
                deleted += 1
        erased = Comment.objects.filter(pk__in=placeholders)
        audit_texts_erase(placeholders)
        CommentRevision.objects.filter(comment__in=placeholders).delete()
        erased.update(
            status=Comment.Status.REMOVED,
            removal=Comment.Removal.ERASURE,
            **ERASED_FIELDS,
        )
        for comment in erased:
            ModerationEvent.objects.record(
                comment,
                ModerationEvent.Action.REMOVE,
                reason="Erased at its author's request",
            )
        for model in (Subscription, ThreadMail, ConfirmedAddress, TrustedAuthor):
            model.objects.filter(email__iexact=email).delete()
        for post in posts:
            discussion_changed(post)
    return deleted, len(placeholders)


def audit_texts_erase(comment_ids):
    """Take the comments' texts out of the audit log, which keeps the rest."""
    events = ModerationEvent.objects.filter(
        Q(before__has_key="body") | Q(after__has_key="body"), comment__in=comment_ids
    )
    for event in events:
        event.before.pop("body", None)
        event.after.pop("body", None)
        event.save(update_fields=["before", "after"])
