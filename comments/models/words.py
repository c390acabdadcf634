from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class ModerationWordAction(models.TextChoices):
    HOLD = "hold", "Hold for a moderator"
    SPAM = "spam", "Mark as spam"


class ModerationWordQuerySet(models.QuerySet):
    def lists(self):
        """
        The words that hold a comment and those that make it spam: the ones
        moderators added in the admin, after COMMENTS_MODERATION_WORDS and
        COMMENTS_BLOCK_WORDS from the environment.
        """
        hold = list(settings.COMMENTS_MODERATION_WORDS)
        spam = list(settings.COMMENTS_BLOCK_WORDS)
        for word, action in self.order_by("pk").values_list("word", "action"):
            (spam if action == ModerationWordAction.SPAM else hold).append(word)
        return hold, spam


class ModerationWord(models.Model):
    """
    A word, phrase or web domain that holds every comment containing it for
    a moderator, or marks it as spam; matched as a whole word, ignoring case,
    in the comment's text, name, address and website.
    """

    Action = ModerationWordAction

    word = models.CharField(
        max_length=100,
        help_text="A word, a phrase, or a web domain such as example.com.",
    )
    action = models.CharField(max_length=4, choices=Action.choices, default=Action.HOLD)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ModerationWordQuerySet.as_manager()

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(
                Lower("word"),
                name="moderation_word_unique_ci",
                violation_error_message="This word is on a list already.",
            )
        ]

    def __str__(self):
        return self.word
