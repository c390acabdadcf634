from django import template

from blog.splicing import splice

from ..forms import CommentForm
from ..models import Comment, Discussion
from ..moderation import is_open_for_comments
from ..threads import held_comments_html, thread_bytes

register = template.Library()


@register.inclusion_tag("comments/_thread.html", takes_context=True)
def comment_thread(context, post):
    """
    A post's comments, the viewer's held ones, and the form to reply. The
    thread, the same for everyone, comes from the cache as bytes, which the
    post page splices in (blog.splicing).
    """
    request = context["request"]
    is_open = is_open_for_comments(post)
    return {
        "post": post,
        "comment_count": Discussion.of(post).comment_count,
        "thread_html": splice(context, thread_bytes(post)),
        "held_comments": held_comments_html(request, post),
        "is_open": is_open,
        "form": CommentForm(post=post, user=request.user) if is_open else None,
        "user": request.user,
    }


@register.inclusion_tag("comments/_user_comments.html")
def user_comments(profile_user, limit=20):
    """The latest approved comments of an account, for its public profile."""
    comments = (
        Comment.objects.public()
        .filter(user=profile_user)
        .select_related("post")
        .only("pk", "body", "created_at", "post__title", "post__slug")
        .order_by("-created_at")[:limit]
    )
    return {"comments": comments, "profile_user": profile_user}


@register.inclusion_tag("admin/comments/_waiting.html", takes_context=True)
def comments_waiting(context):
    """How many comments wait for a moderator, for those who may moderate."""
    user = context["request"].user
    if not user.has_perm("comments.change_comment"):
        return {"count": None}
    return {"count": Comment.objects.pending().count()}
