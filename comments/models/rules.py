from django.core.validators import MinValueValidator
from django.db import models

from blog.models import Category


class CategoryRules(models.Model):
    """
    A category's own rules for the comments on its posts, stricter or looser
    than the site's COMMENTS_* settings; an empty field keeps the site's.
    A post in several categories follows the strictest of their rules
    (comments.discussion_rules).
    """

    category = models.OneToOneField(
        Category,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="discussion_rules",
    )
    close_after_days = models.PositiveIntegerField(
        "close comments after (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Days after a post is published. Empty: the site's setting.",
    )
    always_moderate = models.BooleanField(
        "hold every comment",
        default=False,
        help_text="Every comment waits for a moderator, but moderators' own.",
    )
    max_depth = models.PositiveSmallIntegerField(
        "deepest reply level",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=(
            "1 allows no replies below comments, 2 replies to them, and so on; "
            "deeper replies are put beside the comment they answer. Empty: the "
            "site's setting."
        ),
    )

    class Meta:
        verbose_name = verbose_name_plural = "discussion rules"

    def __str__(self):
        # Named without its category, which a deleted row no longer has: the
        # admin names the rules it deleted after deleting them.
        return "Rules for comments"
