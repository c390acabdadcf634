from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from .forms import PostAdminForm
from .models import Category, Post, Publication

PREVIEW_WIDTH = 240


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
    list_display = [
        "title",
        "status_label",
        "published_at",
        "author",
        "category_list",
    ]
    # Only those who wrote posts: every account would list the commenters too.
    list_filter = [
        "status",
        "categories",
        "tags",
        ("author", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["author"]
    search_fields = ["title", "body", "excerpt"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["categories", "first_appeared_in"]
    readonly_fields = ["featured_image_preview", "preview_link", "created_at"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "body", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "preview_link"]}),
        ("Filing", {"fields": ["categories", "tags"]}),
        (
            "Featured image",
            {
                "fields": [
                    "featured_image",
                    "featured_image_preview",
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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

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

    @admin.display(description="status", ordering="status")
    def status_label(self, post):
        if post.is_scheduled:
            return "Scheduled"
        return post.get_status_display()

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
        return reverse("blog:post-detail", kwargs={"slug": post.slug})
