from __future__ import annotations

from decimal import Decimal

from django import forms

from common.forms import DateInput
from inspections.choices import IndicatorKind

from .duties import PDF_MAX_BYTES, check_pdf
from .models import AnnualReport, AssessmentYear, Scheme, default_due_on
from .scoring import Entry, OfficeResult


class AssessmentYearForm(forms.ModelForm):
    """A new year of the user's region; the due date defaults to 1月31日 of the next year."""

    report_due_on = forms.DateField(label="年度报表发布期限", required=False, widget=DateInput(),
                                    help_text="留空则为次年1月31日")

    class Meta:
        model = AssessmentYear
        fields = ["year", "scheme", "report_due_on"]

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["scheme"].initial = Scheme.objects.default()

    def clean_year(self):
        year = self.cleaned_data["year"]
        if AssessmentYear.objects.filter(region=self.region, year=year).exists():
            raise forms.ValidationError(f"{self.region}{year}年度已经建立。")
        return year

    def clean(self):
        data = super().clean()
        if not data.get("report_due_on") and data.get("year"):
            data["report_due_on"] = default_due_on(data["year"])
        return data


class AssessmentYearEditForm(forms.ModelForm):
    class Meta:
        model = AssessmentYear
        fields = ["report_due_on", "scheme"]
        widgets = {"report_due_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.offices.filter(scores__isnull=False).exists():
            # Entries point at the scheme's items: changing it would orphan them.
            self.fields["scheme"].disabled = True
            self.fields["scheme"].help_text = "已有考核得分，不能更换考核指标。"


class ReportFilingForm(forms.Form):
    """The liaison's filing: where the report was published, and its PDF (required until
    one is stored)."""

    url = forms.URLField(label="发布网址", max_length=500, assume_scheme="https",
                         help_text="年度报表在本地区本部门网站上发布的页面地址")
    pdf = forms.FileField(label="PDF文件", required=False,
                          help_text=f"年度报表的PDF版本，不超过 {PDF_MAX_BYTES // 1048576} MB",
                          widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def __init__(self, report: AnnualReport, *args, **kwargs):
        super().__init__(*args, initial={"url": report.url}, **kwargs)
        if not report.file:
            self.fields["pdf"].required = True

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload:
            check_pdf(upload)
        return upload


class EntryForm(forms.Form):
    """The assessor's entries for one office: points and a note for every item not filled
    from the portal's data, a checkbox (with its reason) for every veto item."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, result: OfficeResult, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.result = result
        self.fields["version"].initial = result.office.version
        self.items = [line.item for line in result.lines.values() if not line.automatic]
        for line in result.lines.values():
            if line.automatic:
                continue
            item = line.item
            if item.kind == IndicatorKind.VETO:
                self.fields[f"veto-{item.pk}"] = forms.BooleanField(
                    label=item.name, required=False, initial=line.vetoed)
            else:
                word = "扣分" if item.kind == IndicatorKind.DEDUCTION else "加分"
                self.fields[f"points-{item.pk}"] = forms.DecimalField(
                    label=f"{item.name}{word}", required=False, min_value=Decimal(0),
                    max_value=item.max_points, decimal_places=2, initial=line.points,
                    widget=forms.NumberInput(attrs={"step": "0.5", "class": "points"}))
            self.fields[f"note-{item.pk}"] = forms.CharField(
                label=f"{item.name}说明", required=False, initial=line.note,
                widget=forms.TextInput(attrs={"class": "note", "style": "width: 100%"}))

    def clean(self):
        data = super().clean()
        for item in self.items:
            if data.get(f"veto-{item.pk}") and not (data.get(f"note-{item.pk}") or "").strip():
                self.add_error(f"note-{item.pk}", "单项否决请写明原因。")
        return data

    @property
    def entries(self) -> dict[int, Entry]:
        data = self.cleaned_data
        return {
            item.pk: Entry(points=data.get(f"points-{item.pk}"), vetoed=bool(data.get(f"veto-{item.pk}")),
                           note=(data.get(f"note-{item.pk}") or "").strip())
            for item in self.items
        }

    def fields_for(self, item) -> tuple:
        """The bound (points or veto, note) fields of an item entered by hand, else (None, None)."""
        if f"note-{item.pk}" not in self.fields:
            return None, None
        main = f"veto-{item.pk}" if item.kind == IndicatorKind.VETO else f"points-{item.pk}"
        return self[main], self[f"note-{item.pk}"]
