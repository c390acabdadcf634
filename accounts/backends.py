from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .rate_limits import event_count, events_so_far


class EmailOrUsernameBackend(ModelBackend):
    """
    Log in with either the username or the email address. Commenters sign up
    with an address and may never think of their username again.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            User = get_user_model()
            user = User.objects.filter(email__iexact=username).first()
            if user is not None:
                username = user.get_username()
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )


def login_throttle_username(request, credentials=None):
    """
    The name django-axes counts failed logins under (AXES_USERNAME_CALLABLE).

    An account can be named at login by its username or its address, in any
    case, so each of those maps to the account's username and they all share
    one count; otherwise trying the variants in turn would multiply the
    guesses allowed. A name that matches no account is counted lower-cased.
    """
    if credentials:
        typed = credentials.get("username")
    else:
        typed = request.POST.get("username")
    if not typed:
        return typed
    User = get_user_model()
    username = (
        User.objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
        .values_list("username", flat=True)
        .first()
    )
    return username or typed.lower()


class AddressLoginThrottleBackend:
    """
    Refuse every login from an IP address that has failed
    ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS times within AXES_COOLOFF_TIME,
    whatever names it tried. django-axes counts per name and address, which
    leaves one password tried on every account unlimited.

    It answers as django-axes does for a locked-out login (its middleware
    shows accounts.views.login_locked_out), so people see one page for both.
    It has no get_user(), so that sessions never name it as the backend that
    logged someone in.
    """

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        address = request.META.get("REMOTE_ADDR", "")
        failures = events_so_far("login-failures", address)
        if failures >= settings.ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS:
            request.axes_locked_out = True
            raise PermissionDenied
        return None


def login_failure_count(sender, credentials, request=None, **kwargs):
    """Count a failed login against its IP address (user_login_failed)."""
    if request is not None and not getattr(request, "axes_locked_out", False):
        period = int(settings.AXES_COOLOFF_TIME.total_seconds())
        event_count(
            "login-failures", request.META.get("REMOTE_ADDR", ""), period=period
        )
