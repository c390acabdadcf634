from django.conf import settings
from django.db import models
from django.utils import timezone

from .comment import Comment


class ModerationActionKind(models.TextChoices):
    HOLD = "hold", "Held by a rule"
    APPROVE = "approve", "Approved"
    SPAM = "spam", "Marked as spam"
    REMOVE = "remove", "Removed"
    RESTORE = "restore", "Returned to the queue"
    EDIT = "edit", "Edited"
    TRUST = "trust", "Approved, author trusted"
    BAN = "ban", "Banned"
    UNBAN = "unban", "Ban ended"
    UNDO = "undo", "Undone"


class ModerationEventQuerySet(models.QuerySet):
    def record(
        self,
        comment,
        action,
        *,
        moderator=None,
        before=None,
        undoes=None,
        ban=None,
        reason=None,
        **after,
    ):
        """
        Log an action on `comment`, whose fields hold the state after it;
        `before` is the state it replaced (none for a new comment), and
        `after` adds to the state what else the action changed (a text).
        The reason defaults to the rule's, when no moderator acted.
        """
        if reason is None:
            reason = "" if moderator else comment.reason_text
        return self.create(
            comment=comment,
            action=action,
            moderator=moderator,
            reason=reason[:200],
            before=before or {},
            after={**comment.moderation_state(), **after},
            undoes=undoes,
            ban=ban,
        )


class ModerationEvent(models.Model):
    """
    One moderation action on a comment, for the audit log: what was done,
    by which moderator (none: a rule did it), why, and the comment's state
    before and after, which is what an undo puts back. A ban is logged once
    for itself, with no comment, and once for each comment it hid.
    """

    Action = ModerationActionKind

    comment = models.ForeignKey(
        Comment,
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderation_events",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The rule that acted, in words; empty when a moderator did.
    reason = models.CharField(max_length=200, blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    # The ban that acted, or was made or ended, for the actions of bans.
    ban = models.ForeignKey(
        "Ban",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_events",
    )
    # On an undo: the action it took back.
    undoes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="undone_by",
    )

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["comment", "-created_at"], name="moderation_comment_idx"
            ),
            models.Index(fields=["-created_at"], name="moderation_log_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · comment {self.comment_id}"

    @property
    def is_undoable(self):
        """A moderator's action that no undo has taken back yet."""
        return (
            self.moderator_id is not None
            and self.action
            not in {self.Action.HOLD, self.Action.UNBAN, self.Action.UNDO}
            and not hasattr(self, "undone_by")
        )

    @property
    def actor(self):
        """Who acted, in words: the moderator, or the rule."""
        if self.moderator_id:
            return str(self.moderator)
        return f"Rule: {self.reason}" if self.reason else "A rule"
