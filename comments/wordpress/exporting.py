"""
What the comments app gives blog.wordpress.exporting when the site is
written out as WXR: whether each post takes comments, and its comments as
WordPress records, read a batch of posts at a time in one streamed query.
"""

from django.utils.html import escape

from blog.wordpress import exporting, wxr

from ..models import Comment, Discussion

APPROVED = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.REMOVED: "trash",
}
CHUNK_SIZE = 1000


def write(file, posts):
    """
    Write `posts` (a queryset of posts and pages) with their comments to the
    text file `file` as WXR; returns the Counter blog's writer returns.
    """
    return exporting.write(
        file, posts, comment_status=comment_status, comments=comments_of
    )


def comment_status(post):
    """The post's wp:comment_status, "open" or "closed"."""
    return "open" if Discussion.of(post).is_open else "closed"


def comments_of(posts):
    """
    (post id, wxr.Comment) for every comment on `posts`, whatever its status,
    post by post in the order of their ids, each post's in thread order
    (parents before replies, which WordPress's importer needs). One query,
    read CHUNK_SIZE rows at a time.
    """
    comments = (
        Comment.objects.filter(post__in=[post.pk for post in posts])
        .select_related("user")
        .order_by("post_id", "tree_id", "lft")
    )
    for comment in comments.iterator(chunk_size=CHUNK_SIZE):
        yield comment.post_id, record_of(comment)


def record_of(comment):
    """
    The comment as WordPress keeps one. Its parent is the comment it
    answers, which the depth limit may have put it beside; the body is plain
    text, escaped so that WordPress shows it as written.
    """
    user = comment.user
    return wxr.Comment(
        wordpress_id=comment.pk,
        parent_id=comment.in_reply_to_id or comment.parent_id,
        # WordPress keeps the author's name as HTML, as our import reads it.
        author=escape(user.public_name if user else comment.author_name),
        email=user.email if user else comment.author_email,
        url=user.website if user else comment.author_url,
        ip_address=comment.ip_address or "",
        date=comment.created_at,
        content=escape(comment.body),
        approved=APPROVED[comment.status],
        type=comment.kind,
        user_id=comment.user_id,
    )
