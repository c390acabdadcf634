"""
The post, page and category admins, extended with each one's comment
settings (and a post's count): here, as Django's documentation extends the
User admin with a profile inline, so that blog's admin never imports
comments.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from blog.admin import CategoryAdmin, PageAdmin, PostAdmin
from blog.models import Category, Page, Post

from .models import CategoryRules, Discussion
from .wordpress.admin_actions import export_wordpress


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


class CategoryRulesInline(admin.StackedInline):
    """
    The category's own rules for comments on its posts, over the site's;
    whoever may change the category may set them.
    """

    model = CategoryRules
    fields = ["close_after_days", "always_moderate", "max_depth"]
    max_num = 1
    # Shown empty, ready to fill in; an untouched form saves nothing.
    extra = 1
    verbose_name = verbose_name_plural = "comment rules for its posts"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("blog.view_category")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("blog.change_category")

    has_change_permission = has_delete_permission = has_add_permission


class CategoryWithRulesAdmin(CategoryAdmin):
    """Blog's category admin, with the category's rules for comments."""

    inlines = [*CategoryAdmin.inlines, CategoryRulesInline]


admin.site.unregister(Post)
admin.site.register(Post, PostWithCommentsAdmin)
admin.site.unregister(Page)
admin.site.register(Page, PageWithCommentsAdmin)
admin.site.unregister(Category)
admin.site.register(Category, CategoryWithRulesAdmin)
