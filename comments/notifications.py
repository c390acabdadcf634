"""
Mail about comments, and the signed links in it: moderators hear of held
comments, and readers of new comments in threads they take part in or
follow (comments.thread_mail), but only at an address they have confirmed;
a guest confirms theirs by the link mailed when they first ask for mail.

Anyone can type anyone's address into the comment form, so mail to an
address not yet confirmed holds no text a visitor wrote. Every link is built
from BLOG_SITE_URL, never from a request. Mail is a task (comments.tasks),
enqueued once the transaction that caused it commits: no request waits on
the mail server, and a mail server that fails loses no comment.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.rate_limits import HOUR, is_within_limit

from .models import Comment
from .roles import MODERATOR
from .tasks import mail_send

UNSUBSCRIBE_SALT = "comments.unsubscribe"
CONFIRM_SALT = "comments.confirm-address"
THREAD_UNSUBSCRIBE_SALT = "comments.thread-unsubscribe"
SUBSCRIPTIONS_SALT = "comments.subscriptions"
FOLLOW_SALT = "comments.follow"


def mail_later(*, subject, body, to, headers=None):
    """Send the mail from a task, once the current transaction commits."""
    transaction.on_commit(
        lambda: mail_send.enqueue(subject=subject, body=body, to=to, headers=headers),
        # A backend that fails to take the task is logged; the write stands.
        robust=True,
    )


def address_confirmation_send(comment):
    """
    Mail a guest who asked to hear of replies the link that confirms their
    address; nothing is mailed to it until they follow it.
    """
    token = comment_link_token(comment, salt=CONFIRM_SALT)
    link_mail_send(
        comment.author_email,
        subject=f"Confirm your address for replies at {settings.BLOG_SITE_NAME}",
        template="comments/email/address_confirmation.txt",
        path=reverse("comments:address-confirm", kwargs={"token": token}),
        post=comment.post,
    )


def link_mail_send(address, *, subject, template, path, **context):
    """
    Mail `address` a signed link to `path` that proves the address is the
    reader's (to confirm it, to follow a post, to reach their data). Anyone
    can type anyone's address, so such a mail holds no text a visitor wrote,
    and an address gets at most COMMENTS_CONFIRMATION_MAILS_PER_HOUR of them,
    of every kind together.
    """
    address = address.lower()
    limit = settings.COMMENTS_CONFIRMATION_MAILS_PER_HOUR
    if not is_within_limit("address-confirmation", address, limit=limit, period=HOUR):
        return
    context |= {
        "link": settings.BLOG_SITE_URL + path,
        "site_name": settings.BLOG_SITE_NAME,
        "days": settings.COMMENTS_CONFIRMATION_MAX_AGE.days,
    }
    mail_later(subject=subject, body=render_to_string(template, context), to=[address])


def comment_link_token(comment, *, salt):
    """
    The token of a link mailed about a comment (salt: what the link does). It
    names the address the mail went to, so it stops working once the comment
    notifies another.
    """
    data = {"comment": comment.pk, "email": comment.notification_email.lower()}
    return signing.dumps(data, salt=salt)


def comment_for_link(token, *, salt, max_age=None):
    """
    The comment a link was mailed about, or None if the link is forged,
    expired, or for an address the comment no longer notifies.
    """
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        comment = Comment.objects.select_related("post", "user").get(pk=data["comment"])
    except (signing.BadSignature, Comment.DoesNotExist, KeyError, TypeError):
        return None
    if comment.notification_email.lower() != data["email"]:
        return None
    return comment


def notify_moderators(comment):
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
    review_url = settings.BLOG_SITE_URL + reverse(
        "admin:comments_comment_change", args=[comment.pk]
    )
    message = render_to_string(
        "comments/email/moderators_held.txt",
        {"comment": comment, "post": comment.post, "review_url": review_url},
    )
    mail_later(
        subject=f"Comment awaiting moderation on “{comment.post.title}”",
        body=message,
        to=sorted(recipients),
    )


def thread_unsubscribe_url(post, email):
    """The link that stops all mail to `email` about the post's comments."""
    token = signing.dumps(
        {"post": post.pk, "email": email.lower()}, salt=THREAD_UNSUBSCRIBE_SALT
    )
    path = reverse("comments:thread-unsubscribe", kwargs={"token": token})
    return settings.BLOG_SITE_URL + path


def subscriptions_url(email):
    """The link to the page that lists and ends the subscriptions of `email`."""
    token = signing.dumps({"email": email.lower()}, salt=SUBSCRIPTIONS_SALT)
    path = reverse("comments:subscriptions-by-mail", kwargs={"token": token})
    return settings.BLOG_SITE_URL + path


def follow_confirmation_send(subscription):
    """Mail a guest who asked to follow a post the link that starts it."""
    address = subscription.email.lower()
    token = signing.dumps(
        {"subscription": subscription.pk, "email": address}, salt=FOLLOW_SALT
    )
    link_mail_send(
        address,
        subject=f"Confirm you want mail about comments at {settings.BLOG_SITE_NAME}",
        template="comments/email/follow_confirmation.txt",
        path=reverse("comments:follow-confirm", kwargs={"token": token}),
        post=subscription.post,
    )


def signed_value(token, *, salt, max_age=None):
    """What a mailed link's token holds, or None if it is forged or too old."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def is_same_author(first, second):
    if first.user_id or second.user_id:
        return first.user_id == second.user_id
    return first.author_email.lower() == second.author_email.lower()
