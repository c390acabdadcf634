from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse


class UserQuerySet(models.QuerySet):
    def public(self):
        """
        Accounts the site shows a page of (profile, author archive, avatar):
        a deactivated account disappears from all of them at once.
        """
        return self.filter(is_active=True)

    def staff_names(self):
        """Every name an active staff account is shown or known by."""
        rows = self.filter(is_staff=True, is_active=True).values_list(
            "username", "display_name", "first_name", "last_name"
        )
        names = []
        for username, display_name, first_name, last_name in rows:
            names += [username, display_name, f"{first_name} {last_name}"]
        return [name for name in names if name.strip()]


class AccountManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """
    Everyone with an identity on the site: editors and authors, moderators,
    and commenters. Authors who only appear as bylines (imported writers)
    have no usable password.
    """

    display_name = models.CharField(
        max_length=150, blank=True, help_text="Shown on posts and comments."
    )
    bio = models.TextField(blank=True, max_length=1000)
    website = models.URLField(blank=True)
    # Both sizes are square WebP files made from the upload by accounts.avatars,
    # which also strips the upload's metadata.
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    avatar_small = models.ImageField(upload_to="avatars/", blank=True, editable=False)
    is_email_verified = models.BooleanField(
        default=False, help_text="Confirmed by following the link sent on sign-up."
    )

    objects = AccountManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            # Byline-only accounts have no address, so blank ones may repeat.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
                violation_error_message="An account with this email address "
                "already exists.",
            ),
        ]

    def __str__(self):
        return self.public_name

    def get_absolute_url(self):
        return reverse("accounts:profile-detail", kwargs={"username": self.username})

    @staticmethod
    def is_shown_change(*, created, update_fields):
        """
        Whether a save (post_save's arguments) may have changed what the site
        shows of an existing account wherever it names one: public_name is
        made of these fields, the username is in its addresses, only an
        active account's name links to them, and its avatar is beside it.
        Pages cached with the name listen for this.
        """
        shown = {
            *("username", "display_name", "first_name", "last_name", "is_active"),
            *("avatar", "avatar_small"),
        }
        return not created and (update_fields is None or bool(shown & update_fields))

    @property
    def own_names(self):
        """The names this account goes by; staff may keep theirs."""
        full_name = self.get_full_name()
        return [name for name in (self.username, self.display_name, full_name) if name]

    @property
    def public_name(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def avatar_url(self):
        """The 256px avatar, or the generated placeholder when there is none."""
        if self.avatar:
            return self.avatar.url
        return self.placeholder_avatar_url

    @property
    def avatar_small_url(self):
        """The 64px avatar, or the placeholder (an SVG, so any size will do)."""
        if self.avatar_small:
            return self.avatar_small.url
        return self.placeholder_avatar_url

    @property
    def placeholder_avatar_url(self):
        return reverse(
            "accounts:avatar-placeholder", kwargs={"username": self.username}
        )
