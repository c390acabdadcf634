"""
Bans in the admin: made from the add form (a comment's page links to it
with the author's account, address or IP filled in), listed with whether
each is in force, and lifted from a ban's page. A ban is never deleted:
lifting it is what brings back the comments it hid, and the log keeps it.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from .bans import ban_create, ban_end, ban_end_schedule, bans_end_expired
from .models import Ban, ModerationEvent

TARGET_FIELDS = ["user", "email", "ip_network"]


class BanStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("in-force", "In force"), ("ended", "Ended")]

    def queryset(self, request, queryset):
        if self.value() == "in-force":
            return queryset.in_force()
        if self.value() == "ended":
            return queryset.exclude(pk__in=Ban.objects.in_force().values("pk"))
        return queryset


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["target", "reason", "state", "banned_by", "created_at"]
    list_filter = [BanStateFilter]
    list_select_related = ["user", "banned_by", "ended_by"]
    search_fields = ["email", "ip_network", "user__username", "user__email", "reason"]
    autocomplete_fields = ["user"]
    fieldsets = [
        (
            "Whom",
            {
                "fields": TARGET_FIELDS,
                "description": "One of these: an account, an email address "
                "(a guest's, or an account's), or the addresses of an IP range.",
            },
        ),
        (None, {"fields": ["reason", "ends_at", "hides_past"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = [*TARGET_FIELDS, "hides_past", "state", "lift", "hidden_count"]
        # An ended ban is a record; one in force may change its reason and end.
        return [*fixed, "reason", "ends_at"] if obj.ended_at else fixed

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        state = ["state", "hidden_count"]
        if obj.is_in_force and self.has_change_permission(request, obj):
            state.insert(1, "lift")
        # What a moderator opens a ban for: whether it holds, and the Lift.
        return [("State", {"fields": state}), *fieldsets]

    def changelist_view(self, request, extra_context=None):
        # The list says which bans are in force; those past their end are
        # ended here first, should the scheduled command not have run yet.
        bans_end_expired()
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            if "ends_at" in form.changed_data:
                ban_end_schedule(obj)
            return
        hidden = ban_create(ban=obj, moderator=request.user)
        if obj.hides_past:
            messages.info(request, f"{hidden} of their comments hidden.")

    def get_urls(self):
        return [
            path(
                "<int:ban_id>/lift/",
                self.admin_site.admin_view(self.lift_view),
                name="comments_ban_lift",
            ),
            *super().get_urls(),
        ]

    def lift_view(self, request, ban_id):
        """The Lift button of a ban's page: end it now, its comments back."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        ban = get_object_or_404(Ban, pk=ban_id)
        if not self.has_change_permission(request, ban):
            raise PermissionDenied
        if ban.ended_at is not None:
            messages.warning(request, "This ban had ended already.")
        else:
            back = ban_end(ban=ban, moderator=request.user)
            messages.success(
                request, f"Ban on {ban.target} lifted; {back} comment(s) shown again."
            )
        return HttpResponseRedirect(reverse("admin:comments_ban_change", args=[ban.pk]))

    @admin.display(description="state")
    def state(self, ban):
        if ban.ended_at is not None:
            when = date_format(localtime(ban.ended_at), "j M Y, H:i")
            by = f"Lifted by {ban.ended_by}" if ban.ended_by else "Ended"
            return f"{by}, {when}"
        if not ban.is_in_force:
            return "Ended: its end date passed"
        if ban.ends_at is None:
            return "In force, without end"
        return f"In force until {date_format(localtime(ban.ends_at), 'j M Y, H:i')}"

    @admin.display(description="lift")
    def lift(self, ban):
        # Inside the ban's change form, whose CSRF token it posts.
        return format_html(
            '<button type="submit" class="button" formnovalidate formmethod="post" '
            'formaction="{}">Lift the ban now</button>',
            reverse("admin:comments_ban_lift", args=[ban.pk]),
        )

    @admin.display(description="comments hidden")
    def hidden_count(self, ban):
        hidings = ban.moderation_events.filter(
            action=ModerationEvent.Action.BAN, comment__isnull=False
        )
        hidden = hidings.count()
        if not hidden:
            return "None"
        still = hidings.filter(undone_by__isnull=True).count()
        return f"{hidden}, {still} still hidden"
