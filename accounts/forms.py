from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import RegexValidator

from . import avatars, names
from .models import User
from .rate_limits import HOUR, is_within_limit


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        help_text="We send a link to this address to confirm it is yours. It is "
        "never shown on the site.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        max_length=150,
        required=False,
        help_text="Shown on your comments. Left blank, your username is shown.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["email", "username", "display_name"]
        help_texts = {
            "username": "Your profile's address: letters, digits, and . - _ only.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autofocus"] = True
        self.fields["username"].widget.attrs.pop("autofocus", None)
        # No "@": a username must never be mistaken for an email address, at
        # login or in a profile's URL.
        self.fields["username"].validators.append(
            RegexValidator(
                r"^[\w.-]+\Z",
                "Use only letters, digits, and the characters . - _ in a username.",
            )
        )

    def clean_username(self):
        username = super().clean_username()
        names.validate_not_staff_name(username, staff_names=User.objects.staff_names())
        return username

    def clean_display_name(self):
        names.validate_public_name(self.cleaned_data["display_name"])
        return self.cleaned_data["display_name"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. Log in, or "
                "reset your password if you have forgotten it."
            )
        return email


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email or username"


class PasswordResetForm(auth_forms.PasswordResetForm):
    """
    Django's form, sending an address at most
    ACCOUNTS_VERIFICATION_MAILS_PER_HOUR reset links an hour: anyone may ask
    for one to be sent to anyone. The page answers the same either way, as
    it does for an address with no account.
    """

    def send_mail(self, *args, **kwargs):
        to_email = args[4]  # Django passes the five arguments positionally.
        limit = settings.ACCOUNTS_VERIFICATION_MAILS_PER_HOUR
        if is_within_limit("password-reset", to_email, limit=limit, period=HOUR):
            super().send_mail(*args, **kwargs)


class ProfileForm(forms.ModelForm):
    avatar = forms.FileField(
        label="Picture",
        required=False,
        help_text="A JPEG, PNG or WebP picture; it is cropped to a square.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_avatar = forms.BooleanField(
        required=False, label="Remove my picture and use my initials"
    )

    class Meta:
        model = User
        fields = ["display_name", "website", "bio"]
        help_texts = {
            "display_name": "Shown on your comments and profile.",
            "bio": "A few words about yourself, shown on your profile.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.avatar:
            del self.fields["remove_avatar"]

    def clean_display_name(self):
        own_names = self.instance.own_names if self.instance.is_staff else ()
        names.validate_public_name(
            self.cleaned_data["display_name"], own_names=own_names
        )
        return self.cleaned_data["display_name"]

    def clean_avatar(self):
        upload = self.cleaned_data["avatar"]
        return avatars.avatar_from_upload(upload) if upload else None


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password; your account has not been deleted."
            )
        return password
