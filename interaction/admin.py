"""The holiday calendar, for superusers; admins edit it on the portal's 节假日调整 page, and
channels and messages have their own, scoped pages there too."""

from django.contrib import admin

from .models import HolidayOverride


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
    search_fields = ["note"]
