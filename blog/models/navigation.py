from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

from .filing import Category
from .pages import Page


class MenuItem(models.Model):
    """An entry of the site's header menu: a page, a category, or a link."""

    label = models.CharField(
        max_length=100,
        blank=True,
        help_text="Left blank, the page's title or the category's name.",
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(
        "link",
        max_length=500,
        blank=True,
        help_text="An address on this site (/2016/) or elsewhere (https://…).",
    )
    order = models.IntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(page__isnull=False, category__isnull=True, url="")
                    | Q(page__isnull=True, category__isnull=False, url="")
                    | (Q(page__isnull=True, category__isnull=True) & ~Q(url=""))
                ),
                name="menu_item_has_one_target",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        targets = [self.page_id, self.category_id, self.url]
        if sum(1 for target in targets if target) != 1:
            raise ValidationError("Choose one of a page, a category or a link.")
        if self.url:
            self.clean_url()

    def clean_url(self):
        if not self.label:
            raise ValidationError({"label": "A link needs a label."})
        try:
            if self.url.startswith("//") or not self.url.startswith("/"):
                URLValidator(schemes=["http", "https"])(self.url)
        except ValidationError:
            raise ValidationError(
                {"url": "Give an address on this site (/about/) or https://…"}
            ) from None

    @property
    def title(self):
        if self.label:
            return self.label
        target = self.page or self.category
        return str(target) if target else self.url

    @property
    def href(self):
        target = self.page or self.category
        return target.get_absolute_url() if target else self.url
