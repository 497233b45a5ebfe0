"""Forms of the campaign pages: the campaign itself, and adding accounts or websites."""

from __future__ import annotations

from django import forms

from common.forms import DateInput, ScopedModelForm

from .models import Campaign


class CampaignForm(ScopedModelForm):
    class Meta:
        model = Campaign
        fields = ["region", "name", "started_on", "checked_on", "deadline", "description"]
        widgets = {"started_on": DateInput(), "checked_on": DateInput(),
                   "deadline": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": "如：2021年上半年专项排查整治；通报附件标题为“名称＋工作仍未整改问题账号”。",
            "checked_on": "问题账号（网站）的核查日期，即通报附件注明的数据监测采样时间。",
            "deadline": "新加入的问题账号（网站）的整改期限。",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user.region_id and not self.instance.pk:
            self.initial.setdefault("region", user.region_id)

    def clean(self):
        data = super().clean()
        started, checked = data.get("started_on"), data.get("checked_on")
        if started and checked and checked < started:
            self.add_error("checked_on", "核查日期不能早于开始日期。")
        if started and data.get("deadline") and data["deadline"] < started:
            self.add_error("deadline", "整改期限不能早于开始日期。")
        return data


class CampaignItemsForm(forms.Form):
    """The picked candidates (accounts or websites) and their 核查结果."""

    targets = forms.ModelMultipleChoiceField(
        label="问题账号（网站）", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个账号或网站。"},
    )
    result = forms.CharField(label="核查结果", max_length=200, initial="未备案未注销",
                             help_text="所选账号（网站）的核查结果，如：未备案未注销。")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = candidates
