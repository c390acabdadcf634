from django import template

from blog.feeds import feed_links
from blog.splicing import splice

from .. import thread_pages
from ..admin_cells import moderation_buttons as moderation_buttons_html
from ..forms import CommentForm
from ..models import Comment, Discussion, Subscription
from ..moderation import is_open_for_comments
from ..recent import recent_comments_html
from ..threads import viewer_thread_bytes

register = template.Library()


@register.inclusion_tag("comments/_thread.html", takes_context=True)
def comment_thread(context, post):
    """
    A post's comments and the form to reply. The thread, the same for
    everyone, comes from the cache as bytes, which the post page splices in
    (blog.splicing); a visitor whose comments wait for a moderator gets one
    made for them instead (comments.threads.viewer_thread_bytes).
    """
    request, user = context["request"], context["request"].user
    is_open = is_open_for_comments(post)
    discussion = Discussion.of(post)
    page = thread_pages.requested_page(request, discussion)
    return {
        "post": post,
        "comment_count": discussion.comment_count,
        "thread_html": splice(context, viewer_thread_bytes(request, post, page)),
        "pages": thread_pages.page_links(post, discussion, page),
        "is_open": is_open,
        "form": CommentForm(post=post, user=user) if is_open else None,
        "user": user,
        # One query, for a signed-in reader only: anonymous pages read nothing.
        "is_following": is_open
        and user.is_authenticated
        and Subscription.objects.mailed().filter(post=post, user=user).exists(),
    }


@register.inclusion_tag("blog/_alternate_links.html")
def comment_feed_links(post):
    """
    The <link rel="alternate"> of the post's comment feeds, for its page's
    head; none on the preview of a post the public cannot see (they are 404).
    """
    if not post.is_published:
        return {"feeds": []}
    title = f"Comments on {post.title}"
    return {"feeds": feed_links(title, "comments:post-comments-feed", slug=post.slug)}


@register.inclusion_tag("comments/_user_comments.html")
def user_comments(profile_user, limit=20):
    """The latest approved comments of an account, for its public profile."""
    comments = (
        Comment.objects.public()
        .filter(user=profile_user)
        # A comment's link names its comment page, which its discussion tells.
        .select_related("post__discussion")
        .order_by("-created_at")[:limit]
    )
    return {"comments": comments, "profile_user": profile_user}


@register.inclusion_tag("admin/comments/_waiting.html", takes_context=True)
def comments_waiting(context):
    """
    For those who may moderate: how many comments wait, and how many the
    spam rules caught in the last day, by rule, so that a person's comment
    sent too fast is seen.
    """
    user = context["request"].user
    if not user.has_perm("comments.change_comment"):
        return {"pending": None}
    caught = Comment.objects.recent_spam_by_reason()
    reasons = Comment.Reason
    return {
        "pending": Comment.objects.pending().count(),
        "spam_count": sum(caught.values()),
        "spam_reasons": [
            {"label": reasons(reason).label, "count": count}
            for reason, count in sorted(caught.items(), key=lambda item: -item[1])
            if reason in reasons.values
        ],
    }


@register.simple_tag
def moderation_buttons(comment):
    """A comment's one-click moderation buttons, for the admin's thread view."""
    return moderation_buttons_html(comment)


@register.simple_tag
def recent_comments():
    """The latest approved comments, for every page's footer."""
    return recent_comments_html()
