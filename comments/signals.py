from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from .models import Comment


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="comments_scrub_author")
def scrub_deleted_authors_comments(sender, instance, **kwargs):
    """
    A deleted account's comments stay, so that their threads keep their
    shape, but lose what identified the person; they then show as by
    "deleted user". Tree columns are untouched, so update() is safe here.
    """
    Comment.objects.filter(user=instance).update(
        author_name="", author_email="", author_url="", ip_address=None, user_agent=""
    )
