"""
Cache invalidation. A thread shows its commenters' names and profile
addresses; when an account changes them or is deleted, the threads it
commented in are marked changed, so that their cached HTML is made anew.
The categories' discussion rules are cached too (comments.discussion_rules).
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from .discussion_rules import category_rules_changed
from .models import CategoryRules, Comment, Discussion


def discussions_commented_in_by(user):
    return Discussion.objects.filter(
        post__in=Comment.objects.filter(user=user).values("post")
    )


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="comments_scrub_author")
def scrub_deleted_authors_comments(sender, instance, **kwargs):
    """
    A deleted account's comments stay, so that their threads keep their
    shape, but lose what identified the person; they then show as by
    "deleted user". Tree columns are untouched, so update() is safe here.
    """
    discussions_commented_in_by(instance).mark_changed()
    Comment.objects.filter(user=instance).update(
        author_name="", author_email="", author_url="", ip_address=None, user_agent=""
    )


@receiver(post_save, sender=get_user_model(), dispatch_uid="comments_account_saved")
def account_saved(sender, instance, created, update_fields=None, **kwargs):
    """An account's new name or username shows at once in the cached threads."""
    if sender.is_shown_change(created=created, update_fields=update_fields):
        discussions_commented_in_by(instance).mark_changed()


@receiver(post_save, sender=CategoryRules, dispatch_uid="comments_category_rules_saved")
@receiver(
    post_delete, sender=CategoryRules, dispatch_uid="comments_category_rules_gone"
)
def category_rules_saved(sender, **kwargs):
    category_rules_changed()
