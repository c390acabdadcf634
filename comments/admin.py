import re

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.db import transaction
from django.db.models import Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from blog.models import Post

from . import (
    admin_bans,  # noqa: F401 (registers the bans' admin)
    admin_cells,
    admin_posts,  # noqa: F401 (registers the post and page admins)
    admin_views,
    moderation_actions,
    services,
)
from .admin_history import HistoryInline, RevisionInline
from .models import Comment, ModerationWord

EXCERPT_WORDS = 20
# Moderation actions work on a selection in the queue and on one comment's page.
ACTION_LOCATIONS = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def first_words(text, words=EXCERPT_WORDS):
    return Truncator(" ".join(text.split())).words(words, truncate="…")


class PostFilter(admin.SimpleListFilter):
    """
    Filter by post without listing every post: it offers the posts with
    comments waiting, and whichever post the moderator came from (the post
    column and the thread view link here).
    """

    title = "post"
    parameter_name = "post"

    def lookups(self, request, model_admin):
        selected = Q(pk=self.value()) if self.is_valid() else Q()
        waiting = Q(pk__in=Comment.objects.pending().values("post"))
        posts = Post.objects.filter(waiting | selected if selected else waiting)
        return [
            (str(post.pk), post.title)
            for post in posts.only("pk", "title").order_by("-published_at")[:30]
        ]

    def value(self):
        return super().value() or ""

    def has_output(self):
        # A post asked for in the address is filtered on (or refused) even
        # when the filter has no choices to offer.
        return bool(self.value()) or super().has_output()

    def is_valid(self):
        return re.fullmatch(r"[0-9]{1,18}", self.value()) is not None

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.is_valid():
            messages.error(request, "The post must be given by its id, a number.")
            return queryset.none()
        return queryset.filter(post_id=self.value())


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """
    The moderation queue: one row per comment with its text, its author's
    record, why a rule held it, and one-click actions (admin_views.py).
    Status tabs take the place of the filter sidebar, so the table has the
    whole width of the page.
    """

    list_display = ["comment", "author", "status_reason", "received", "buttons"]
    list_display_links = None
    list_filter = [PostFilter]
    search_fields = [
        "author_name",
        "author_email",
        "body",
        "user__username",
        "user__display_name",
        "user__email",
    ]
    list_select_related = [
        "post",
        "user",
        "parent__user",
        "in_reply_to__user",
    ]
    # The queue: comments waiting for a moderator first, newest first.
    # comment_queue_idx serves this order, pk included, so that the first page
    # is read from the index rather than by sorting every comment.
    ordering = ["-is_pending", "-created_at", "-pk"]
    show_full_result_count = False
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove", "restore"]
    change_list_template = "admin/comments/comment/queue.html"
    inlines = [HistoryInline, RevisionInline]
    fieldsets = [
        (None, {"fields": ["post_link", "parent_excerpt", "status", "reason"]}),
        (
            "Author",
            {
                "fields": [
                    "user",
                    "author_name",
                    "author_email",
                    "author_url",
                    "ip_address",
                    "user_agent",
                    "is_subscribed_to_replies",
                ]
            },
        ),
        ("Comment", {"fields": ["body", "created_at", "edited_at"]}),
    ]
    readonly_fields = [
        "post_link",
        "parent_excerpt",
        "status",
        "reason",
        "user",
        "author_name",
        "author_email",
        "author_url",
        "ip_address",
        "user_agent",
        "is_subscribed_to_replies",
        "created_at",
        "edited_at",
    ]

    class Media:
        css = {"all": ["comments/admin/queue.css"]}
        js = ["comments/admin/queue.js"]

    def has_add_permission(self, request):
        # Comments come from the site's form, through the moderation rules.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).with_author_record()

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Deleting in bulk would bypass the services that keep counts right;
        # moderators remove comments instead.
        actions.pop("delete_selected", None)
        return actions

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Each row's buttons send the moderator on to the row below, so that
        # the queue is worked from top to bottom without scrolling back.
        # The rows are read here once; the template lists these same objects.
        rows = list(changelist.result_list)
        for row, following in zip(rows, [*rows[1:], None], strict=False):
            row.queue_url = (
                request.path
                + changelist.get_query_string()
                + (f"#comment-{following.pk}" if following else "")
            )
        return changelist

    def changelist_view(self, request, extra_context=None):
        tabs = admin_views.queue_tabs(request)
        current = next((tab["label"] for tab in tabs if tab["is_current"]), "All")
        extra_context = {
            "title": f"{current} comments",
            **(extra_context or {}),
            "queue_tabs": tabs,
        }
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if "body" in form.changed_data:
            body = form.cleaned_data["body"]
            moderation_actions.comment_edit(
                comment=obj, body=body, moderator=request.user
            )

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj)

    def get_urls(self):
        return [
            path(
                "thread/<int:post_id>/",
                self.admin_site.admin_view(self.thread_view),
                name="comments_comment_thread",
            ),
            path(
                "<int:comment_id>/moderate/",
                self.admin_site.admin_view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            path(
                "<int:comment_id>/follow-up/",
                self.admin_site.admin_view(self.follow_up_view),
                name="comments_comment_follow_up",
            ),
            path(
                "<int:comment_id>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="comments_comment_undo",
            ),
            *super().get_urls(),
        ]

    def thread_view(self, request, post_id):
        return admin_views.thread(self, request, post_id)

    def moderate_view(self, request, comment_id):
        return admin_views.moderate(self, request, comment_id)

    def undo_view(self, request, comment_id):
        return admin_views.undo(self, request, comment_id)

    def follow_up_view(self, request, comment_id):
        return admin_views.follow_up(request, comment_id)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        fields = [*options["fields"], "one_click", "last_action"]
        if request.user.has_perm("comments.add_moderationword"):
            fields.append("follow_ups")
        if request.user.has_perm("comments.add_ban"):
            fields.append("ban_links")
        return [(name, {**options, "fields": fields}), *rest]

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            "one_click",
            "last_action",
            "follow_ups",
            "ban_links",
        ]

    @admin.display(description="moderate")
    def one_click(self, comment):
        page = reverse("admin:comments_comment_change", args=[comment.pk])
        return admin_cells.moderation_buttons(comment, next_url=page)

    @admin.display(description="last action")
    def last_action(self, comment):
        return admin_cells.last_action_cell(comment)

    @admin.display(description="from now on")
    def follow_ups(self, comment):
        return admin_cells.follow_up_cell(comment)

    @admin.display(description="ban")
    def ban_links(self, comment):
        return admin_cells.ban_links_cell(comment)

    @admin.display(description="comment")
    def comment(self, comment):
        return admin_cells.comment_cell(comment)

    @admin.display(description="author", ordering="author_name")
    def author(self, comment):
        return admin_cells.author_cell(comment)

    @admin.display(description="status", ordering="status")
    def status_reason(self, comment):
        return admin_cells.status_cell(comment)

    @admin.display(description="received", ordering="created_at")
    def received(self, comment):
        return admin_cells.received_cell(comment)

    @admin.display(description="actions")
    def buttons(self, comment):
        return admin_cells.moderation_buttons(comment, next_url=comment.queue_url)

    @admin.display(description="post", ordering="post__title")
    def post_link(self, comment):
        url = reverse("admin:comments_comment_changelist") + f"?post={comment.post_id}"
        return format_html('<a href="{}">{}</a>', url, comment.post.title)

    @admin.display(description="in reply to")
    def parent_excerpt(self, comment):
        if comment.replied_to is None:
            return "—"
        return first_words(comment.replied_to.body, words=12)

    @admin.display(description="reason", ordering="moderation_reason")
    def reason(self, comment):
        return comment.reason_text or "—"

    def apply(self, request, queryset, service, done):
        changed = 0
        # Posts are locked in one order by every moderator, so two bulk
        # actions over the same posts queue behind each other, never deadlock.
        comments = queryset.select_related("post", "user", "parent__user").order_by(
            "post_id", "pk"
        )
        with transaction.atomic():
            for comment in comments:
                changed += service(comment=comment, moderator=request.user) is not None
        self.message_user(request, f"{changed} comment(s) {done}.", messages.SUCCESS)

    @admin.action(
        description="Approve this comment",
        description_plural="Approve the selected comments",
        permissions=["change"],
        location=ACTION_LOCATIONS,
    )
    def approve(self, request, queryset):
        self.apply(request, queryset, moderation_actions.comment_approve, "approved")

    @admin.action(
        description="Mark this comment as spam",
        description_plural="Mark the selected comments as spam",
        permissions=["change"],
        location=ACTION_LOCATIONS,
    )
    def mark_spam(self, request, queryset):
        self.apply(
            request, queryset, moderation_actions.comment_mark_spam, "marked as spam"
        )

    @admin.action(
        description="Remove this comment",
        description_plural="Remove the selected comments",
        permissions=["change"],
        location=ACTION_LOCATIONS,
    )
    def remove(self, request, queryset):
        self.apply(request, queryset, moderation_actions.comment_remove, "removed")

    @admin.action(
        description="Restore this comment to the queue",
        description_plural="Restore the selected comments to the queue",
        permissions=["change"],
        location=ACTION_LOCATIONS,
    )
    def restore(self, request, queryset):
        self.apply(
            request,
            queryset,
            moderation_actions.comment_restore,
            "restored to the queue",
        )


@admin.register(ModerationWord)
class ModerationWordAdmin(admin.ModelAdmin):
    """
    The words (and web domains) that hold comments for a moderator or mark
    them as spam, beside COMMENTS_MODERATION_WORDS and COMMENTS_BLOCK_WORDS
    from the environment. A held comment's page adds to them in one click.
    """

    list_display = ["word", "action", "added_by", "added_at"]
    list_filter = ["action"]
    search_fields = ["word"]
    list_select_related = ["added_by"]
    fields = ["word", "action"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
