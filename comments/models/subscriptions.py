from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from blog.models import Post


class SubscriptionQuerySet(models.QuerySet):
    def mailed(self):
        """Subscriptions that get mail: not ended, and confirmed."""
        return self.filter(is_active=True, confirmed_at__isnull=False)

    def of_reader(self, *, user=None, email=""):
        if user is not None:
            return self.filter(user=user)
        return self.filter(email__iexact=email) if email else self.none()


class Subscription(models.Model):
    """
    A reader following a post's comments without (or besides) commenting:
    an account, or a guest's address, which gets mail only once the guest
    follows the link mailed to it (confirmed_at). An ended subscription is
    kept, not deleted, so that a post's author who stopped the mail about
    their post (told by default) stays stopped.
    """

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="subscriptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_subscriptions",
    )
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, email="")
                | Q(user__isnull=True) & ~Q(email=""),
                name="subscription_account_or_address",
            ),
            models.UniqueConstraint(
                fields=["post", "user"],
                condition=Q(user__isnull=False),
                name="subscription_account_unique",
            ),
            models.UniqueConstraint(
                "post",
                Lower("email"),
                condition=~Q(email=""),
                name="subscription_address_unique_ci",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.email} follows {self.post}"

    @property
    def address(self):
        return self.user.email if self.user_id else self.email


class ThreadMail(models.Model):
    """
    The mail one address gets about one post's comments: when it was last
    sent, and the comments that came since, waiting to go together in a
    digest once COMMENTS_MAIL_INTERVAL has passed (comments.thread_mail).
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    last_sent_at = models.DateTimeField(null=True)
    # [comment id, why the address is told], in the order they came.
    waiting = models.JSONField(default=list)
    # When the digest of what waits is to go; set once it is scheduled.
    digest_due_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "email"], name="thread_mail_post_address_unique"
            )
        ]

    def __str__(self):
        return f"Mail to {self.email} about {self.post}"
