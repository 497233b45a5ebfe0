from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    Campaign,
    CampaignItem,
    Evidence,
    Finding,
    Indicator,
    Inspection,
    RectificationTask,
    Scheme,
    Score,
    Screenshot,
    TaskEvent,
)


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


# Scores, findings and verdicts change only through the portal (the entry page, the matrix,
# the results import), which recompute the verdict with the scoring rules and move the
# version on; here they are read-only, so a stored verdict always matches its scores and
# veto findings.

class ScoreInline(admin.TabularInline):
    model = Score
    fields = ["indicator", "points", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "total", "passed", "scored_at", "scored_by"]
    list_filter = ["inspection", "passed", "vetoed"]
    raw_id_fields = ["website", "account", "unit", "assigned_to", "scored_by"]
    readonly_fields = ["not_applicable", "deduction_score", "bonus_score", "total", "vetoed",
                       "passed", "scored_at", "scored_by", "version"]
    inlines = [ScoreInline]


class ScreenshotInline(admin.TabularInline):
    model = Screenshot
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    """Its text may be corrected here; which target and indicator it is about may not (a veto
    indicator's finding is the veto itself), and findings are added and withdrawn in the
    portal, which opens and releases their rectification tasks."""

    formfield_overrides = {models.URLField: {"assume_scheme": "http"}}  # as the portal's form
    list_display = ["__str__", "assessment", "indicator", "created_at"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["assessment", "indicator"]
    inlines = [ScreenshotInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Rectification and campaigns: read-only here. Their states change only through the portal's
# pages, which apply the state machine, keep the steps and send the e-mails.

class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TaskEventInline(ReadOnlyInline):
    model = TaskEvent
    fields = ["at", "action", "actor", "note"]


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RectificationTask)
class RectificationTaskAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "unit", "state", "deadline", "submitted_at", "reviewed_at"]
    list_filter = ["state"]
    search_fields = ["unit__name", "report"]
    inlines = [TaskEventInline, EvidenceInline]


class CampaignItemInline(ReadOnlyInline):
    model = CampaignItem
    fields = ["account", "website", "unit", "result"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "started_on", "checked_on", "deadline"]
    inlines = [CampaignItemInline]
