from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from blog.models import Post

from . import notifications, services
from .authorship import (
    comment_edit_refusal,
    edit_refusal,
    is_own_comment,
    remember_written_comment,
)
from .forms import CommentEditForm, CommentForm
from .models import Comment
from .moderation import is_open_for_comments, is_rate_limited
from .thread_html import comment_html

COMMENTS_PER_PAGE = 20


@require_POST
def comment_create(request, slug):
    post = get_object_or_404(Post, slug=slug)
    ip_address = request.META.get("REMOTE_ADDR")
    if is_rate_limited(ip_address):
        return too_many_requests(request)
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
    remember_written_comment(request, comment)
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


def own_comment_or_404(request, slug, pk):
    """
    The visitor's own comment on the post, or 404 (as for a comment that does
    not exist: whether someone else's comment exists is not theirs to know).
    """
    comment = get_object_or_404(
        Comment.objects.select_related("post", "user").exclude(
            status=Comment.Status.REMOVED
        ),
        pk=pk,
        post__slug=slug,
    )
    if not is_own_comment(request, comment):
        raise Http404("No such comment of yours.")
    return comment


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request, slug, pk):
    """
    The author's edit of their comment, while authorship.comment_edit_refusal()
    allows it. A refused or invalid edit shows the form again with what was
    typed, and says why.
    """
    comment = own_comment_or_404(request, slug, pk)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    refusal = comment_edit_refusal(comment)
    if request.method == "POST" and not refusal:
        if is_rate_limited(request.META.get("REMOTE_ADDR")):
            return too_many_requests(request)
        if form.is_valid():
            try:
                services.comment_author_edit(
                    comment=comment,
                    body=form.cleaned_data["body"],
                    editor=request.user if request.user.is_authenticated else None,
                )
            except services.NotEditable as error:
                refusal = str(error)
            else:
                if not comment.is_approved:
                    messages.info(request, "Your edit is waiting for a moderator.")
                return redirect(comment.get_absolute_url())
    context = {
        "comment": comment,
        "post": comment.post,
        "form": form,
        "refusal": refusal,
        "deadline": comment.created_at + settings.COMMENTS_EDIT_WINDOW,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "comments/comment_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def comment_delete(request, slug, pk):
    """The author's deletion of their comment, after a page that asks first."""
    comment = own_comment_or_404(request, slug, pk)
    if request.method == "POST":
        services.comment_author_delete(comment=comment)
        messages.success(request, "Your comment has been deleted.")
        return redirect(comment.post.get_absolute_url() + "#comments")
    context = {
        "comment": comment,
        "post": comment.post,
        "comment_html": comment_html(comment),
        "has_replies": comment.has_replies(),
    }
    return render(request, "comments/comment_delete.html", context)


@login_required
@require_safe
def comment_mine(request):
    comments = (
        Comment.objects.filter(user=request.user)
        .select_related("post__discussion")
        .with_reply_flag()
    )
    paginator = Paginator(comments.order_by("-created_at"), COMMENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    for comment in page.object_list:
        comment.can_edit = is_open_for_comments(comment.post, now=now) and not (
            edit_refusal(
                comment.status, comment.created_at, comment.has_replies, now=now
            )
        )
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


def too_many_requests(request):
    """The 429 page, giving back the comment the person wrote."""
    context = {"body": request.POST.get("body", "")}
    return render(request, "429.html", context, status=429)


def bad_request(request, *messages):
    """The 400 page, giving back the comment the person wrote, if any."""
    context = {"problems": messages, "body": request.POST.get("body", "")}
    return render(request, "400.html", context, status=400)
