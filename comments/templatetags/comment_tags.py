from django import template

from ..forms import CommentForm, guest_form_html
from ..models import Comment
from ..moderation import is_open_for_comments
from ..threads import held_comments_html, thread_placeholder

register = template.Library()


@register.inclusion_tag("comments/_thread.html", takes_context=True)
def comment_thread(context, post):
    """A post's comments, the viewer's held ones, and the form to reply."""
    request = context["request"]
    user = request.user
    is_open = is_open_for_comments(post)
    form = guest_form = None
    if is_open and user.is_authenticated:
        form = CommentForm(post=post, user=user)
    elif is_open:
        guest_form = guest_form_html(request, post)
    return {
        "post": post,
        "thread_html": thread_placeholder(request, post),
        "held_comments": held_comments_html(request, post),
        "is_open": is_open,
        "form": form,
        "guest_form_html": guest_form,
        "user": user,
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
