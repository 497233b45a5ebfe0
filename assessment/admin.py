"""Admins edit the assessment scheme (items, points, rules) here; a scheme a locked year was
scored under is read-only, so locked results never change."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import AnnualReport, AssessmentYear, Item, Scheme


class ItemInline(admin.TabularInline):
    model = Item
    fields = ["order", "name", "parent", "kind", "max_points", "points_each", "source", "rule"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_locked)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "pass_mark", "bonus_threshold", "is_default"]
    inlines = [ItemInline]
    actions = ["copy_scheme"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)

    @admin.action(description="复制所选考核指标（用于修改后在新年度使用）")
    def copy_scheme(self, request, queryset):
        for scheme in queryset:
            copy_of(scheme)
        self.message_user(request, f"已复制 {queryset.count()} 套考核指标。")


def copy_of(scheme: Scheme) -> Scheme:
    """A new, non-default scheme with the same items (the tree kept)."""
    copy = Scheme.objects.create(
        name=f"{scheme.name}（副本{Scheme.objects.filter(name__startswith=scheme.name).count()}）",
        pass_mark=scheme.pass_mark, bonus_threshold=scheme.bonus_threshold,
        description=scheme.description)
    new_ids: dict[int, int] = {}
    pending = list(scheme.items.order_by("order", "pk"))
    while pending:  # parents before their children
        later = []
        for item in pending:
            if item.parent_id and item.parent_id not in new_ids:
                later.append(item)
                continue
            old_pk = item.pk
            item.pk, item.scheme = None, copy
            item.parent_id = new_ids.get(item.parent_id)
            item.save()
            new_ids[old_pk] = item.pk
        pending = later
    return copy


@admin.register(AssessmentYear)
class AssessmentYearAdmin(admin.ModelAdmin):
    """For superusers: a locked year can be unlocked here by clearing its lock time."""

    list_display = ["__str__", "scheme", "report_due_on", "locked_at"]
    list_filter = ["year"]
    raw_id_fields = ["region", "locked_by"]


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the portal's form
    list_display = ["__str__", "url", "submitted_at"]
    list_filter = ["assessment_year", "kind"]
    raw_id_fields = ["region", "unit", "website", "submitted_by"]
    readonly_fields = ["file", "original_name", "size", "sha256"]
