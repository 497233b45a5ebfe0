from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Region, Unit, User, Website


def superusers_only(request) -> bool:
    """The Django admin edits rows without the portal's scope or rules (locked schemes, closed
    checks, roles), so it is a tool of the system administrators only: office 管理员 manage
    their users in the portal, within their scope."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only

@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "level", "parent"]
    search_fields = ["name", "code"]
    list_filter = ["level"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "parent"]
    search_fields = ["name"]
    list_filter = ["region"]
    autocomplete_fields = ["region", "parent"]


@admin.register(Website)
class WebsiteAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "http"}}  # as the portal's form
    list_display = ["site_code", "name", "kind", "unit", "status"]
    search_fields = ["site_code", "name", "url"]
    list_filter = ["kind", "status"]
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "region", "unit", "is_active"]
    list_filter = ["groups", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("范围", {"fields": ["region", "unit", "phone"]}),
    ]
    autocomplete_fields = ["region", "unit"]
