"""
What every page shows around its content: the header menu an editor
arranges (MenuItem, or else the top-level pages) and the blog's part of the
footer (recent posts, categories with their post counts, the monthly
archive, the tag cloud, the feeds).

Both are rendered once and cached as HTML under a version that every change
to what they show raises (blog.signals calls navigation_changed()), so an
editor's change shows at once; their lifetime bounds how late a scheduled
post, which appears with no change saved, reaches them. Rendering them runs
a fixed number of queries, whatever the number of posts: at most 3 for the
menu, 4 for the footer.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from taggit.models import Tag

from .models import Category, MenuItem, Page, Post

NAVIGATION_SECONDS = 5 * 60
VERSION_KEY = "blog:navigation-version"
RECENT_POSTS = 5
ARCHIVE_MONTHS = 12
CLOUD_TAGS = 30
CLOUD_SIZES = 5


def navigation_changed():
    """What the menu or the footer shows changed: make them anew."""
    version_changed(VERSION_KEY)


def menu_html():
    return versioned_html(VERSION_KEY, "blog:menu", render_menu)


def footer_html():
    return versioned_html(VERSION_KEY, "blog:footer", render_footer)


def version_changed(version_key):
    """What the HTML cached under `version_key` shows changed."""
    cache.set(version_key, uuid.uuid4().hex, None)


def versioned_html(version_key, name, render, seconds=NAVIGATION_SECONDS):
    """
    The HTML render() returns, cached for `seconds` under `name` with the
    value `version_key` had, and made anew once version_changed() replaced
    that value.
    """
    return mark_safe(versioned(version_key, name, render, seconds))


def versioned(version_key, name, make, seconds=NAVIGATION_SECONDS):
    """
    What make() returns, cached as versioned_html() caches HTML. The version
    and the value are read in one round trip, as every page asks for them.
    """
    found = cache.get_many([version_key, name])
    version = found.get(version_key)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(version_key, version, None)
    made_for, value = found.get(name, (None, None))
    if made_for != version:
        value = make()
        cache.set(name, (version, value), seconds)
    return value


def sticky_post_pks():
    """
    The posts that lead the home page, newest first; cached with the menu,
    as every change to a post changes both. Reading them took the home page
    from 7–10 ms to 24–30 ms on SQLite at 10,000 posts (make bench), as no
    index serves is_sticky beside the list's own order.
    """
    return versioned(
        VERSION_KEY,
        "blog:sticky",
        lambda: list(Post.objects.listed().sticky().values_list("pk", flat=True)),
    )


def render_menu():
    items = [
        (item.title, item.href)
        for item in MenuItem.objects.select_related("page", "category").defer(
            "page__body", "page__body_html"
        )
        if item.page is None or item.page.is_published
    ]
    if not items:
        items = default_menu()
    return render_to_string("blog/_menu.html", {"items": items})


def default_menu():
    """
    Until an editor arranges a menu: the home page, the pages at the top of
    the tree and the top-level categories that have posts.
    """
    pages = Page.objects.published().filter(parent=None)
    categories = Category.objects.filter(
        parent=None, posts__in=Post.objects.listed()
    ).distinct()
    return [
        ("Home", reverse("blog:post-list")),
        *(
            (page.title, page.get_absolute_url())
            for page in pages.only("title", "slug", "kind", "path")
        ),
        *(
            (category.name, category.get_absolute_url())
            for category in categories.only("name", "slug")
        ),
    ]


def render_footer():
    context = {
        "recent_posts": list(
            Post.objects.listed().only("title", "slug", "kind", "path")[:RECENT_POSTS]
        ),
        "categories": list(
            Category.objects.filter(posts__in=Post.objects.listed())
            .annotate(post_count=Count("posts"))
            .only("name", "slug")
        ),
        "months": list(
            Post.objects.listed()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(post_count=Count("pk"))
            .order_by("-month")[:ARCHIVE_MONTHS]
        ),
        "tags": tag_cloud(),
        "site_url": settings.BLOG_SITE_URL,
    }
    return render_to_string("blog/_footer_navigation.html", context)


def tag_cloud():
    """The most used tags, by name, each with a size from 1 to CLOUD_SIZES."""
    tags = list(
        Tag.objects.filter(post__in=Post.objects.listed())
        .annotate(post_count=Count("post"))
        .order_by("-post_count", "name")[:CLOUD_TAGS]
    )
    if not tags:
        return []
    most = tags[0].post_count
    for tag in tags:
        tag.size = 1 + (CLOUD_SIZES - 1) * (tag.post_count - 1) // max(most - 1, 1)
    return sorted(tags, key=lambda tag: tag.name.casefold())
