from django.conf import settings
from django.db import models
from django.utils import timezone

from .comment import Comment


class CommentRevision(models.Model):
    """
    A comment's text as it was before an edit, by its author or a moderator:
    readers see only the latest, moderators every earlier one.
    """

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="revisions"
    )
    body = models.TextField()
    # When this text was replaced, and by whom (an author's or a moderator's
    # account; none for a guest editing from the browser they wrote it in).
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_by_moderator = models.BooleanField(default=False)

    class Meta:
        ordering = ["comment", "-replaced_at", "-pk"]
        indexes = [
            models.Index(fields=["comment", "-replaced_at"], name="revision_idx")
        ]

    def __str__(self):
        return f"Earlier text of comment {self.comment_id}"
