from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from blog.models import Post

from . import notifications, services
from .forms import CommentForm
from .models import Comment
from .moderation import is_open_for_comments, is_rate_limited
from .thread_html import comment_html
from .threads import remember_held_comment

COMMENTS_PER_PAGE = 20


@require_POST
def comment_create(request, slug):
    post = get_object_or_404(Post, slug=slug)
    ip_address = request.META.get("REMOTE_ADDR")
    if is_rate_limited(ip_address):
        context = {"body": request.POST.get("body", "")}
        return render(request, "429.html", context, status=429)
    if not post.is_published:
        return bad_request(
            request, "This post is not published, so it takes no comments."
        )
    if not is_open_for_comments(post):
        return bad_request(request, "Comments are closed on this post.")
    form = CommentForm(request.POST, post=post, user=request.user)
    if not form.is_valid():
        if form.has_tampered_fields():
            return bad_request(request, *form.tampered_messages())
        return render_form_page(request, form, form.cleaned_data.get("parent"), 400)
    if not form.claim():
        return bad_request(
            request,
            "This form has already sent a comment. Reload the page to write another.",
        )
    try:
        comment = create_comment_from_form(request, post, form, ip_address)
    except services.ParentUnavailable as error:
        return bad_request(request, str(error))
    if not comment.is_approved:
        remember_held_comment(request, comment)
    if comment.needs_address_confirmed:
        messages.info(
            request,
            f"To hear of replies, follow the link we have sent to "
            f"{comment.author_email}.",
        )
    return redirect(comment.get_absolute_url())


def create_comment_from_form(request, post, form, ip_address):
    return services.comment_create(
        post=post,
        parent=form.cleaned_data["parent"],
        user=request.user if request.user.is_authenticated else None,
        ip_address=ip_address,
        user_agent=request.headers.get("user-agent", ""),
        honeypot_filled=form.honeypot_filled,
        seconds_to_submit=form.seconds_to_submit,
        **form.comment_fields(),
    )


@require_safe
def comment_reply(request, slug, pk):
    """The reply form on a page of its own, for browsers without JavaScript."""
    post = get_object_or_404(Post.objects.published(), slug=slug)
    parent = get_object_or_404(
        Comment.objects.for_post(post).approved().select_related("user", "post"),
        pk=pk,
    )
    form = CommentForm(post=post, user=request.user, initial={"parent": parent.pk})
    return render_form_page(request, form, parent)


def render_form_page(request, form, parent, status=200):
    context = {
        "post": form.post,
        "form": form,
        "parent": parent,
        "parent_html": comment_html(parent) if parent else "",
        "is_open": is_open_for_comments(form.post),
    }
    return render(request, "comments/comment_form.html", context, status=status)


@login_required
@require_safe
def comment_mine(request):
    comments = Comment.objects.filter(user=request.user).select_related("post")
    paginator = Paginator(comments.order_by("-created_at"), COMMENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "comments/comment_mine.html", {"page_obj": page})


# The signed token is what authorises the change, not a cookie, so there is
# no session to forge a request from; and mail programs send the one-click
# POST (RFC 8058) without a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscription_delete(request, token):
    """
    Stop reply notifications: the link in the email leads to a page with a
    button (a GET changes nothing, so link checkers in mail systems cannot
    unsubscribe anyone), and the mail program's own unsubscribe button POSTs.
    """
    comment = notifications.comment_for_link(token, salt=notifications.UNSUBSCRIBE_SALT)
    if comment is None:
        return bad_request(request, "This unsubscribe link is not valid.")
    if request.method == "POST":
        services.comment_unsubscribe(comment=comment)
    return render(
        request,
        "comments/subscription_delete.html",
        {"comment": comment, "is_done": not comment.is_subscribed_to_replies},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def address_confirm(request, token):
    """
    A guest confirms the address they gave for reply notifications: the
    mailed link opens a page with a button, as mail scanners open links.
    """
    comment = notifications.comment_for_link(
        token,
        salt=notifications.CONFIRM_SALT,
        max_age=settings.COMMENTS_CONFIRMATION_MAX_AGE,
    )
    if comment is None:
        return bad_request(
            request,
            "This confirmation link is not valid or has expired. Tick “Notify me "
            "of replies” on your next comment for a new one.",
        )
    if request.method == "POST":
        services.address_confirm(comment=comment)
    context = {"comment": comment, "is_done": not comment.needs_address_confirmed}
    return render(request, "comments/address_confirm.html", context)


def bad_request(request, *messages):
    """The 400 page, giving back the comment the person wrote, if any."""
    context = {"problems": messages, "body": request.POST.get("body", "")}
    return render(request, "400.html", context, status=400)
