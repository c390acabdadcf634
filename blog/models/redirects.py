"""
Addresses the site had before, under another system (WordPress's
/2016/01/28/slug/, /?p=123, /category/parent/child/), and what now stands at
each: requests for them are sent on permanently (blog.redirects).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from taggit.models import Tag

from .filing import Category
from .posts import Post


class OldAddress(models.Model):
    # The path with the query WordPress answered it by, if any: "/?p=123".
    path = models.CharField(max_length=500, unique=True)
    # The post, category or tag itself rather than its address, so that a
    # later change of slug is followed.
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey(
        Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name_plural = "old addresses"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post__isnull=False, category__isnull=True, tag__isnull=True)
                    | Q(post__isnull=True, category__isnull=False, tag__isnull=True)
                    | Q(post__isnull=True, category__isnull=True, tag__isnull=False)
                ),
                name="old_address_has_one_target",
            ),
        ]

    def __str__(self):
        return self.path

    @property
    def target(self):
        return self.post or self.category or self.tag

    def target_url(self):
        if self.tag_id:
            return reverse("blog:tag-archive", kwargs={"slug": self.tag.slug})
        return self.target.get_absolute_url()
