from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Account


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["name", "platform", "account_type", "unit", "filing", "status"]
    list_filter = ["platform", "filing", "status"]
    search_fields = ["name", "account_id", "subject", "unit__name"]
    autocomplete_fields = ["unit"]
