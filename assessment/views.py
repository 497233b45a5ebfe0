"""Pages of the annual work: the years (with their results, the actions on them and the annual
circular), each office's assessment, and the 年度报表 duties with their filing and files.

Scope comes from `visible_to` through the shared views (another region's object is a 404);
actions need their permission (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import DetailView

from common.export import EXPORT_FORMATS, export_response
from common.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedQuerysetMixin,
)
from inspections.choices import IndicatorKind
from reports.choices import FileFormat
from reports.defaults import top_region
from reports.rendering import CONTENT_TYPES, filename, render

from . import filtersets, forms, tables
from .choices import ReportState
from .circular import annual_document
from .duties import file_report, generate_duties, remind
from .models import AnnualReport, AssessmentYear, OfficeAssessment, state_q
from .scoring import AssessmentError, ensure_offices, lock_year, save_entries, year_results

# 考核年度 ---------------------------------------------------------------------------------------


class YearListView(ObjectListView):
    queryset = tables.AssessmentYearTable.annotate(
        AssessmentYear.objects.select_related("region", "scheme"))
    table_class = tables.AssessmentYearTable
    filterset_class = filtersets.AssessmentYearFilterSet
    title = "监管工作年度考核"
    export_stem = "监管工作年度考核"
    add_permission = "assessment.add_assessmentyear"
    add_url_name = "assessment:year_add"
    template_name = "assessment/year_list.html"


class YearCreateView(ObjectCreateView):
    model = AssessmentYear
    form_class = forms.AssessmentYearForm
    permission_required = "assessment.add_assessmentyear"

    def region(self):
        user = self.request.user
        if user.unit_id:
            raise PermissionDenied("单位账号不能建立考核年度。")
        region = user.region or (top_region() if user.is_superuser else None)
        if region is None:
            raise PermissionDenied("您的账号没有所属地区。")
        return region

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "region": self.region()}

    def form_valid(self, form):
        form.instance.region = form.region
        response = super().form_valid(form)
        ensure_offices(self.object)
        return response


class YearView(ObjectDetailView):
    """A year: its settings, the 年度报表 figures, every office's result and rank, the
    actions (generate duties, remind, lock) and the annual circular."""

    queryset = AssessmentYear.objects.select_related("region", "scheme", "locked_by")
    template_name = "assessment/year_detail.html"
    detail_fields = ["year", "region", "report_due_on"]
    list_url_name = "assessment:year_list"
    edit_permission = "assessment.change_assessmentyear"
    edit_url_name = "assessment:year_edit"
    show_history = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year: AssessmentYear = self.object
        user = self.request.user
        today = timezone.localdate()
        context["can_edit"] = context["can_edit"] and not year.is_locked
        context["report_counts"] = year.reports.visible_to(user).aggregate(
            total=Count("pk"),
            done=Count("pk", filter=state_q(ReportState.DONE, today)),
            overdue=Count("pk", filter=state_q(ReportState.OVERDUE, today)),
            pending=Count("pk", filter=state_q(ReportState.PENDING, today)),
        )
        context["results_table"] = tables.OfficeResultTable(self.results())
        context["perms_for"] = {
            "generate": user.has_perm("assessment.add_annualreport"),
            "remind": user.has_perm("assessment.remind_annualreport"),
            "lock": user.has_perm("assessment.lock_assessmentyear") and not year.is_locked,
        }
        return context

    def results(self) -> list:
        """The offices' results the user may see, in rank order."""
        visible = set(OfficeAssessment.objects.visible_to(self.request.user)
                      .filter(assessment_year=self.object).values_list("pk", flat=True))
        results = year_results(self.object, timezone.localdate())
        return [r for r in results.offices if r.office.pk in visible]

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt not in EXPORT_FORMATS:
            return super().get(request, *args, **kwargs)
        self.object = self.get_object()
        table = tables.OfficeResultTable(self.results())
        return export_response(fmt, f"{self.object}监管工作考核结果", "监管工作考核结果",
                               table.as_values())


class YearEditView(ObjectEditView):
    queryset = AssessmentYear.objects.select_related("region")
    form_class = forms.AssessmentYearEditForm
    permission_required = "assessment.change_assessmentyear"

    def get_object(self, queryset=None):
        year = super().get_object(queryset)
        if year.is_locked:
            raise PermissionDenied("该年度考核已锁定，不能再修改。")
        return year


class YearActionView(PermissionRequiredMixin, ScopedQuerysetMixin, View):
    """A button on the year page: POST only, then back to the page."""

    queryset = AssessmentYear.objects.select_related("region", "scheme")
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request, pk: int):
        year = get_object_or_404(self.get_queryset(), pk=pk)
        self.act(year)
        return redirect(year)

    def act(self, year: AssessmentYear) -> None:
        raise NotImplementedError


class YearGenerateView(YearActionView):
    """Generate the year's 年度报表 duties and the offices to assess (idempotent)."""

    permission_required = "assessment.add_annualreport"

    def act(self, year):
        created = generate_duties(year)
        offices = 0 if year.is_locked else ensure_offices(year)
        messages.success(self.request, f"已生成年度报表任务{created}个"
                         + (f"、考核地区{offices}个" if offices else "") + "（已有的不重复生成）。")


class YearRemindView(YearActionView):
    permission_required = "assessment.remind_annualreport"

    def act(self, year):
        try:
            sent = remind(year)
        except OSError:
            messages.error(self.request, "邮件发送失败，请检查邮件服务器设置后重试。")
            return
        if sent:
            messages.success(self.request, f"已向{sent}位联络员发送提醒邮件。")
        else:
            messages.info(self.request, "没有需要提醒的联络员（报表均已完成，或联络员未填写邮箱）。")


class YearLockView(YearActionView):
    permission_required = "assessment.lock_assessmentyear"

    def act(self, year):
        try:
            lock_year(year, self.request.user)
        except AssessmentError as error:
            messages.error(self.request, str(error))
            return
        messages.success(self.request, f"{year}考核已锁定，考核结果和通报不再变化。")


class YearCircularView(ScopedQuerysetMixin, DetailView):
    """The annual circular: a preview with its downloads; `?format=pdf` (html, xlsx, docx)
    renders it now from the year's results."""

    queryset = AssessmentYear.objects.select_related("region", "scheme")
    template_name = "assessment/circular.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        document = annual_document(year_results(self.object))
        fmt = request.GET.get("format")
        if fmt is None:
            from reports.renderers.html import render_html

            return self.render_to_response(self.get_context_data(
                document_html=render_html(document, standalone=False), formats=FileFormat.choices))
        if fmt not in FileFormat.values:
            raise Http404("未知格式")
        response = HttpResponse(render(fmt, document), content_type=CONTENT_TYPES[fmt])
        if fmt != FileFormat.HTML or "download" in request.GET:
            response["Content-Disposition"] = content_disposition_header(True, filename(document, fmt))
        return response


# 各地区考核 -------------------------------------------------------------------------------------

class OfficeView(ScopedQuerysetMixin, DetailView):
    """One office's assessment: every item with its points, the automatic ones with their
    evidence; the assessor's entries for the others."""

    queryset = OfficeAssessment.objects.select_related(
        "region", "assessment_year__region", "assessment_year__scheme")
    template_name = "assessment/office_detail.html"

    def can_change(self) -> bool:
        return (self.request.user.has_perm("assessment.change_officeassessment")
                and not self.object.assessment_year.is_locked)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        result = self.result()
        form = forms.EntryForm(result) if self.can_change() else None
        return self.render_page(result, form)

    def post(self, request, *args, **kwargs):
        self.object = office = self.get_object()
        if not request.user.has_perm("assessment.change_officeassessment"):
            raise PermissionDenied("您没有填写考核结果的权限。")
        result = self.result()
        form = forms.EntryForm(result, data=request.POST)
        if not form.is_valid():
            messages.error(request, "有错误，未保存。请按提示修改。")
            return self.render_page(result, form, status=400)
        try:
            save_entries(office, form.entries, loaded_version=form.cleaned_data["version"])
        except AssessmentError as error:
            messages.error(request, str(error))
            return self.render_page(result, form, status=409)
        saved = self.result()
        messages.success(request, f"已保存：{office.region} {saved.total.normalize():f}分，"
                                  f"{saved.conclusion}。")
        return redirect(office)

    def result(self):
        return year_results(self.object.assessment_year).of(self.object)

    def render_page(self, result, form, status: int = 200):
        context = self.get_context_data(object=self.object, result=result, form=form,
                                        sections=item_sections(result, form))
        return self.render_to_response(context, status=status)


def item_sections(result, form) -> list[dict]:
    """The office page's tables: the veto items, then each deduction and bonus group with
    its points earned, each leaf with its line and (when entered by hand) its form fields."""
    scheme = result.scheme
    vetoes, groups = [], []
    for root in scheme.tree.groups():
        rows = []
        for item in scheme.leaves(root.id):
            main, note = form.fields_for(item) if form else (None, None)
            rows.append({"line": result.lines[item.pk], "field": main, "note_field": note})
        if root.kind == IndicatorKind.VETO:
            vetoes += rows
        else:
            groups.append({"node": root, "earned": result.groups[root.id], "rows": rows})
    return [{"node": None, "rows": vetoes}, *groups] if vetoes else groups


# 年度报表 ---------------------------------------------------------------------------------------

class ReportListView(ObjectListView):
    queryset = AnnualReport.objects.select_related("assessment_year", "region", "unit", "website")
    table_class = tables.AnnualReportTable
    filterset_class = filtersets.AnnualReportFilterSet
    title = "年度报表"
    export_stem = "年度报表"
    template_name = "assessment/report_list.html"


class ReportView(ScopedQuerysetMixin, DetailView):
    """A duty: its state and, for a liaison of its region (or an admin), the form to file
    the URL where it was published and its PDF."""

    queryset = AnnualReport.objects.select_related("assessment_year", "region", "unit", "website",
                                                   "submitted_by")
    template_name = "assessment/report_detail.html"

    def can_file(self) -> bool:
        return self.request.user.has_perm("assessment.change_annualreport")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = forms.ReportFilingForm(self.object) if self.can_file() else None
        return self.render_page(form)

    def post(self, request, *args, **kwargs):
        self.object = report = self.get_object()
        if not self.can_file():
            raise PermissionDenied("您没有填报年度报表的权限。")
        form = forms.ReportFilingForm(report, request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "有错误，未保存。请按提示修改。")
            return self.render_page(form, status=400)
        file_report(report, url=form.cleaned_data["url"], upload=form.cleaned_data.get("pdf"),
                    user=request.user)
        messages.success(request, f"已保存：{report}" + ("，已完成。" if report.is_done else "。"))
        return redirect(report)

    def render_page(self, form, status: int = 200):
        report = self.object
        context = self.get_context_data(object=report, form=form,
                                        state=ReportState(report.state_on(timezone.localdate())))
        return self.render_to_response(context, status=status)


def report_file(request, pk: int):
    """A duty's PDF, only for users who may see the duty."""
    report = get_object_or_404(AnnualReport.objects.visible_to(request.user).exclude(file=""), pk=pk)
    name = f"{report.assessment_year.year}年度{report.get_kind_display()}-{report.reporter}.pdf"
    response = FileResponse(report.file.open("rb"), content_type="application/pdf",
                            as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response

