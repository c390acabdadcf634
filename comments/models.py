from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from mptt.models import MPTTModel, TreeForeignKey

from blog.models import Post


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_post(self, post):
        return self.filter(post=post)


class Comment(MPTTModel):
    """
    A comment on a post, or a reply to another comment. Every top-level
    comment starts its own MPTT tree (tree_id), so a reply renumbers only
    its own thread.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = TreeForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
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
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["tree_id", "lft"]
        indexes = [
            models.Index(fields=["post", "tree_id", "lft"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
        ]

    def __str__(self):
        return f"{self.display_name} on {self.post}"

    def get_absolute_url(self):
        return reverse("blog:post-detail", kwargs={"slug": self.post.slug}) + (
            f"#comment-{self.pk}"
        )

    @property
    def display_name(self):
        if self.user_id:
            return self.user.public_name
        return self.author_name
