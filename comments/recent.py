"""
The latest approved comments, listed in every page's footer. Rendered once
and cached as HTML under a version that every change to what readers see of
comments raises (DiscussionQuerySet.mark_changed calls
recent_comments_changed()); the lifetime bounds how late a change that
comes with no comment saved (a post unpublished, renamed) reaches it.
"""

import uuid

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .models import Comment

RECENT_COMMENTS = 5
RECENT_COMMENTS_SECONDS = 5 * 60
VERSION_KEY = "comments:recent-version"


def recent_comments_changed():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def recent_comments_html():
    version = cache.get(VERSION_KEY)
    if version is None:
        recent_comments_changed()
        version = cache.get(VERSION_KEY)
    key = f"comments:recent:{version}"
    html = cache.get(key)
    if html is None:
        comments = (
            Comment.objects.public()
            .select_related("user", "post")
            .defer("post__body", "post__body_html", "body", "body_html")
            .order_by("-created_at")[:RECENT_COMMENTS]
        )
        html = render_to_string("comments/_recent.html", {"comments": comments})
        cache.set(key, html, RECENT_COMMENTS_SECONDS)
    return mark_safe(html)
