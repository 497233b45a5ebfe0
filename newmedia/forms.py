from common.forms import DateInput, ScopedModelForm

from .models import Account


class AccountForm(ScopedModelForm):
    class Meta:
        model = Account
        fields = [
            "name", "platform", "account_type", "account_id", "unit", "subject", "filing",
            "status", "opened_on", "closed_on",
        ]
        widgets = {"opened_on": DateInput(), "closed_on": DateInput()}
