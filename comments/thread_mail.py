"""
Mail to a thread's readers about its new approved comments: the author of
the comment answered (if they asked), the post's author (unless they
stopped it), and whoever follows the post. Held, spam and removed comments
send nothing: only publishing a comment starts this (comment_published).

Each address hears of one thread at most once per COMMENTS_MAIL_INTERVAL:
the first comment goes at once, those that come within the interval wait
and go together in one digest when it ends. A backend that cannot defer a
task (the immediate one) sends each at once. Every mail carries its
one-click unsubscribe (List-Unsubscribe) and a link to the reader's
subscriptions.
"""

from django.conf import settings
from django.db import transaction
from django.tasks import default_task_backend
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Comment, Subscription, ThreadMail
from .notifications import (
    is_same_author,
    mail_later,
    subscriptions_url,
    thread_unsubscribe_url,
)
from .tasks import comment_published_mail, thread_digest_send

# Why an address is told, strongest first: a mail says the strongest.
REPLY, POST_AUTHOR, FOLLOWER = "reply", "author", "follower"
SUBJECTS = {
    REPLY: "New reply to your comment on “{title}”",
    POST_AUTHOR: "New comment on your post “{title}”",
    FOLLOWER: "New comment on “{title}”",
}


def comment_published(comment):
    """The comment is on show now: its readers are told, outside the request."""
    comment_id = comment.pk
    transaction.on_commit(
        lambda: comment_published_mail.enqueue(comment_id), robust=True
    )


def readers_tell(comment_id):
    comment = (
        Comment.objects.approved()
        .select_related("post__author", "user", "parent__user", "in_reply_to__user")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return  # taken down before the worker came to it
    for address, why in readers_of(comment).items():
        thread_mail_add(comment, address, why)


def readers_of(comment):
    """The addresses to tell of `comment`, each with why, its author's left out."""
    readers = {}
    parent = comment.replied_to
    if (
        parent is not None
        and parent.is_subscribed_to_replies
        and parent.is_notification_email_confirmed
        and not is_same_author(parent, comment)
    ):
        readers[parent.notification_email.lower()] = REPLY
    post, author = comment.post, comment.post.author
    if (
        author is not None
        and author.is_active
        and author.is_email_verified
        and author.email
        and not Subscription.objects.filter(
            post=post, user=author, is_active=False
        ).exists()
    ):
        readers.setdefault(author.email.lower(), POST_AUTHOR)
    following = Subscription.objects.mailed().filter(post=post).select_related("user")
    for subscription in following:
        user = subscription.user
        if user is None or (user.is_active and user.is_email_verified):
            readers.setdefault(subscription.address.lower(), FOLLOWER)
    own = comment.user.email if comment.user_id else comment.author_email
    readers.pop(own.lower(), None)
    readers.pop("", None)
    return readers


def thread_mail_add(comment, address, why):
    """Mail `address` about the comment now, or keep it for the digest."""
    with transaction.atomic():
        state, _ = ThreadMail.objects.select_for_update().get_or_create(
            post=comment.post, email=address
        )
        state.waiting.append([comment.pk, why])
        next_mail_at = (state.last_sent_at or timezone.now()) + (
            settings.COMMENTS_MAIL_INTERVAL
        )
        if state.last_sent_at is None or next_mail_at <= timezone.now():
            thread_mail_send(state)
        elif not default_task_backend.supports_defer:
            thread_mail_send(state)
        elif state.digest_due_at is None:
            state.digest_due_at, pk = next_mail_at, state.pk
            transaction.on_commit(
                lambda: thread_digest_send.using(run_after=next_mail_at).enqueue(pk)
            )
        state.save()


def digest_send(thread_mail_id):
    with transaction.atomic():
        state = ThreadMail.objects.select_for_update().filter(pk=thread_mail_id).first()
        if state is None:
            return
        state.digest_due_at = None
        if state.waiting:
            thread_mail_send(state)
        state.save()


def thread_mail_send(state):
    """
    Mail what waits for `state`'s address (the comments still on show), as
    one comment's mail or a digest; the caller saves `state`.
    """
    waiting = dict((pk, why) for pk, why in state.waiting)
    comments = list(
        Comment.objects.approved()
        .filter(pk__in=waiting)
        .select_related("user", "post")
        .order_by("created_at", "pk")
    )
    state.waiting = []
    if not comments:
        return
    state.last_sent_at = timezone.now()
    post = state.post
    whys = {waiting[comment.pk] for comment in comments}
    why = next(reason for reason in (REPLY, POST_AUTHOR, FOLLOWER) if reason in whys)
    if len(comments) == 1:
        subject = SUBJECTS[why].format(title=post.title)
    else:
        subject = f"{len(comments)} new comments on “{post.title}”"
    unsubscribe_url = thread_unsubscribe_url(post, state.email)
    context = {
        "post": post,
        "why": why,
        "comments": [
            (comment, settings.BLOG_SITE_URL + comment.get_absolute_url())
            for comment in comments
        ],
        "unsubscribe_url": unsubscribe_url,
        "subscriptions_url": subscriptions_url(state.email),
        "site_name": settings.BLOG_SITE_NAME,
    }
    mail_later(
        subject=subject,
        body=render_to_string("comments/email/thread_mail.txt", context),
        to=[state.email],
        # One-click unsubscribe from the mail program itself (RFC 8058).
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
