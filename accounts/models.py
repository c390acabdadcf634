from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    """
    Everyone with an identity on the site: editors and authors, moderators,
    and commenters. Authors who only appear as bylines (imported writers)
    have no usable password.
    """

    display_name = models.CharField(
        max_length=150, blank=True, help_text="Shown on posts and comments."
    )
    bio = models.TextField(blank=True)
    website = models.URLField(blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    is_email_verified = models.BooleanField(
        default=False, help_text="Confirmed by following the link sent on sign-up."
    )

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.public_name

    def get_absolute_url(self):
        return reverse("accounts:profile-detail", kwargs={"username": self.username})

    @property
    def public_name(self):
        return self.display_name or self.get_full_name() or self.username
