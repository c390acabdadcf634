from django.conf import settings
from django.db import models
from django.db.models import Exists, Q
from django.db.models.functions import Lower
from django.utils import timezone


class ConfirmedAddress(models.Model):
    """
    A guest's email address, confirmed by following a mailed link: replies
    to the guest's comments may be mailed there, and their approved comments
    make the address a known author. (Accounts confirm theirs on sign-up.)
    """

    email = models.EmailField()
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "confirmed addresses"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="confirmed_address_unique_ci")
        ]

    def __str__(self):
        return self.email

    @classmethod
    def is_confirmed(cls, email):
        return bool(email) and cls.objects.filter(email__iexact=email).exists()


class TrustedAuthorQuerySet(models.QuerySet):
    def covering(self, *, user=None, email=""):
        """
        The trust that lets this author's comments skip the hold rules: their
        account's, or, for a guest, their address's once it is confirmed
        (anyone can type a trusted guest's address).
        """
        if user is not None:
            return self.filter(user=user)
        if not email:
            return self.none()
        is_confirmed = Exists(ConfirmedAddress.objects.filter(email__iexact=email))
        return self.filter(is_confirmed, email__iexact=email)


class TrustedAuthor(models.Model):
    """
    An account or a guest's address a moderator trusts: their comments are
    published at once unless a spam rule catches them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_trust",
    )
    email = models.EmailField(blank=True)
    trusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trusted_at = models.DateTimeField(default=timezone.now)

    objects = TrustedAuthorQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, email="")
                | Q(user__isnull=True) & ~Q(email=""),
                name="trusted_author_account_or_address",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="trusted_author_address_unique_ci",
            ),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.email
