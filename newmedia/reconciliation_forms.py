import datetime

from django import forms
from django.utils import timezone

from common.forms import DateInput
from sites.models import Region

from .reconciliation import DIRECTORY, NATIONAL_SYSTEM, PROVINCIAL_PLATFORM

# The default rectification period of a check (Inspection.rectification_days).
TASK_DAYS = 30


class ReconciliationForm(forms.Form):
    """Two lists to compare, or one list against the directory of the chosen region."""

    name = forms.CharField(label="名称", max_length=200)
    region = forms.ModelChoiceField(label="地区", queryset=Region.objects.none(),
                                    help_text="与名录比对时，比对该地区及其下级地区的账号。")
    left_label = forms.CharField(label="名单一来源", max_length=50, initial=NATIONAL_SYSTEM)
    left_file = forms.FileField(label="名单一工作簿（.xlsx）")
    right_label = forms.CharField(label="名单二来源", max_length=50, initial=PROVINCIAL_PLATFORM,
                                  required=False)
    right_file = forms.FileField(label="名单二工作簿（.xlsx）", required=False,
                                 help_text=f"不上传时，名单一与{DIRECTORY}比对。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user)
        self.fields["region"].initial = user.unit.region_id if user.unit_id else user.region_id
        self.fields["name"].initial = f"{timezone.localdate():%Y年%m月}政务新媒体账号核查"

    def clean(self):
        data = super().clean()
        if not data.get("right_file"):
            data["right_label"] = DIRECTORY
        elif not data.get("right_label"):
            self.add_error("right_label", "请填写名单二的来源。")
        if data.get("left_label") and data.get("left_label") == data.get("right_label"):
            self.add_error("right_label", "两份名单的来源不能相同。")
        return data


class DifferencesForm(forms.Form):
    """Differences an admin ticked in the table, for one action."""

    differences = forms.ModelMultipleChoiceField(label="差异", queryset=None)
    unticked = "请先勾选差异。"

    def __init__(self, *args, differences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["differences"].queryset = differences
        self.fields["differences"].error_messages["required"] = self.unticked


class TaskForm(DifferencesForm):
    """The differences an admin chose to turn into rectification tasks."""

    unticked = "请先勾选要下发整改的差异。"
    deadline = forms.DateField(label="整改期限", widget=DateInput(),
                               help_text="本年度的核查专项已存在时沿用其整改期限。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=TASK_DAYS)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


class RegistrationForm(DifferencesForm):
    """The differences whose accounts an admin registers in the directory from the lists."""

    unticked = "请先勾选要登记到名录的差异。"
    unit = UnitChoiceField(
        label="主办单位", queryset=None, required=False,
        help_text="名单未填主办单位或所属地区的账号登记到该单位；其余账号按名单所列。",
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
