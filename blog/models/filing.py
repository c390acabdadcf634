from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Publication(models.Model):
    """Where a post first appeared, when it was written for someone else."""

    name = models.CharField(max_length=200, help_text="e.g. Local Government Chronicle")
    slug = models.SlugField(max_length=200, unique=True)
    is_named_with_the = models.BooleanField(
        "name takes “the”",
        default=True,
        help_text="Say “first appeared in the Local Government Chronicle”.",
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:publication-archive", kwargs={"slug": self.slug})

    @property
    def name_in_sentence(self):
        return f"the {self.name}" if self.is_named_with_the else self.name


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="category_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category-archive", kwargs={"slug": self.slug})

    def clean(self):
        # The database refuses only a category that is its own parent; a
        # longer loop would send every walk up the hierarchy round forever.
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {
                        "parent": "A category cannot be inside itself: "
                        f"“{self.parent}” is “{self}” or one of its subcategories."
                    }
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
