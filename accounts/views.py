from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from . import avatars, services
from .forms import AccountDeleteForm, ProfileForm, SignUpForm
from .models import User
from .rate_limits import HOUR, event_count, events_so_far
from .verification import (
    InvalidLink,
    TooManyMails,
    user_for_token,
    verification_email_send,
)

MAIL_FAILED = (
    "We could not send the link to confirm your email address just now. Try "
    "again in a few minutes with the “Send the link again” button."
)
MAIL_LIMIT_REACHED = (
    "We have sent as many links to confirm this address as we send in an hour, "
    "so we sent no new one. Use the last link we sent, or ask again later."
)
SIGN_UP_LIMIT_REACHED = (
    "Too many accounts have been opened from your network in the last hour. "
    "Please try again later."
)


@require_http_methods(["GET", "POST"])
def account_create(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile-edit")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "next": next_url(request)}
    if request.method == "POST" and is_sign_up_limit_reached(request):
        form.add_error(None, SIGN_UP_LIMIT_REACHED)
        return render(request, "accounts/signup.html", context, status=429)
    if not form.is_valid():
        return render(
            request, "accounts/signup.html", context, status=form_status(form)
        )
    user = services.user_sign_up(
        username=form.cleaned_data["username"],
        email=form.cleaned_data["email"],
        password=form.cleaned_data["password1"],
        display_name=form.cleaned_data["display_name"],
    )
    event_count("sign-up", client_address(request), period=HOUR)
    login(request, user, backend="accounts.backends.EmailOrUsernameBackend")
    if not verification_mail_send(request, user, welcome=True):
        # The profile page is where the link can be asked for again.
        return redirect("accounts:profile-edit")
    return redirect(safe_next_url(request))


def is_sign_up_limit_reached(request):
    count = events_so_far("sign-up", client_address(request))
    return count >= settings.ACCOUNTS_SIGN_UPS_PER_HOUR


def verification_mail_send(request, user, *, welcome=False):
    """Mail the link, and tell the person what became of it; True if it went."""
    greeting = "Welcome! " if welcome else ""
    try:
        is_sent = verification_email_send(user=user)
    except TooManyMails:
        messages.warning(request, f"{greeting}{MAIL_LIMIT_REACHED}")
        return False
    if not is_sent:
        messages.warning(request, f"{greeting}{MAIL_FAILED}")
        return False
    if welcome:
        messages.success(
            request,
            f"Welcome! We have sent a link to {user.email}; follow it to confirm "
            "your address.",
        )
    else:
        messages.success(request, f"We have sent a new link to {user.email}.")
    return True


@require_http_methods(["GET", "HEAD", "POST"])
def email_verify(request, token):
    """
    The mailed link opens a page with a button, and only the button's POST
    confirms: mail scanners follow links (GET and HEAD) in every message they
    check, and must not confirm an address its owner never saw.
    """
    try:
        user = user_for_token(token)
    except InvalidLink as error:
        context = {"message": error.message}
        return render(request, "accounts/email_verify_failed.html", context, status=400)
    if request.method != "POST":
        return render(request, "accounts/email_verify.html", {"address": user.email})
    services.user_email_verify(user=user)
    messages.success(request, f"Thank you: {user.email} is confirmed.")
    return redirect(settings.LOGIN_REDIRECT_URL)


@login_required
@require_POST
def email_verification_resend(request):
    if request.user.is_email_verified:
        messages.info(request, "Your email address is already confirmed.")
    else:
        verification_mail_send(request, request.user)
    return redirect("accounts:profile-edit")


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    # A copy, so that a form with errors does not rename the person in the
    # page's header before anything is saved.
    user = User.objects.get(pk=request.user.pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=user)
    else:
        form = ProfileForm(instance=user)
    if form.is_valid():
        services.profile_update(
            user=form.save(commit=False),
            avatar=form.cleaned_data["avatar"],
            remove_avatar=form.cleaned_data.get("remove_avatar", False),
        )
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:profile-edit")
    return render(
        request,
        "accounts/profile_form.html",
        {"form": form, "profile_user": user},
        status=form_status(form),
    )


@require_safe
def profile_detail(request, username):
    profile_user = get_object_or_404(User.objects.public(), username=username)
    return render(
        request, "accounts/profile_detail.html", {"profile_user": profile_user}
    )


@require_safe
@cache_control(max_age=60 * 60 * 24)
def avatar_placeholder(request, username):
    user = get_object_or_404(User.objects.public(), username=username)
    context = avatars.placeholder(user.public_name, seed=user.username)
    return render(
        request,
        "accounts/avatar_placeholder.svg",
        context,
        content_type="image/svg+xml",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(
        request.user, request.POST if request.method == "POST" else None
    )
    if form.is_valid():
        try:
            services.user_delete(user=request.user)
        except services.AccountNotDeletable as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, "Your account has been deleted.")
            return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form},
        status=form_status(form),
    )


class FormErrorStatusMixin:
    """Send a form back with its errors as a 400, as every form on the site does."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LoginView(FormErrorStatusMixin, auth_views.LoginView):
    pass


class PasswordChangeView(FormErrorStatusMixin, auth_views.PasswordChangeView):
    pass


class PasswordResetView(FormErrorStatusMixin, auth_views.PasswordResetView):
    @property
    def extra_email_context(self):
        # The link is built from the configured address, never from the
        # request's Host header or port (Django's default).
        return {
            "blog_name": settings.BLOG_SITE_NAME,
            "site_url": settings.BLOG_SITE_URL,
        }


class PasswordResetConfirmView(
    FormErrorStatusMixin, auth_views.PasswordResetConfirmView
):
    def render_to_response(self, context, **response_kwargs):
        # A used, expired or forged link is a bad request, as the site's other
        # signed links (email verification, unsubscribe) answer.
        if not self.validlink:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


def login_locked_out(request, original_response=None, credentials=None):
    """What django-axes answers while logins from here are refused."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request, "accounts/login_locked_out.html", {"minutes": minutes}, status=429
    )


def form_status(form):
    """400 for a form sent back with its errors, 200 for a blank one."""
    return 400 if form.errors else 200


def next_url(request):
    return request.POST.get("next") or request.GET.get("next", "")


def safe_next_url(request):
    """
    Where to go after a form: the `next` the page was given if it is a path
    on this site, else the home page. Never passed through resolve_url(),
    which would read a bare word as the name of a URL pattern.
    """
    url = next_url(request)
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts=None, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def client_address(request):
    # config.proxy puts the visitor's own address here behind a proxy.
    return request.META.get("REMOTE_ADDR", "")
