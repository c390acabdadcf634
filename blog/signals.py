"""
Cache invalidation. A post's pages show its categories, tags, author and
publication; when one of those changes, the versions of the posts that show
it are raised, so that HTML cached for them (blog.fragments) is made anew.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from .models import Category, MenuItem, Page, Post, Publication
from .navigation import navigation_changed


@receiver(post_save, sender=Category, dispatch_uid="blog_category_saved")
@receiver(pre_delete, sender=Category, dispatch_uid="blog_category_deleted")
def category_changed(sender, instance, **kwargs):
    # Before a deletion, while the posts are still filed under it.
    filed_under(instance).mark_changed()


def filed_under(category):
    """
    The posts filed under `category`, named from the filing table alone:
    PostgreSQL once planned the join that `categories=` makes, run for each
    of 10,000 posts, for minutes; this one reads the filing's index.
    """
    filing = Post.categories.through.objects.filter(category=category)
    return Post.objects.filter(pk__in=filing.values("post_id"))


@receiver(post_save, sender=Tag, dispatch_uid="blog_tag_saved")
@receiver(pre_delete, sender=Tag, dispatch_uid="blog_tag_deleted")
def tag_changed(sender, instance, **kwargs):
    # From the tagging table alone, as filed_under() from the filing table.
    tagged = TaggedItem.objects.filter(
        tag=instance, content_type=ContentType.objects.get_for_model(Post)
    )
    Post.objects.filter(pk__in=tagged.values("object_id")).mark_changed()


@receiver(post_save, sender=Publication, dispatch_uid="blog_publication_saved")
def publication_changed(sender, instance, **kwargs):
    Post.objects.filter(first_appeared_in=instance).mark_changed()


@receiver(post_save, sender=get_user_model(), dispatch_uid="blog_author_saved")
def author_changed(sender, instance, created, update_fields=None, **kwargs):
    if sender.is_shown_change(created=created, update_fields=update_fields):
        Post.objects.filter(author=instance).mark_changed()


@receiver(m2m_changed, sender=Post.categories.through, dispatch_uid="blog_filed")
@receiver(m2m_changed, sender=TaggedItem, dispatch_uid="blog_tagged")
def filing_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """
    A post gained or lost a category or tag. Categories can be changed from
    either side (post.categories, category.posts); django-taggit sends these
    only from the post's side.
    """
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        if isinstance(instance, Post):
            Post.objects.filter(pk=instance.pk).mark_changed()
    elif action == "pre_clear":
        filed_under(instance).mark_changed()
    else:
        Post.objects.filter(pk__in=pk_set).mark_changed()


@receiver(post_save, sender=MenuItem, dispatch_uid="blog_menu_item_saved")
@receiver(post_delete, sender=MenuItem, dispatch_uid="blog_menu_item_deleted")
@receiver(post_delete, sender=Post, dispatch_uid="blog_post_deleted")
@receiver(post_delete, sender=Page, dispatch_uid="blog_page_deleted")
@receiver(post_delete, sender=Category, dispatch_uid="blog_category_gone")
def navigation_item_changed(sender, **kwargs):
    navigation_changed()
