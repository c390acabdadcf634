"""
Mail about comments, and the signed links in it: moderators hear of held
comments, and commenters of replies to theirs, but only at an address they
have confirmed; a guest confirms theirs by the link mailed when they first
ask to hear of replies.

Anyone can type anyone's address into the comment form, so mail to an
address not yet confirmed holds no text a visitor wrote. Every link is built
from BLOG_SITE_URL, never from a request. Mail goes once the transaction
that caused it commits, and a mail server that fails loses no comment.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.rate_limits import HOUR, is_within_limit

from .models import Comment
from .roles import MODERATOR

UNSUBSCRIBE_SALT = "comments.unsubscribe"
CONFIRM_SALT = "comments.confirm-address"


def address_confirmation_send(comment):
    """
    Mail a guest who asked to hear of replies the link that confirms their
    address; nothing is mailed to it until they follow it. Anyone can type
    anyone's address, so the mail holds no text a visitor wrote, and an
    address gets at most COMMENTS_CONFIRMATION_MAILS_PER_HOUR of them.
    """
    address = comment.author_email.lower()
    limit = settings.COMMENTS_CONFIRMATION_MAILS_PER_HOUR
    if not is_within_limit("address-confirmation", address, limit=limit, period=HOUR):
        return
    token = comment_link_token(comment, salt=CONFIRM_SALT)
    path = reverse("comments:address-confirm", kwargs={"token": token})
    context = {
        "post": comment.post,
        "link": settings.BLOG_SITE_URL + path,
        "site_name": settings.BLOG_SITE_NAME,
        "days": settings.COMMENTS_CONFIRMATION_MAX_AGE.days,
    }
    message = EmailMessage(
        subject=f"Confirm your address for replies at {settings.BLOG_SITE_NAME}",
        body=render_to_string("comments/email/address_confirmation.txt", context),
        to=[address],
    )
    transaction.on_commit(message.send, robust=True)


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
    subject = f"Comment awaiting moderation on “{comment.post.title}”"
    # robust: a mail server that fails is logged, and the comment stays saved.
    transaction.on_commit(
        lambda: send_mail(subject, message, None, sorted(recipients)), robust=True
    )


def notify_parent_author(comment):
    """
    Mail the author of the comment replied to, if they ticked "notify me"
    and their address is confirmed (an account's on sign-up, a guest's by
    the link address_confirmation_send() mailed them).
    """
    parent = comment.replied_to
    if parent is None or not parent.is_subscribed_to_replies:
        return
    address = parent.notification_email
    if not parent.is_notification_email_confirmed or is_same_author(parent, comment):
        return
    token = comment_link_token(parent, salt=UNSUBSCRIBE_SALT)
    unsubscribe_url = settings.BLOG_SITE_URL + reverse(
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
                "reply_url": settings.BLOG_SITE_URL + comment.get_absolute_url(),
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
