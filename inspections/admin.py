from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, Finding, Indicator, Inspection, Scheme, Score, Screenshot


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["order", "name", "parent", "kind", "max_points", "rule"]
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "target", "pass_mark", "bonus_threshold", "is_default"]
    list_filter = ["target", "is_default"]
    inlines = [IndicatorInline]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "mode", "status", "scheme"]
    list_filter = ["year", "quarter", "target", "status"]
    filter_horizontal = ["inspectors"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "total", "passed", "scored_at", "scored_by"]
    list_filter = ["inspection", "passed", "vetoed"]
    raw_id_fields = ["website", "account", "unit", "assigned_to", "scored_by"]
    inlines = [ScoreInline]


class ScreenshotInline(admin.TabularInline):
    model = Screenshot
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "assessment", "indicator", "created_at"]
    raw_id_fields = ["assessment", "indicator", "created_by"]
    inlines = [ScreenshotInline]
