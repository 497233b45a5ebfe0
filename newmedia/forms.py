from django.utils import timezone

from common.forms import DateInput, ScopedModelForm

from .models import Account


class AccountForm(ScopedModelForm):
    class Meta:
        model = Account
        fields = [
            "name", "platform", "account_type", "account_id", "unit", "subject", "filing",
            "filed_on", "unfiled_on", "status", "opened_on", "closed_on",
        ]
        widgets = {name: DateInput() for name in ("filed_on", "unfiled_on", "opened_on", "closed_on")}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "filing" in self.changed_data and cleaned.get("filing"):
            # A change of 备案状态 is dated today unless the editor gave the date.
            dates = Account.filing_dates(cleaned["filing"], timezone.localdate())
            for name, value in dates.items():
                if name not in self.changed_data:
                    cleaned[name] = value
        return cleaned
