from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
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
    readonly_fields = ["avatar_small"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            "Public profile",
            {"fields": ["display_name", "bio", "website", "avatar", "avatar_small"]},
        ),
        ("Email", {"fields": ["is_email_verified"]}),
    ]
