from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


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
