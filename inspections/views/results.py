"""results pages: the results workbook upload (spec §3)."""

from __future__ import annotations

from django import forms
from django.urls import path
from django.utils import timezone

from common.imports import WorkbookImportView, WorkbookUploadForm
from sites.roles import Role

from ..choices import QUARTERS, CheckMode, Target
from ..models import Scheme
from ..results_import import import_results, template


class ResultsImportForm(WorkbookUploadForm):
    year = forms.IntegerField(label="年度", min_value=2015, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", choices=QUARTERS, coerce=int)
    mode = forms.ChoiceField(label="检查方式", choices=CheckMode.choices, initial=CheckMode.FULL)
    website_scheme = forms.ModelChoiceField(
        Scheme.objects.filter(target=Target.WEBSITES), required=False, label="政府网站指标体系",
        empty_label="本季度检查所用的（新建检查时用默认指标体系）",
    )
    newmedia_scheme = forms.ModelChoiceField(
        Scheme.objects.filter(target=Target.NEWMEDIA), required=False, label="政务新媒体指标体系",
        empty_label="本季度检查所用的（新建检查时用默认指标体系）",
    )
    field_order = ["year", "quarter", "mode", "website_scheme", "newmedia_scheme", "file"]


class ResultsImportView(WorkbookImportView):
    """Admins import any quarter; an inspector only into a check they are assigned to
    (import_results checks that once it knows which checks the workbook fills)."""

    form_class = ResultsImportForm
    permission_required = "inspections.add_assessment"
    title = "检查结果导入"
    template_filename = "检查结果导入模板.xlsx"
    help_template = "inspections/results_import_help.html"

    def has_permission(self) -> bool:
        user = self.request.user
        return super().has_permission() and (
            user.has_role(Role.ADMIN) or user.assigned_checks.exists()
        )

    def get_initial(self):
        today = timezone.localdate()
        return {"year": today.year, "quarter": (today.month - 1) // 3 + 1}

    def form_valid(self, form):
        self.options = form.cleaned_data
        return super().form_valid(form)

    def run_import(self, upload):
        options = self.options
        schemes = [s.name for s in (options["website_scheme"], options["newmedia_scheme"]) if s]
        return import_results(
            upload, year=options["year"], quarter=options["quarter"], schemes=schemes,
            mode=options["mode"], size=upload.size, user=self.request.user,
        )

    def template_bytes(self) -> bytes:
        return template()


urlpatterns: list = [
    path("results/import/", ResultsImportView.as_view(), name="results_import"),
]
