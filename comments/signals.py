from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from blog.models import Post

from .models import Comment


def posts_commented_by(user):
    return Post.objects.filter(pk__in=Comment.objects.filter(user=user).values("post"))


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="comments_scrub_author")
def scrub_deleted_authors_comments(sender, instance, **kwargs):
    """
    A deleted account's comments stay, so that their threads keep their
    shape, but lose what identified the person; they then show as by
    "deleted user". Tree columns are untouched, so update() is safe here.
    """
    posts_commented_by(instance).mark_changed()
    Comment.objects.filter(user=instance).update(
        author_name="", author_email="", author_url="", ip_address=None, user_agent=""
    )


@receiver(post_save, sender=get_user_model(), dispatch_uid="comments_account_saved")
def account_saved(sender, instance, created, update_fields=None, **kwargs):
    """An account's new name or username shows at once in the cached threads."""
    if sender.is_shown_change(created=created, update_fields=update_fields):
        posts_commented_by(instance).mark_changed()
