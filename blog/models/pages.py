"""
Standalone pages (About, Contact, Policies): posts of the PAGE kind, outside
the stream of posts, arranged in a hierarchy and served at their own
address below the site's root (/about/team/).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import Resolver404, resolve

from .posts import Post, PostQuerySet

PAGE_VIEW = "blog:page-detail"


class PageManager(models.Manager.from_queryset(PostQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Post.Kind.PAGE)


class Page(Post):
    objects = PageManager()

    class Meta:
        proxy = True
        ordering = ["menu_order", "title"]

    def save(self, *args, **kwargs):
        self.kind = Post.Kind.PAGE
        path = self.path_from_parent()
        moved, self.path = path != self.path, path
        with transaction.atomic():
            super().save(*args, **kwargs)
            if moved:
                # The children's addresses start with this page's.
                for child in Page.objects.filter(parent=self):
                    child.save()

    def clean(self):
        super().clean()
        self.clean_parent()
        self.clean_address()

    def clean_parent(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": "A page cannot be inside itself or its subpages."}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def clean_address(self):
        """
        Refuse an address that another part of the site answers (an archive
        such as /2016/, a feed, the search), or that static files or uploads
        are served from: the page would never be seen there.
        """
        if not self.slug:
            return
        path = self.path_from_parent()
        try:
            is_taken = resolve(f"/{path}/").view_name != PAGE_VIEW
        except Resolver404:
            is_taken = True
        if is_taken or path.split("/")[0] in served_file_roots():
            raise ValidationError(
                {
                    "slug": f"The address /{path}/ belongs to another part of the "
                    "site; choose another slug."
                }
            )

    def path_from_parent(self):
        if self.parent is None:
            return self.slug
        return f"{self.parent.path}/{self.slug}"

    def ancestors(self):
        """The pages above this one, from the top."""
        pages, page = [], self.parent
        while page is not None and page not in pages:
            pages.insert(0, page)
            page = page.parent
        return pages


def served_file_roots():
    """The first segments of the addresses static files and uploads use."""
    return {
        urlsplit(url).path.strip("/").split("/")[0]
        for url in (settings.STATIC_URL, settings.MEDIA_URL)
    } - {""}
