import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.db import transaction
from django.db.models import Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from blog.admin import PageAdmin, PostAdmin
from blog.models import Page, Post

from . import admin_cells, admin_views, services
from .models import Comment, CommentRevision, Discussion
from .wordpress.admin_actions import export_wordpress

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


class RevisionInline(admin.TabularInline):
    """A comment's earlier texts, newest first, for moderators only."""

    model = CommentRevision
    fields = ["replaced_at", "replaced_by_whom", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "earlier text"
    verbose_name_plural = "earlier texts"

    # Whoever may see the comment may see what it said before.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("comments.view_comment")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("replaced_by")

    @admin.display(description="replaced by")
    def replaced_by_whom(self, revision):
        if revision.is_by_moderator:
            return f"Moderator {revision.replaced_by or ''}".strip()
        return (
            f"Its author{f' ({revision.replaced_by})' if revision.replaced_by else ''}"
        )


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
    inlines = [RevisionInline]
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
            services.comment_edit(comment=obj, body=body, moderator=request.user)

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
            *super().get_urls(),
        ]

    def thread_view(self, request, post_id):
        return admin_views.thread(self, request, post_id)

    def moderate_view(self, request, comment_id):
        return admin_views.moderate(self, request, comment_id)

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
                status = comment.status
                service(comment=comment)
                changed += comment.status != status
        self.message_user(request, f"{changed} comment(s) {done}.", messages.SUCCESS)

    @admin.action(
        description="Approve this comment",
        description_plural="Approve the selected comments",
        permissions=["change"],
        location=ACTION_LOCATIONS,
    )
    def approve(self, request, queryset):
        self.apply(request, queryset, services.comment_approve, "approved")

    @admin.action(
        description="Mark this comment as spam",
        description_plural="Mark the selected comments as spam",
        permissions=["change"],
        location=ACTION_LOCATIONS,
    )
    def mark_spam(self, request, queryset):
        self.apply(request, queryset, services.comment_mark_spam, "marked as spam")

    @admin.action(
        description="Remove this comment",
        description_plural="Remove the selected comments",
        permissions=["change"],
        location=ACTION_LOCATIONS,
    )
    def remove(self, request, queryset):
        self.apply(request, queryset, services.comment_remove, "removed")

    @admin.action(
        description="Restore this comment to the queue",
        description_plural="Restore the selected comments to the queue",
        permissions=["change"],
        location=ACTION_LOCATIONS,
    )
    def restore(self, request, queryset):
        self.apply(request, queryset, services.comment_restore, "restored to the queue")


class DiscussionInline(admin.TabularInline):
    """
    The post's comment settings, on the post's page in the admin. Whoever may
    change the post may open or close its comments.
    """

    model = Discussion
    fields = ["is_open", "comment_count", "thread_link"]
    readonly_fields = ["comment_count", "thread_link"]
    can_delete = False
    # Exactly one, always shown and saved: a row nobody can remove.
    min_num = max_num = 1
    extra = 0
    verbose_name = verbose_name_plural = "comments"

    def get_formset(self, request, obj=None, **kwargs):
        # A tabular inline heads the checkbox's column but gives the checkbox
        # no label, so a screen reader would announce it bare.
        label = Discussion._meta.get_field("is_open").verbose_name.capitalize()
        kwargs["widgets"] = {
            "is_open": forms.CheckboxInput(attrs={"aria-label": label}),
            **kwargs.get("widgets", {}),
        }
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="thread")
    def thread_link(self, discussion):
        if discussion.post_id is None:
            return "—"
        url = reverse("admin:comments_comment_thread", args=[discussion.post_id])
        return format_html('<a href="{}">Every comment on this post</a>', url)

    # The rights over the post or page the comments are on.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.parent_permission("view"))

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(self.parent_permission("change"))

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(self.parent_permission("change"))

    def parent_permission(self, action):
        opts = self.parent_model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"


class PostWithCommentsAdmin(PostAdmin):
    """Blog's post admin, with each post's comment settings and count."""

    inlines = [*PostAdmin.inlines, DiscussionInline]
    list_display = [*PostAdmin.list_display, "comment_count"]
    actions = [*PostAdmin.actions, export_wordpress]
    list_select_related = [*PostAdmin.list_select_related, "discussion"]

    @admin.display(description="comments", ordering="discussion__comment_count")
    def comment_count(self, post):
        return Discussion.of(post).comment_count


class PageDiscussionInline(DiscussionInline):
    """A page takes comments only once an editor opens them."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["is_open"].initial = False
        return formset


class PageWithCommentsAdmin(PageAdmin):
    """Blog's page admin, with each page's comment settings."""

    inlines = [*PageAdmin.inlines, PageDiscussionInline]
    actions = [*PageAdmin.actions, export_wordpress]


# Extended here, as Django's documentation extends the User admin with a
# profile inline, so that blog's admin never imports comments.
admin.site.unregister(Post)
admin.site.register(Post, PostWithCommentsAdmin)
admin.site.unregister(Page)
admin.site.register(Page, PageWithCommentsAdmin)
