"""Forms of the 公文处理笺: the sheet's fields and its 领导批示 as a formset."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from common.forms import DateInput

from .models import Circular, Handling
from .sheets import day_text


class HandlingForm(forms.ModelForm):
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)  # refuses a stale save

    class Meta:
        model = Handling
        fields = ["received_on", "proposal", "proposed_by", "proposed_on", "result", "finished_on"]
        widgets = {
            "received_on": DateInput(), "proposed_on": DateInput(), "finished_on": DateInput(),
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "result": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "received_on": "本地区收到这份通报的日期",
            "proposal": "办公室对如何办理的意见，如：呈县政府分管领导阅示，转县政务服务局办理。",
            "result": "落实情况，如：已组织整改，问题已全部整改到位。",
        }

    def __init__(self, *args, circular: Circular, **kwargs):
        super().__init__(*args, **kwargs)
        self.circular = circular
        self.fields["loaded"].initial = loaded_stamp(self.instance if self.instance.pk else None)

    def clean(self):
        data = super().clean()
        _check_day(self, "received_on", data.get("received_on"), None)
        if data.get("received_on") and data["received_on"] < self.circular.date:
            self.add_error("received_on",
                           f"收文日期不能早于通报的成文日期（{day_text(self.circular.date)}）。")
        # The other dates are checked against the 收文日期 only when it is itself right.
        for name in ("proposed_on", "finished_on"):
            _check_day(self, name, data.get(name), data.get("received_on"))
        if data.get("proposal"):
            for name, label in (("proposed_by", "拟办人"), ("proposed_on", "拟办日期")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"填写了拟办意见，请同时填写{label}。")
        elif data.get("proposed_by") or data.get("proposed_on"):
            self.add_error("proposal", "请填写拟办意见（或清空拟办人和拟办日期）。")
        if data.get("result") and not data.get("finished_on") and "finished_on" not in self.errors:
            self.add_error("finished_on", "填写了办理结果，请同时填写办结日期。")
        elif data.get("finished_on") and not data.get("result"):
            self.add_error("result", "填写了办结日期，请同时填写办理结果。")
        return data


def _check_day(form: forms.Form, name: str, value: datetime.date | None,
               received_on: datetime.date | None) -> None:
    """A date on the sheet lies between the receipt of the circular and today."""
    if value is None:
        return
    if value > timezone.localdate():
        form.add_error(name, "日期不能晚于今天。")
    elif received_on and value < received_on:
        form.add_error(name, f"不能早于收文日期（{day_text(received_on)}）。")


class InstructionForm(forms.Form):
    """One 领导批示. A row left blank is ignored, so clearing a row removes it."""

    leader = forms.CharField(label="批示领导", max_length=50, required=False,
                             widget=forms.TextInput(attrs={"aria-label": "批示领导", "size": 8}))
    date = forms.DateField(label="批示日期", required=False,
                           widget=DateInput(attrs={"aria-label": "批示日期"}))
    text = forms.CharField(label="批示内容", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"aria-label": "批示内容", "rows": 2,
                                                        "cols": 50}))

    def __init__(self, *args, received_on: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.received_on = received_on

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in ("leader", "date", "text")):
            for name, message in (("leader", "请填写批示领导的姓名。"), ("date", "请填写批示日期。"),
                                  ("text", "请填写批示内容。")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        _check_day(self, "date", data.get("date"), self.received_on)
        return data


class BaseInstructionFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Two blank rows on a new sheet (most circulars get two instructions), one afterwards.
        self.extra = 1 if self.initial else 2

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs["aria-label"] = "删除这条批示"

    def entries(self) -> list[dict]:
        """The instructions as Handling.instructions stores them, in the order entered."""
        return [
            {"leader": form.cleaned_data["leader"], "date": form.cleaned_data["date"].isoformat(),
             "text": form.cleaned_data["text"]}
            for form in self.forms
            if form.cleaned_data.get("text") and not self._should_delete_form(form)
        ]


InstructionFormSet = forms.formset_factory(InstructionForm, BaseInstructionFormSet, can_delete=True,
                                           max_num=20, validate_max=True)


def loaded_stamp(handling: Handling | None) -> str:
    """What the form carries to refuse a save over a change made since it was loaded."""
    return handling.updated_at.isoformat() if handling else ""
