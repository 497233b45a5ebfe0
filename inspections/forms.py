from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model

from common.forms import DateInput, ScopedModelForm
from common.scope import scope_q
from sites.roles import Role

from .assessments import Entry
from .choices import CheckMode, IndicatorKind
from .models import Assessment, Finding, Inspection, Scheme, Score
from .scoring import SchemeTree


class InspectionForm(ScopedModelForm):
    sample_by = forms.ChoiceField(
        label="抽样方式", required=False, widget=forms.RadioSelect,
        choices=[("rate", "按比例"), ("size", "按数量")], initial="rate",
    )

    class Meta:
        model = Inspection
        fields = [
            "region", "year", "quarter", "target", "mode", "window_start", "window_end", "scheme",
            "inspectors", "sample_rate", "sample_size", "sample_seed", "stratify_by_region",
            "stratify_by_platform", "rectification_days",
        ]
        widgets = {
            "window_start": DateInput(), "window_end": DateInput(),
            "inspectors": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "sample_seed": "留空则随机生成；相同的种子抽出相同的样本。",
            "window_end": "检查对象为截至此日登记在运行的网站或已备案在运行的账号。",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["inspectors"].queryset = inspector_choices(user)
        self.fields["scheme"].queryset = Scheme.objects.all()
        if user.region_id and not self.instance.pk:
            self.initial.setdefault("region", user.region_id)

    def clean_scheme(self):
        """Scores and findings name the scheme's indicators: once there are any, it stays."""
        scheme = self.cleaned_data["scheme"]
        check = self.instance
        if check.pk and scheme is not None and scheme.pk != check.scheme_id and (
            Score.objects.filter(assessment__inspection=check).exists()
            or Finding.objects.filter(assessment__inspection=check).exists()
        ):
            raise forms.ValidationError(
                f"本次检查已有评分或存在问题，不能更换指标体系（仍为“{check.scheme}”）。"
            )
        return scheme

    def clean(self):
        data = super().clean()
        if data.get("mode") == CheckMode.SAMPLE:
            by = data.get("sample_by") or "rate"
            field = "sample_rate" if by == "rate" else "sample_size"
            if not data.get(field):
                self.add_error(field, "抽查时请填写抽查比例或数量。")
            if by == "rate" and data.get("sample_rate") and not 0 < data["sample_rate"] <= 100:
                self.add_error("sample_rate", "抽查比例应在0到100之间。")
            data["sample_size" if by == "rate" else "sample_rate"] = None
        else:
            data["sample_rate"] = data["sample_size"] = None
        return data

    def save(self, commit=True):
        if self.instance.sample_seed is None:
            self.instance.sample_seed = secrets.randbelow(10**12)
        return super().save(commit)


def inspector_choices(user):
    """Users with the 检查员 role in the user's scope, who may be assigned to a check."""
    return (
        get_user_model().objects
        .filter(scope_q(user, "region__", None), groups__name=Role.INSPECTOR.value, is_active=True)
        .distinct().order_by("last_name", "username")
    )


class AddTargetForm(forms.Form):
    target = forms.ChoiceField(label="加入检查对象")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.pk, f"{t}（{t.unit}）") for t in candidates]


def parse_points(raw: str) -> Decimal | None:
    """A points cell as typed: empty means not entered; commas and full-width digits allowed."""
    text = raw.strip().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.."))
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(f"“{raw}”不是数字") from error
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise ValueError("最多两位小数")
    return value


def parse_version(raw) -> int | None:
    """The version a page was loaded with (a hidden input); None when missing or not a number."""
    try:
        version = int(raw)
    except (TypeError, ValueError):
        return None
    return version if version >= 0 else None


class EntryForm:
    """The score-entry page's form: built from the scheme tree, validated with the scoring
    rules, and re-shown with everything the user typed when anything is wrong."""

    def __init__(self, tree: SchemeTree, data=None, initial: Entry | None = None):
        self.tree = tree
        self.data = data
        self.initial = initial or Entry()
        self.errors: dict[str, str] = {}
        self.entry: Entry | None = None

    # names of the inputs
    @staticmethod
    def points_name(indicator_id: int) -> str:
        return f"points-{indicator_id}"

    @staticmethod
    def note_name(indicator_id: int) -> str:
        return f"note-{indicator_id}"

    @staticmethod
    def veto_name(indicator_id: int) -> str:
        return f"veto-{indicator_id}"

    @staticmethod
    def finding_name(indicator_id: int) -> str:
        return f"finding-{indicator_id}"

    @staticmethod
    def na_name(indicator_id: int) -> str:
        return f"na-{indicator_id}"

    def is_valid(self) -> bool:
        entry = Entry(note=self.data.get("note", "").strip())
        for node in self.tree.nodes.values():
            if node.kind == IndicatorKind.VETO:
                if self.data.get(self.veto_name(node.id)):
                    entry.vetoes[node.id] = self.data.get(self.finding_name(node.id), "")
                continue
            if node.parent_id is None and self.data.get(self.na_name(node.id)):
                entry.not_applicable.append(node.id)
            try:
                value = parse_points(self.data.get(self.points_name(node.id), ""))
            except ValueError as error:
                self.errors[self.points_name(node.id)] = str(error)
                continue
            if value is not None:
                entry.points[node.id] = value
                note = self.data.get(self.note_name(node.id), "").strip()
                if note:
                    entry.notes[node.id] = note
        for indicator_id, message in entry.problems(self.tree).items():
            name = (self.veto_name if indicator_id in self.tree.veto_ids() else self.points_name)
            self.errors.setdefault(name(indicator_id), message)
        self.entry = entry
        return not self.errors

    def value(self, name: str, indicator_id: int) -> str:
        """What the input shows: the submitted text, else the stored value."""
        if self.data is not None:
            return self.data.get(name, "")
        if name.startswith("points-"):
            points = self.initial.points.get(indicator_id)
            return "" if points is None else f"{points.normalize():f}"
        if name.startswith("note-"):
            return self.initial.notes.get(indicator_id, "")
        if name.startswith("finding-"):
            return self.initial.vetoes.get(indicator_id, "")
        if name.startswith("veto-"):
            return "on" if indicator_id in self.initial.vetoes else ""
        if name.startswith("na-"):
            return "on" if indicator_id in self.initial.not_applicable else ""
        return ""


class FindingForm(forms.ModelForm):
    url = forms.URLField(label="网址", required=False, max_length=1000, assume_scheme="http")
    post_dates_text = forms.CharField(
        label="发布时间", required=False, help_text="政务新媒体有问题信息的发布日期，多个用；分隔",
    )
    screenshots = forms.FileField(
        label="截图", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )

    class Meta:
        model = Finding
        fields = ["indicator", "description", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["indicator"].queryset = assessment.inspection.scheme.indicators.all()
        self.fields["indicator"].required = False
        self.fields["indicator"].help_text = "选择单项否决指标即记为单项否决，该对象为不合格"

    def clean_indicator(self):
        """A veto has one finding, which the entry page shows and edits with its checkbox."""
        indicator = self.cleaned_data["indicator"]
        if indicator is not None and indicator.kind == IndicatorKind.VETO and (
            self.assessment.findings.filter(indicator=indicator).exists()
        ):
            raise forms.ValidationError(
                f"“{indicator.name}”已记为单项否决，请在评分表中修改其问题描述。"
            )
        return indicator

    def clean_post_dates_text(self):
        from common.workbook import CellError, date_list

        try:
            return [d.isoformat() for d in date_list(self.cleaned_data["post_dates_text"])]
        except CellError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_screenshots(self):
        """Every uploaded screenshot is checked, not only the first."""
        from .screenshots import check_image

        for upload in self.files.getlist("screenshots"):
            check_image(upload)
        return self.cleaned_data.get("screenshots")
