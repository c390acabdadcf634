from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
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
from .verification import InvalidLink, user_for_token, verification_email_send

MAIL_FAILED = (
    "We could not send the link to confirm your email address just now. Try "
    "again in a few minutes with the “Send the link again” button."
)


@require_http_methods(["GET", "POST"])
def account_create(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile-edit")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user, is_mail_sent = services.user_sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            base_url=request.build_absolute_uri("/"),
        )
        login(request, user, backend="accounts.backends.EmailOrUsernameBackend")
        if not is_mail_sent:
            # The profile page is where the link can be asked for again.
            messages.warning(request, f"Welcome! {MAIL_FAILED}")
            return redirect("accounts:profile-edit")
        messages.success(
            request,
            f"Welcome! We have sent a link to {user.email}; follow it to confirm "
            "your address.",
        )
        return redirect(safe_next_url(request))
    context = {"form": form, "next": next_url(request)}
    return render(request, "accounts/signup.html", context, status=form_status(form))


@require_safe
def email_verify(request, token):
    try:
        user = user_for_token(token)
    except InvalidLink as error:
        context = {"message": error.message}
        return render(request, "accounts/email_verify_failed.html", context, status=400)
    services.user_email_verify(user=user)
    messages.success(request, f"Thank you: {user.email} is confirmed.")
    return redirect(settings.LOGIN_REDIRECT_URL)


@login_required
@require_POST
def email_verification_resend(request):
    if request.user.is_email_verified:
        messages.info(request, "Your email address is already confirmed.")
    elif verification_email_send(
        user=request.user, base_url=request.build_absolute_uri("/")
    ):
        messages.success(request, f"We have sent a new link to {request.user.email}.")
    else:
        messages.error(request, MAIL_FAILED)
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
    profile_user = get_object_or_404(User, username=username, is_active=True)
    return render(
        request, "accounts/profile_detail.html", {"profile_user": profile_user}
    )


@require_safe
@cache_control(max_age=60 * 60 * 24)
def avatar_placeholder(request, username):
    user = get_object_or_404(User, username=username)
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
    pass


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
    url = next_url(request)
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)
