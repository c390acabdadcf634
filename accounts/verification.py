"""
Signed links that prove a person can read mail sent to their address.

The link carries the account and the address it was sent to, signed with the
site's secret and timestamped: it expires after ACCOUNTS_VERIFICATION_MAX_AGE,
stops working if the account's address changes, and works once, since the
address it confirms is then confirmed.

Anyone can type anyone's address at sign-up, so the mail is written for a
stranger: it holds no text a visitor wrote (not even their name), and an
account and an address get at most ACCOUNTS_VERIFICATION_MAILS_PER_HOUR.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .rate_limits import HOUR, event_count, events_so_far

SALT = "accounts.verification"

logger = logging.getLogger(__name__)


class InvalidLink(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TooManyMails(Exception):
    """The account or its address had its share of links this hour."""


def verification_token(user):
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=SALT)


def user_for_token(token):
    """The account a link was made for, or InvalidLink saying what is wrong."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=settings.ACCOUNTS_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise InvalidLink(
            "This verification link has expired. Log in and ask for a new one."
        ) from None
    except signing.BadSignature:
        raise InvalidLink(
            "This verification link is not valid. Check that you copied all of it, "
            "or log in and ask for a new one."
        ) from None
    User = get_user_model()
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None or user.email.lower() != data["email"]:
        raise InvalidLink(
            "This verification link is for an address that is no longer on an "
            "account here."
        )
    if user.is_email_verified:
        raise InvalidLink(
            "This link has been used: the address it was sent to is already confirmed."
        )
    return user


def verification_email_send(*, user):
    """
    Mail a fresh verification link to the account's address, and say whether
    it went. A failure is logged, not raised: the account is already saved,
    and the person can ask for the link again from their profile page.

    Raise TooManyMails, sending nothing, once the account or its address has
    had ACCOUNTS_VERIFICATION_MAILS_PER_HOUR links this hour.
    """
    counted = [("verification-account", user.pk), ("verification-address", user.email)]
    limit = settings.ACCOUNTS_VERIFICATION_MAILS_PER_HOUR
    if any(events_so_far(scope, key) >= limit for scope, key in counted):
        raise TooManyMails
    for scope, key in counted:
        event_count(scope, key, period=HOUR)
    path = reverse("accounts:email-verify", kwargs={"token": verification_token(user)})
    context = {
        "link": settings.BLOG_SITE_URL + path,
        "site_name": settings.BLOG_SITE_NAME,
        "days": settings.ACCOUNTS_VERIFICATION_MAX_AGE.days,
    }
    subject = render_to_string("accounts/email/verify_email_subject.txt", context)
    body = render_to_string("accounts/email/verify_email_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except Exception:
        # Whatever the backend raises (SMTP refusals, timeouts, DNS), the
        # caller only needs to know that the mail did not go.
        logger.exception("Could not send the verification link to user %s.", user.pk)
        return False
    return True
