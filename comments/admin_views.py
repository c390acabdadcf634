"""
The moderation desk's own admin pages, beside the queue's changelist: one
comment's one-click actions, the tabs above the queue, and a post's whole
thread with the same actions and a reply box.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator

from accounts.views import client_address
from blog.models import Post

from . import moderation_actions, services
from .forms import ModeratorReplyForm
from .models import Comment, ConfirmedAddress, Discussion, ModerationWord

# The queue's buttons: each service and what the message says it did.
ACTIONS = {
    "approve": (moderation_actions.comment_approve, "Approved"),
    "spam": (moderation_actions.comment_mark_spam, "Marked as spam"),
    "remove": (moderation_actions.comment_remove, "Removed"),
    "restore": (moderation_actions.comment_restore, "Returned to the queue"),
}


def moderate(model_admin, request, comment_id):
    """One button of a queue row or a thread: act, then go back where it was."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    comment = get_object_or_404(
        Comment.objects.select_related("post", "user", "parent__user"), pk=comment_id
    )
    action = request.POST.get("moderation")
    if action == "trust":
        done = approve_and_trust(comment, moderator=request.user)
    elif action in ACTIONS:
        service, done = ACTIONS[action]
        service(comment=comment, moderator=request.user)
    else:
        return HttpResponseBadRequest("Unknown moderation action.")
    words = Truncator(" ".join(comment.body.split())).words(8, truncate="…")
    messages.success(request, f"{done}: “{words}” by {comment.display_name}.")
    return HttpResponseRedirect(safe_next_url(request) or default_next())


def undo(model_admin, request, comment_id):
    """The Undo button on a comment's page: take back its last action."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
    event_pk = request.POST.get("event", "")
    event = get_object_or_404(
        comment.moderation_events.select_related("moderator"),
        pk=int(event_pk) if event_pk.isdigit() else None,
    )
    try:
        moderation_actions.moderation_undo(
            comment=comment, event=event, moderator=request.user
        )
    except moderation_actions.UndoRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Undone: “{event.get_action_display()}” by {event.actor}."
        )
    return HttpResponseRedirect(
        reverse("admin:comments_comment_change", args=[comment.pk])
    )


def follow_up(request, comment_id):
    """
    A follow-up button on a comment's page: hold (or mark as spam) every
    comment with a word or web domain from now on.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("comments.add_moderationword"):
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=comment_id)
    back = reverse("admin:comments_comment_change", args=[comment.pk])
    if "hold_domain" in request.POST:
        word, action = request.POST["hold_domain"], ModerationWord.Action.HOLD
    else:
        word = request.POST.get("follow_up_word", "")
        action = request.POST.get("follow_up_action", "")
    word = " ".join(word.split())
    if action not in ModerationWord.Action.values or not 0 < len(word) <= 100:
        messages.error(request, "Type a word or domain (up to 100 characters).")
        return HttpResponseRedirect(back)
    listed, is_new = ModerationWord.objects.get_or_create(
        word__iexact=word,
        defaults={"word": word, "action": action, "added_by": request.user},
    )
    if not is_new:
        messages.warning(
            request,
            f"“{listed.word}” is listed already: {listed.get_action_display()}.",
        )
        return HttpResponseRedirect(back)
    done = "held for a moderator" if action == "hold" else "marked as spam"
    messages.success(request, f"From now on, comments with “{word}” are {done}.")
    return HttpResponseRedirect(back)


def approve_and_trust(comment, *, moderator):
    trust = moderation_actions.comment_approve_and_trust(
        comment=comment, moderator=moderator
    )
    if trust is None:
        return "Approved (a guest who gave no address cannot be trusted)"
    if not trust.user_id and not ConfirmedAddress.is_confirmed(trust.email):
        return "Approved; its author is trusted once they confirm their address"
    return "Approved, and its author trusted"


def safe_next_url(request):
    """The page the moderator acted from, if it is one of this admin's."""
    url = request.POST.get("next") or request.GET.get("next", "")
    admin_root = reverse("admin:index")
    is_local = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if is_local and url.startswith(admin_root) else ""


def default_next():
    return reverse("admin:comments_comment_changelist") + "?status__exact=pending"


def queue_tabs(request):
    """
    The tabs above the queue: each status with its count where counting is
    cheap (pending, and spam caught in the last day; both read from
    comment_status_idx), the one shown marked as current.
    """
    url = reverse("admin:comments_comment_changelist")
    current = request.GET.get("status__exact", "")
    spam_by_reason = Comment.objects.recent_spam_by_reason()
    tabs = [
        ("pending", "Pending", Comment.objects.pending().count(), ""),
        ("spam", "Spam", sum(spam_by_reason.values()), "in the last day"),
        ("removed", "Removed", None, ""),
        ("approved", "Approved", None, ""),
        ("", "All", None, ""),
    ]
    return [
        {
            "label": label,
            "count": count,
            "count_note": note,
            "url": f"{url}?status__exact={status}" if status else url,
            "is_current": status == current,
        }
        for status, label, count, note in tabs
    ]


def thread(model_admin, request, post_id):
    """
    Every comment of one post, whatever its status, as an indented tree,
    each with the queue's buttons and a reply box; a moderator's reply is
    published at once.
    """
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    post = get_object_or_404(Post.objects.for_page(), pk=post_id)
    failed_reply = None
    if request.method == "POST":
        if not model_admin.has_change_permission(request):
            raise PermissionDenied
        form = ModeratorReplyForm(request.POST, post=post)
        if form.is_valid():
            return reply(request, post, form)
        # A reply to a comment without a box (one not shown on the site) is
        # kept in the post's own box, under the error that says why.
        parent = (
            form.cleaned_data.get("parent") if "parent" not in form.errors else None
        )
        failed_reply = {
            "parent": parent.pk if parent else "",
            "body": form.data.get("body", ""),
            "errors": [error for errors in form.errors.values() for error in errors],
        }
    comments = Comment.objects.thread(post).select_related("user").with_author_record()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Comments on “{post.title}”",
        "post": post,
        "discussion": Discussion.of(post),
        "comments": comments,
        "failed_reply": failed_reply,
        "can_moderate": model_admin.has_change_permission(request),
        "media": model_admin.media,
    }
    return TemplateResponse(request, "admin/comments/comment/thread.html", context)


def reply(request, post, form):
    try:
        comment = services.comment_create(
            post=post,
            parent=form.cleaned_data["parent"],
            user=request.user,
            body=form.cleaned_data["body"],
            ip_address=client_address(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except services.ParentUnavailable as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(request.path)
    if comment.is_approved:
        messages.success(request, "Your reply is published.")
    else:
        messages.warning(
            request, f"Your reply was held: {comment.reason_text.lower()}."
        )
    return HttpResponseRedirect(f"{request.path}#comment-{comment.pk}")
