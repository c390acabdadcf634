import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .comment import Comment


def ip_network_of(text):
    """An address or a range ("203.0.113.0/24") as a network; ValueError if neither."""
    return ipaddress.ip_network(text.strip(), strict=False)


def validate_ip_network(text):
    try:
        ip_network_of(text)
    except ValueError:
        raise ValidationError(
            "Enter an IP address, or a range such as 203.0.113.0/24 or 2001:db8::/32."
        ) from None


def is_in_network(address, network):
    try:
        return ipaddress.ip_address(address) in ip_network_of(network)
    except ValueError:
        return False


class BanQuerySet(models.QuerySet):
    def in_force(self, now=None):
        """Bans not lifted whose end, if they have one, is still to come."""
        now = now or timezone.now()
        return self.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now), ended_at__isnull=True
        )

    def expired(self, now=None):
        """Bans whose end date has passed, but which have not been ended yet."""
        return self.filter(ended_at__isnull=True, ends_at__lte=now or timezone.now())

    def covering(self, *, user=None, email="", ip_address=None):
        """
        The first ban in force on a comment's author, or None: on their
        account, on their address (a guest's, or their account's), or on a
        range that holds the address they wrote from. One query; ranges are
        matched here, as SQLite has no type for them.
        """
        emails = {address.lower() for address in [email, getattr(user, "email", "")]}
        emails.discard("")
        targets = Q(ip_network__gt="") if ip_address else Q()
        if user is not None:
            targets |= Q(user=user)
        if emails:
            targets |= Q(email_lower__in=emails)
        if not targets:
            return None
        bans = self.in_force().alias(email_lower=Lower("email")).filter(targets)
        for ban in bans.order_by("pk"):
            if not ban.ip_network or is_in_network(ip_address, ban.ip_network):
                return ban
        return None


class Ban(models.Model):
    """
    A commenter a moderator banned: an account, an email address, or the IP
    addresses of a range. While the ban is in force their new comments go
    straight to spam (moderation.moderate); with `hides_past`, the comments
    they had published are hidden as well, placeholders keeping their
    replies' place, and come back when the ban ends (comments.bans).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_bans",
        verbose_name="account",
    )
    email = models.EmailField("email address", blank=True)
    ip_network = models.CharField(
        "IP address or range",
        max_length=43,
        blank=True,
        validators=[validate_ip_network],
        help_text="One address, or a range such as 203.0.113.0/24.",
    )
    reason = models.CharField(
        max_length=200, help_text="For moderators; the banned commenter is not told."
    )
    ends_at = models.DateTimeField(
        "ends",
        null=True,
        blank=True,
        help_text="Leave empty for a ban without end.",
    )
    hides_past = models.BooleanField(
        "hide their past comments",
        default=False,
        help_text="Their published comments are hidden until the ban ends.",
    )
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the ban was lifted, or ended on its date; who lifted it (none: it
    # ended by itself).
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, email="", ip_network="")
                | Q(user__isnull=True, ip_network="") & ~Q(email="")
                | Q(user__isnull=True, email="") & ~Q(ip_network=""),
                name="ban_one_target",
                violation_error_message=(
                    "Ban one account, one email address, or one IP range."
                ),
            ),
        ]
        indexes = [
            # What every comment is checked against: the bans not yet ended.
            models.Index(
                fields=["ends_at"],
                condition=Q(ended_at__isnull=True),
                name="ban_not_ended_idx",
            ),
        ]

    def __str__(self):
        return f"Ban on {self.target}"

    @property
    def target(self):
        return str(self.user) if self.user_id else self.email or self.ip_network

    @property
    def is_in_force(self):
        return self.ended_at is None and (
            self.ends_at is None or self.ends_at > timezone.now()
        )

    def clean(self):
        # Field errors are reported beside; a valid range is kept as its
        # network, one address as itself.
        try:
            network = ip_network_of(self.ip_network)
        except ValueError:
            pass
        else:
            single = network.num_addresses == 1
            self.ip_network = str(network.network_address if single else network)
        self.email = self.email.strip().lower()

    def comments(self):
        """The comments of whoever the ban covers, whatever their status."""
        if self.user_id:
            return Comment.objects.filter(user=self.user_id)
        if self.email:
            return Comment.objects.filter(
                Q(author_email__iexact=self.email) | Q(user__email__iexact=self.email)
            )
        network = ip_network_of(self.ip_network)
        if network.num_addresses == 1:
            return Comment.objects.filter(ip_address=str(network.network_address))
        # Each comment's address is matched here, against the range; only
        # comments with an address are read, their pk and address alone.
        written_from = Comment.objects.filter(ip_address__isnull=False).order_by()
        pks = [
            pk
            for pk, address in written_from.values_list("pk", "ip_address").iterator()
            if is_in_network(address, self.ip_network)
        ]
        return Comment.objects.filter(pk__in=pks)
