from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

# converters registers the <name:> converter used below.
from . import converters, views  # noqa: F401
from .forms import LoginForm, PasswordResetForm

app_name = "accounts"

# Django's auth views also take PUT (as POST) and OPTIONS; the site's forms
# send GET and POST only.
form_methods = require_http_methods(["GET", "POST"])

urlpatterns = [
    path("signup/", views.account_create, name="account-create"),
    path(
        "verify-email/resend/",
        views.email_verification_resend,
        name="email-verification-resend",
    ),
    path("verify-email/<str:token>/", views.email_verify, name="email-verify"),
    path(
        "login/",
        form_methods(
            views.LoginView.as_view(
                form_class=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("logout/", require_POST(auth_views.LogoutView.as_view()), name="logout"),
    # The admin renders registration/password_change_*.html for its own
    # password change, so the site's versions live under accounts/.
    path(
        "password/change/",
        form_methods(
            views.PasswordChangeView.as_view(
                template_name="accounts/password_change_form.html",
                success_url=reverse_lazy("accounts:password-change-done"),
            )
        ),
        name="password-change",
    ),
    path(
        "password/change/done/",
        require_safe(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="accounts/password_change_done.html"
            )
        ),
        name="password-change-done",
    ),
    path(
        "password/reset/",
        form_methods(
            views.PasswordResetView.as_view(
                form_class=PasswordResetForm,
                success_url=reverse_lazy("accounts:password-reset-done"),
            )
        ),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        require_safe(auth_views.PasswordResetDoneView.as_view()),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        form_methods(
            views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("accounts:password-reset-complete")
            )
        ),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        require_safe(auth_views.PasswordResetCompleteView.as_view()),
        name="password-reset-complete",
    ),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("delete/", views.account_delete, name="account-delete"),
    path("people/<name:username>/", views.profile_detail, name="profile-detail"),
    path(
        "people/<name:username>/avatar.svg",
        views.avatar_placeholder,
        name="avatar-placeholder",
    ),
]
