from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from .forms import PUBLISHING, PostAdminForm
from .markup import render_body
from .models import Category, MenuItem, OldAddress, Page, Post, Publication

PREVIEW_WIDTH = 240


def when(moment):
    """A date and time as the editor's messages and status line give it."""
    return date_format(timezone.localtime(moment), "j F Y, H:i")


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    kind = Post.Kind.POST
    # Narrow enough for a laptop beside the filters; the author is a filter.
    list_display = ["title", "status_label", "published_on", "category_list"]
    # Only those who wrote posts: every account would list the commenters too.
    list_filter = [
        "status",
        "categories",
        "tags",
        ("author", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = []
    search_fields = ["title", "body", "excerpt"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["categories", "first_appeared_in"]
    readonly_fields = [
        "publishing_status",
        "featured_image_preview",
        "preview_link",
        "created_at",
        "wordpress_url",
    ]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "author", "body_format", "body", "excerpt"]},
        ),
        # The status is set by the buttons under the form (PostAdminForm).
        (
            "Publishing",
            {
                "fields": [
                    "publishing_status",
                    "published_at",
                    "is_sticky",
                    "preview_link",
                ]
            },
        ),
        ("Filing", {"fields": ["categories", "tags"]}),
        (
            "Featured image",
            {
                "fields": [
                    "featured_image",
                    "featured_image_preview",
                    "featured_image_url",
                    "featured_image_alt",
                    "featured_image_caption",
                ]
            },
        ),
        (
            "First appeared in",
            {
                "fields": [
                    "first_appeared_in",
                    "first_appeared_on",
                    "first_appeared_url",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.wordpress_url:
            return [*fieldsets, ("Moved from WordPress", {"fields": ["wordpress_url"]})]
        return fieldsets

    class Media:
        css = {"all": ["blog/admin/post.css"]}
        js = ["blog/admin/post_form.js"]

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(require_POST(self.body_preview)),
            name=f"{self.opts.app_label}_{self.opts.model_name}_preview",
        )
        return [preview, *super().get_urls()]

    def body_preview(self, request):
        """
        The body POSTed, as the post's page would show it: rendered and
        sanitized by the function that renders the saved body. For the
        editor's live preview (post_form.js).
        """
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            raise PermissionDenied
        body_format = request.POST.get("body_format", Post.BodyFormat.MARKDOWN)
        return HttpResponse(render_body(request.POST.get("body", ""), body_format))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.widget.attrs["data-preview-url"] = reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_"
                f"{self.opts.model_name}_preview"
            )
        return field

    def get_queryset(self, request):
        # Posts and pages are one table; each admin lists its own kind.
        queryset = super().get_queryset(request).filter(kind=self.kind)
        return queryset.prefetch_related("categories")

    # Once a post has been public its address is a permalink: readers, feeds
    # and other sites link to it.
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.is_published:
            return [*fields, "slug"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        # The admin refuses to prepopulate a read-only field.
        if obj is not None and obj.is_published:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_changeform_initial_data(self, request):
        return {
            "author": request.user.pk,
            **super().get_changeform_initial_data(request),
        }

    # Each button under the form leaves the editor on the post's page, told
    # what happened to it.
    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST or not self.has_change_permission(request, obj):
            return super().response_add(request, obj, post_url_continue)
        return self.response_publishing(request, obj)

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        return self.response_publishing(request, obj)

    def response_publishing(self, request, post):
        if post.is_scheduled:
            message = f"Scheduled for {when(post.published_at)}."
        elif not post.is_published:
            message = "Saved as draft."
        elif request.POST.get(PUBLISHING) == "publish":
            message = "Published."
        else:
            message = "Updated."
        self.message_user(request, message, messages.SUCCESS)
        url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
            "_change",
            args=[post.pk],
        )
        preserved = {
            "preserved_filters": self.get_preserved_filters(request),
            "opts": self.opts,
        }
        return HttpResponseRedirect(add_preserved_filters(preserved, url))

    @admin.display(description="status", ordering="status")
    def status_label(self, post):
        if post.is_scheduled:
            return "Scheduled"
        return post.get_status_display()

    @admin.display(description="status")
    def publishing_status(self, post):
        if post.is_scheduled:
            return f"Scheduled for {when(post.published_at)}"
        if post.is_published:
            return f"Published on {when(post.published_at)}"
        return "Draft"

    @admin.display(description="date", ordering="published_at")
    def published_on(self, post):
        return date_format(timezone.localtime(post.published_at), "j M Y")

    @admin.display(description="categories")
    def category_list(self, post):
        return ", ".join(category.name for category in post.categories.all())

    @admin.display(description="preview")
    def featured_image_preview(self, post):
        if not post.featured_image:
            return "No image"
        # Attributes, not CSS: the admin has no style for it, and the content
        # security policy allows no inline style.
        try:
            width, height = post.featured_image.width, post.featured_image.height
        except OSError:
            return "The image file is missing from the media storage."
        scale = min(1, PREVIEW_WIDTH / width)
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" '
            'class="featured-image-preview">',
            post.featured_image.url,
            post.featured_image_alt,
            round(width * scale),
            round(height * scale),
        )

    @admin.display(description="page")
    def preview_link(self, post):
        if not post.pk:
            return "Save the post to preview it."
        label = "View on site" if post.is_published else "Preview"
        return format_html(
            '<a href="{}" target="_blank">{}</a>', post.get_absolute_url(), label
        )

    @admin.action(description="Publish the selected posts", permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.publish()
        self.message_user(
            request,
            f"{count} post(s) published. Posts with a future date appear on that date.",
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish the selected posts", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.unpublish()
        self.message_user(
            request, f"{count} post(s) returned to draft.", messages.SUCCESS
        )

    def view_on_site(self, post):
        return post.get_absolute_url()


@admin.register(Page)
class PageAdmin(PostAdmin):
    """
    Standalone pages: the post editor, with a place among the pages instead
    of categories, tags and provenance.
    """

    list_display = ["title", "address", "status_label", "menu_order"]
    list_editable = ["menu_order"]
    list_filter = ["status"]
    list_select_related = []
    search_fields = ["title", "body"]
    date_hierarchy = None
    autocomplete_fields = []
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "author", "body_format", "body", "excerpt"]},
        ),
        (
            "Publishing",
            {"fields": ["publishing_status", "published_at", "preview_link"]},
        ),
        ("Place among the pages", {"fields": ["parent", "menu_order"]}),
        *(
            fieldset
            for fieldset in PostAdmin.fieldsets
            if fieldset[0] == "Featured image"
        ),
    ]
    kind = Post.Kind.PAGE

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(None)
            .select_related("parent")
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "slug":
            field.help_text = (
                "The last part of the page's address, under its parent's; change "
                "it only before publishing."
            )
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Page.objects.order_by("path")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="address", ordering="path")
    def address(self, page):
        return f"/{page.path}/"


@admin.register(MenuItem)
class MenuItemAdmin(admin.ModelAdmin):
    """The header menu, in the order readers see it."""

    list_display = ["title", "target", "order"]
    list_editable = ["order"]
    list_select_related = ["page", "category"]
    fields = ["label", "page", "category", "url", "order"]
    autocomplete_fields = ["category"]

    @admin.display(description="goes to")
    def target(self, item):
        return item.href


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    """The addresses an imported site had, and where they now lead."""

    list_display = ["path", "target_link"]
    list_select_related = ["post", "category", "tag"]
    search_fields = ["path"]
    fields = ["path", "post", "category", "tag"]
    autocomplete_fields = ["post", "category", "tag"]

    @admin.display(description="leads to")
    def target_link(self, address):
        url = address.target_url()
        return format_html('<a href="{}">{}</a>', url, url)
