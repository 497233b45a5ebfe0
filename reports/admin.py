from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Circular, CircularFile, Handling, OfficeProfile, Receipt, RenderJob


@admin.register(OfficeProfile)
class OfficeProfileAdmin(admin.ModelAdmin):
    list_display = ["office_name", "doc_prefix", "region"]


class CircularFileInline(admin.TabularInline):
    model = CircularFile
    fields = ["format", "issued", "size", "sha256", "created_at"]
    readonly_fields = fields
    extra = 0


class ReceiptInline(admin.TabularInline):
    model = Receipt
    fields = ["region", "unit", "received_by", "received_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Circular)
class CircularAdmin(SimpleHistoryAdmin):
    list_display = ["doc_number_text", "title", "year", "quarter", "status", "issued_at"]
    list_filter = ["status", "year", "quarter"]
    readonly_fields = ["status", "issued_at", "issued_by"]
    inlines = [CircularFileInline, ReceiptInline]

    def has_change_permission(self, request, obj=None):
        # An issued circular is frozen; a correction is a new circular.
        return super().has_change_permission(request, obj) and not (obj and obj.is_issued)


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ["circular", "kind", "format", "progress", "stage", "finished_at"]
    readonly_fields = [f.name for f in RenderJob._meta.fields]


@admin.register(Handling)
class HandlingAdmin(SimpleHistoryAdmin):
    list_display = ["circular", "region", "stage", "updated_at", "updated_by"]
    list_filter = ["region"]
    readonly_fields = ["updated_at", "updated_by"]
