from django.db import models
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Now

from blog.models import Post

from .comment import Comment


class DiscussionQuerySet(models.QuerySet):
    def mark_changed(self):
        """
        What readers see of these posts' comments changed: recount their
        approved comments and raise their versions, so that HTML cached for
        their threads is made anew. The one place the comments app does so.
        """
        approved = (
            Comment.objects.approved()
            .filter(post=OuterRef("post"))
            .order_by()  # the tree ordering would split the count into groups
            .values("post")
        )
        from ..recent import recent_comments_changed  # it lists comments: imports these

        recent_comments_changed()
        counted = approved.annotate(count=Count("pk")).values("count")
        # A thread (a top-level comment and its replies) is on show while any
        # comment in it is approved: a hidden top-level comment stands as a
        # placeholder for its replies.
        threads = approved.annotate(count=Count("tree_id", distinct=True))
        return self.update(
            comment_count=Coalesce(Subquery(counted), 0),
            thread_count=Coalesce(Subquery(threads.values("count")), 0),
            version=F("version") + 1,
            changed_at=Now(),
        )


class Discussion(models.Model):
    """
    What the comments app keeps of each post: whether it takes comments, how
    many are approved, and the version its cached thread is keyed on. A post
    has a row once someone comments on it or an editor saves it in the admin;
    until then Discussion.of(post) stands in with the defaults.
    """

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="discussion"
    )
    is_open = models.BooleanField(
        "comments open",
        default=True,
        help_text="Readers may comment (and reply) while the post is published.",
    )
    # Kept by every change of a comment's visibility, so that lists of
    # thousands of posts show counts without counting.
    comment_count = models.PositiveIntegerField(
        "approved comments", default=0, editable=False
    )
    # Threads on show: what the comment pages are counted from.
    thread_count = models.PositiveIntegerField(
        "threads on show", default=0, editable=False
    )
    # Raised by every change to what the thread shows (DiscussionQuerySet.
    # mark_changed): a column, not a cache entry, so that every process and
    # host sees the same value at once.
    version = models.PositiveIntegerField(default=0, editable=False)
    # When the version was last raised: the Last-Modified of the post's
    # comments feed, read with the post rather than counted from its thread.
    changed_at = models.DateTimeField(null=True, editable=False)

    objects = DiscussionQuerySet.as_manager()

    def __str__(self):
        return f"Comments on {self.post}"

    @classmethod
    def of(cls, post):
        """
        The post's discussion, or an unsaved one with the defaults: open on
        a post, closed on a standalone page until an editor opens it.
        """
        # A missing reverse one-to-one raises a subclass of AttributeError.
        return getattr(post, "discussion", None) or cls(
            post=post, is_open=not post.is_page
        )

    def cache_key(self, fragment):
        """
        Where HTML of the post's comments is cached: under both versions, as
        it shows the post's own fields (its address) as well as the comments.
        """
        return f"{self.post.cache_key(fragment)}:{self.version}"
