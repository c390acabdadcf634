"""
The latest approved comments, listed in every page's footer. Rendered once
and cached as HTML under a version that every change to what readers see of
comments raises (DiscussionQuerySet.mark_changed calls
recent_comments_changed()); the lifetime bounds how late a change that
comes with no comment saved (a post unpublished, renamed) reaches it.
"""

from django.template.loader import render_to_string

from blog.navigation import version_changed, versioned_html

from .models import Comment

RECENT_COMMENTS = 5
RECENT_COMMENTS_SECONDS = 5 * 60
VERSION_KEY = "comments:recent-version"


def recent_comments_changed():
    version_changed(VERSION_KEY)


def recent_comments_html():
    return versioned_html(
        VERSION_KEY, "comments:recent", render_recent_comments, RECENT_COMMENTS_SECONDS
    )


def render_recent_comments():
    comments = (
        Comment.objects.public()
        # A comment's link names its comment page, which its discussion tells.
        .select_related("user", "post__discussion")
        .defer("post__body", "post__body_html", "body", "body_html")
        .order_by("-created_at")[:RECENT_COMMENTS]
    )
    return render_to_string("comments/_recent.html", {"comments": comments})
