import datetime

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from blog.models import Post

from ..markup import render_body
from .authors import ConfirmedAddress, TrustedAuthor


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed"


class CommentKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    # Notices from other sites that linked to the post, as WordPress kept
    # them; only an import brings them in.
    PINGBACK = "pingback", "Pingback"
    TRACKBACK = "trackback", "Trackback"


class CommentRemoval(models.TextChoices):
    """
    Who took a removed comment down. Every removal keeps the comment's place
    in its thread, as a placeholder that says which of these it was, so that
    its replies keep their context. Spam is not a removal: it leaves no note.
    """

    MODERATOR = "moderator", "Removed by a moderator"
    AUTHOR = "author", "Deleted by its author"
    ERASURE = "erasure", "Erased at its author's request"
    BAN = "ban", "Hidden: its author is banned"


class ModerationReason(models.TextChoices):
    """Why a comment was held or marked as spam; the queue shows it."""

    NONE = "", "—"
    FIRST_COMMENT = "first-comment", "First comment of this author"
    UNVERIFIED_EMAIL = "unverified-email", "Account's email address not confirmed"
    TOO_MANY_LINKS = "too-many-links", "Too many links"
    MODERATION_WORD = "moderation-word", "Moderation word"
    BLOCK_WORD = "block-word", "Block-list word"
    HONEYPOT = "honeypot", "Honeypot field filled"
    TOO_FAST = "too-fast", "Submitted too fast"
    BANNED = "banned", "Author banned"
    CATEGORY = "category", "Its category holds every comment"
    MODERATOR = "moderator", "Marked by a moderator"


def count_of(grouped):
    """The row count of a subquery grouped on one column; 0 when it is empty."""
    return Coalesce(Subquery(grouped.annotate(count=Count("pk")).values("count")), 0)


def replies_to(comment):
    """
    The comments that answer `comment` (or an OuterRef to one): below it, or
    beside it where the depth limit put them.
    """
    return Comment.objects.filter(Q(parent=comment) | Q(in_reply_to=comment))


class CommentQuerySet(TreeQuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def recent_spam_by_reason(self):
        """
        How many comments were caught as spam in the last day, by the rule
        (or moderator) that caught them; comment_status_idx serves it.
        """
        since = timezone.now() - datetime.timedelta(days=1)
        caught = (
            self.filter(status=Comment.Status.SPAM, created_at__gte=since)
            .order_by()
            .values_list("moderation_reason")
            .annotate(count=Count("pk"))
        )
        return dict(caught)

    def with_reply_flag(self):
        """Each comment with `has_replies`: whether any comment answers it."""
        return self.annotate(has_replies=Exists(replies_to(OuterRef("pk"))))

    def for_post(self, post):
        return self.filter(post=post)

    def public(self):
        """Approved comments on posts the public may see."""
        return self.approved().filter(post__in=Post.objects.published())

    def thread(self, post):
        """
        Every comment of a post, whatever its status, in tree order. Visibility
        is decided afterwards on the whole list (comments.threads), because
        leaving out a hidden comment here would detach its replies from their
        place in the thread.
        """
        return self.for_post(post).order_by("tree_id", "lft")

    def with_author_record(self):
        """
        Each comment with its author's record, for moderators: how many of
        the author's comments are approved and how many are spam, and whether
        a moderator trusts them. A guest's record is their address's, matched
        exactly so that comment_author_email_idx alone answers the count (an
        account's comments keep no address of their own, so none match).
        """

        def author_count(status):
            same_status = Comment.objects.filter(status=status).order_by()
            by_account = same_status.filter(user=OuterRef("user")).values("user")
            by_address = same_status.filter(
                author_email=OuterRef("author_email")
            ).values("author_email")
            return Case(
                When(user__isnull=False, then=count_of(by_account)),
                When(author_email="", then=0),
                default=count_of(by_address),
            )

        return self.annotate(
            author_approved_count=author_count(self.model.Status.APPROVED),
            author_spam_count=author_count(self.model.Status.SPAM),
            is_author_trusted=Case(
                When(
                    user__isnull=False,
                    then=Exists(TrustedAuthor.objects.filter(user=OuterRef("user"))),
                ),
                # As TrustedAuthorQuerySet.covering: a guest's trust counts
                # once their address is confirmed.
                default=Exists(
                    TrustedAuthor.objects.filter(
                        Exists(
                            ConfirmedAddress.objects.filter(
                                email__iexact=OuterRef("email")
                            )
                        ),
                        email__iexact=OuterRef("author_email"),
                    )
                ),
            ),
        )

    def by_known_author(self, *, email):
        """
        Approved comments by a guest with this email, if the guest has
        confirmed it: anyone can type anyone's address.
        """
        is_confirmed = Exists(ConfirmedAddress.objects.filter(email__iexact=email))
        return self.approved().filter(
            is_confirmed, user__isnull=True, author_email__iexact=email
        )


class Comment(MPTTModel):
    """
    A comment on a post, or a reply to another comment. Every top-level
    comment starts its own MPTT tree (tree_id), so a reply renumbers only
    its own thread.
    """

    Status = CommentStatus
    Removal = CommentRemoval
    Reason = ModerationReason
    Kind = CommentKind

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = TreeForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    # Set when the depth limit attached a reply higher up than the comment it
    # answers (services.comment_create); that comment's author is the one to
    # notify, and the thread says whom the reply answers.
    in_reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField("name", max_length=100, blank=True)
    author_email = models.EmailField("email", blank=True)
    author_url = models.URLField("website", max_length=300, blank=True)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.COMMENT, editable=False
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Who removed it, while status is "removed" (and only then).
    removal = models.CharField(
        max_length=10, choices=Removal.choices, blank=True, editable=False
    )
    moderation_reason = models.CharField(
        "reason", max_length=20, choices=Reason.choices, default="", blank=True
    )
    moderation_detail = models.CharField(
        "matched", max_length=100, blank=True, help_text="The word a rule matched."
    )
    is_subscribed_to_replies = models.BooleanField(
        "notify of replies",
        default=False,
        help_text="Email the author when a reply to this comment is approved.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # The comment's id on the WordPress site its post was imported from
    # (comments.wordpress), which a later import of the site matches on.
    wordpress_id = models.PositiveBigIntegerField(null=True, editable=False)
    # Kept by the database, so that the moderation queue's "waiting first,
    # newest first" order can be read from an index instead of sorting every
    # comment.
    is_pending = models.GeneratedField(
        expression=Case(
            When(status=CommentStatus.PENDING, then=Value(True)),
            default=Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    objects = TreeManager.from_queryset(CommentQuerySet)()

    class Meta:
        ordering = ["tree_id", "lft"]
        indexes = [
            models.Index(fields=["post", "tree_id", "lft"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_status_idx"),
            models.Index(
                fields=["-is_pending", "-created_at", "-id"], name="comment_queue_idx"
            ),
            models.Index(fields=["user", "-created_at"], name="comment_user_idx"),
            models.Index(
                fields=["author_email", "status"], name="comment_author_email_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=CommentStatus.REMOVED, removal__in=CommentRemoval.values
                )
                | ~Q(status=CommentStatus.REMOVED) & Q(removal=""),
                name="comment_removal_with_status",
            ),
            models.CheckConstraint(
                condition=Q(moderation_reason__in=ModerationReason.values),
                name="comment_moderation_reason_valid",
            ),
            models.UniqueConstraint(
                fields=["post", "wordpress_id"],
                condition=Q(wordpress_id__isnull=False),
                name="comment_wordpress_id_unique",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} on {self.post}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.render_markup()
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The comment on its post's page, on its comment page if there are more."""
        from ..thread_pages import comment_url  # it reads comments: imports these

        return comment_url(self)

    def render_markup(self):
        """Store the body as the HTML threads show; save() calls this."""
        self.body_html = render_body(self.body)

    # What moderation changes of a comment.
    MODERATED_FIELDS = ["status", "removal", "moderation_reason", "moderation_detail"]

    def moderation_state(self):
        """What moderation changes of the comment, as the audit log keeps it."""
        return {
            "status": self.status,
            "removal": self.removal,
            "reason": self.moderation_reason,
            "detail": self.moderation_detail,
        }

    def has_replies(self):
        return replies_to(self).exists()

    @property
    def replied_to(self):
        """The comment this one answers, wherever the depth limit put it."""
        return self.in_reply_to if self.in_reply_to_id else self.parent

    @property
    def display_name(self):
        if self.user_id:
            return self.user.public_name
        return self.author_name or "deleted user"

    @property
    def notification_email(self):
        """Where reply notifications go: the account's address, else the guest's."""
        if self.user_id:
            return self.user.email
        return self.author_email

    @property
    def is_notification_email_confirmed(self):
        """Whether replies may be mailed to notification_email."""
        if self.user_id:
            return self.user.is_active and self.user.is_email_verified
        return ConfirmedAddress.is_confirmed(self.author_email)

    @property
    def needs_address_confirmed(self):
        """A guest asked to hear of replies at an address not yet confirmed."""
        return (
            not self.user_id
            and self.is_subscribed_to_replies
            and not ConfirmedAddress.is_confirmed(self.author_email)
        )

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def reason_text(self):
        """Why a rule or a moderator gave the comment its status, in words."""
        if self.removal:
            return self.get_removal_display()
        if not self.moderation_reason:
            return ""
        label = self.get_moderation_reason_display()
        if self.moderation_detail:
            return f"{label}: {self.moderation_detail}"
        return label
