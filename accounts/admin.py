from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.defaultfilters import pluralize
from django.utils.html import format_html

from . import names, services
from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "look_alike_warning",
        "display_name",
        "email",
        "is_email_verified",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_email_verified", *BaseUserAdmin.list_filter]
    search_fields = ["username", "display_name", "email", "first_name", "last_name"]
    date_hierarchy = "date_joined"
    # An avatar is only ever stored as accounts.avatars made it (metadata
    # stripped, two squares), so it is not uploaded here.
    readonly_fields = ["avatar_preview"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            "Public profile",
            {
                "fields": ["display_name", "bio", "website", "avatar_preview"],
                "description": "People choose their picture on their profile "
                "page; here it can only be removed, with the action on the list "
                "of people.",
            },
        ),
        ("Email", {"fields": ["is_email_verified"]}),
    ]
    actions = ["avatar_remove"]

    @admin.display(description="Scripts")
    def look_alike_warning(self, user):
        """Names mixing scripts are often made to pass as another's."""
        mixed = [name for name in user.own_names if names.is_mixed_script(name)]
        if not mixed:
            return ""
        scripts = ", ".join(sorted(set().union(*map(names.scripts, mixed))))
        return format_html(
            '<strong class="look-alike">⚠ Mixed: {}</strong>', scripts.title()
        )

    @admin.display(description="Picture")
    def avatar_preview(self, user):
        return format_html(
            '<img src="{}" alt="" width="128" height="128">', user.avatar_url
        )

    @admin.action(
        description="Remove the selected people’s pictures", permissions=["change"]
    )
    def avatar_remove(self, request, queryset):
        users = queryset.exclude(avatar="")
        for user in users:
            services.profile_update(user=user, remove_avatar=True)
        count = len(users)
        self.message_user(request, f"{count} picture{pluralize(count)} removed.")
