"""
RSS and Atom feeds of approved comments: those of one post, and those on
every post the public may see.

As the blog's feeds (blog.feeds.ConditionalFeed), they answer a reader who
has the latest version with 304 Not Modified from one query, before reading
the comments: a post's from the post's row with its discussion's version,
which every change to what its thread shows raises.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse

from blog.addresses import absolute
from blog.feeds import AtomFeedMixin, ConditionalFeed
from blog.models import Post

from .models import Comment, Discussion


class CommentsFeedMixin:
    """A comment as a feed's item: by its writer's public name, on its post."""

    item_count = 50

    def item_title(self, comment):
        return f"{comment.display_name} on {comment.post.title}"

    def item_link(self, comment):
        return absolute(comment.get_absolute_url())

    def item_description(self, comment):
        return comment.body_html

    def item_author_name(self, comment):
        return comment.display_name

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created_at


class PostCommentsFeed(CommentsFeedMixin, ConditionalFeed):
    """The latest approved comments of one published post."""

    url_name = "comments:post-comments-feed"

    def get_object(self, request, slug):
        posts = Post.objects.published().select_related("discussion")
        return get_object_or_404(posts, slug=slug)

    def validators(self, post):
        discussion = Discussion.of(post)
        return (post.pk, post.version, discussion.version), discussion.changed_at

    def url_kwargs(self, post):
        return {"slug": post.slug}

    def title(self, post):
        return f"Comments on {post.title}"

    def description(self, post):
        return f"The latest comments on “{post.title}” at {settings.BLOG_SITE_NAME}"

    def link(self, post):
        return absolute(f"{post.get_absolute_url()}#comments")

    def items(self, post):
        # Through the post's manager, so that each comment has the post.
        comments = post.comments.approved().select_related("user")
        return comments.order_by("-created_at", "-pk")[: self.item_count]


class PostCommentsAtomFeed(AtomFeedMixin, PostCommentsFeed):
    pass


class CommentsFeed(CommentsFeedMixin, ConditionalFeed):
    """The latest approved comments on all the posts the public may see."""

    url_name = "comments:comment-feed"

    def comments(self):
        return Comment.objects.public().order_by("-created_at", "-pk")

    def validators(self, obj):
        # An item changes with its comment (edited_at), its post (version),
        # and its commenter's name (the discussion's version).
        columns = (
            "pk",
            "created_at",
            "edited_at",
            "post__version",
            "post__discussion__version",
        )
        shown = list(self.comments().values_list(*columns)[: self.item_count])
        last_modified = max(
            (edited_at or created_at for _, created_at, edited_at, *_ in shown),
            default=None,
        )
        return shown, last_modified

    def title(self, obj):
        return f"{settings.BLOG_SITE_NAME}: comments"

    def description(self, obj):
        return f"The latest comments at {settings.BLOG_SITE_NAME}"

    def link(self, obj):
        return absolute(reverse("blog:post-list"))

    def items(self, obj):
        # An item shows its post's title and address, never its text.
        # Each comment's link names its comment page: its post's discussion
        # says whether there are several.
        comments = self.comments().select_related("post__discussion", "user")
        return comments.defer("body", "post__body", "post__body_html")[
            : self.item_count
        ]


class CommentsAtomFeed(AtomFeedMixin, CommentsFeed):
    pass
