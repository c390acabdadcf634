"""
A comment's history in the admin: the audit log of what moderators and
rules did to it, with the undo of the last action, and its earlier texts.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from .models import Comment, CommentRevision, ModerationEvent


class CommentRecordInline(admin.TabularInline):
    """
    A record kept of a comment, shown on its page and never edited there:
    whoever may see the comment may see it.
    """

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("comments.view_comment")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RevisionInline(CommentRecordInline):
    """A comment's earlier texts, newest first."""

    model = CommentRevision
    fields = ["replaced_at", "replaced_by_whom", "body"]
    readonly_fields = fields
    verbose_name = "earlier text"
    verbose_name_plural = "earlier texts"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("replaced_by")

    @admin.display(description="replaced by")
    def replaced_by_whom(self, revision):
        if revision.is_by_moderator:
            return f"Moderator {revision.replaced_by or ''}".strip()
        return (
            f"Its author{f' ({revision.replaced_by})' if revision.replaced_by else ''}"
        )


def event_change(event):
    """What an action changed, in words: "Pending → Approved (undone)"."""
    undone = " (undone)" if hasattr(event, "undone_by") else ""
    return state_change(event) + undone


def state_change(event):
    """What an action changed, in words: "Pending → Approved", "Text changed"."""
    statuses = dict(Comment.Status.choices)
    before, after = event.before.get("status"), event.after.get("status")
    parts = []
    if before != after:
        parts.append(
            f"{statuses.get(before, 'New')} → {statuses.get(after, after)}"
            if before
            else statuses.get(after, after)
        )
    if event.before.get("body", event.after.get("body")) != event.after.get("body"):
        parts.append("text changed")
    if "trust" in event.after:
        parts.append("author trusted")
    if event.comment_id is None and "ban" in event.after:
        ended = " ended" if event.after.get("ended") else ""
        parts.append(f"Ban on {event.after.get('target', '')}{ended}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] or "—"


class HistoryInline(CommentRecordInline):
    """
    What moderators and rules did to a comment, newest first; the comment's
    page offers to undo the newest (CommentAdmin.last_action).
    """

    model = ModerationEvent
    fk_name = "comment"
    fields = ["created_at", "action", "by", "change"]
    readonly_fields = fields
    verbose_name = "moderation"
    verbose_name_plural = "history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator", "undone_by")

    @admin.display(description="by")
    def by(self, event):
        return event.actor

    @admin.display(description="change")
    def change(self, event):
        return state_change(event) + (
            " (undone)" if hasattr(event, "undone_by") else ""
        )


class ActorFilter(admin.SimpleListFilter):
    """Filter the log by moderator, or to what the rules did."""

    title = "moderator"
    parameter_name = "by"

    def lookups(self, request, model_admin):
        moderators = (
            get_user_model()
            .objects.filter(
                pk__in=ModerationEvent.objects.filter(moderator__isnull=False)
                .values("moderator")
                .distinct()
            )
            .order_by("username")
        )
        return [
            ("rules", "The rules"),
            *((str(user.pk), str(user)) for user in moderators),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "rules":
            return queryset.filter(moderator__isnull=True)
        if value and value.isdigit():
            return queryset.filter(moderator_id=value)
        return queryset


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    """The audit log: every moderation action on every comment, newest first."""

    list_display = ["created_at", "action", "by", "comment_link", "change"]
    list_filter = ["action", ActorFilter]
    list_select_related = ["moderator", "comment__post", "undone_by", "ban__user"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="by")
    def by(self, event):
        return event.actor

    @admin.display(description="comment")
    def comment_link(self, event):
        if event.comment is None and event.ban is not None:
            url = reverse("admin:comments_ban_change", args=[event.ban_id])
            return format_html('<a href="{}">{}</a>', url, event.ban)
        if event.comment is None:
            return "(deleted)"
        url = reverse("admin:comments_comment_change", args=[event.comment_id])
        return format_html(
            '<a href="{}">{}</a> on {}',
            url,
            Truncator(" ".join(event.comment.body.split())).words(8, truncate="…"),
            event.comment.post.title,
        )

    @admin.display(description="change")
    def change(self, event):
        return event_change(event)
