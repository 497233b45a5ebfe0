"""Checks (检查批次): list, create, the check page, its targets and its workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from common.export import EXPORT_FORMATS, export_response, xlsx_workbook_response
from common.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedQuerysetMixin,
)

from .. import charts, recheck, statistics, statistics_tables, workflow
from ..choices import CheckStatus
from ..filtersets import AssessmentFilterSet, InspectionFilterSet
from ..forms import AddTargetForm, InspectionForm
from ..models import Inspection
from ..tables import AssessmentTable, InspectionTable


class InspectionListView(ObjectListView):
    queryset = InspectionTable.annotate(Inspection.objects.select_related("region", "scheme"))
    table_class = InspectionTable
    filterset_class = InspectionFilterSet
    title = "检查批次"
    export_stem = "检查批次"
    add_permission = "inspections.add_inspection"
    add_url_name = "inspections:inspection_add"
    template_name = "inspections/inspection_list.html"


class InspectionCreateView(ObjectCreateView):
    model = Inspection
    form_class = InspectionForm
    permission_required = "inspections.add_inspection"
    template_name = "inspections/inspection_form.html"

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        count = workflow.populate(self.object)
        messages.info(self.request, f"已生成 {count} 个检查对象（应检查 {self.object.population_size} 个）。")
        return response


class InspectionEditView(ObjectEditView):
    queryset = Inspection.objects.filter(status=CheckStatus.DRAFT)
    form_class = InspectionForm
    permission_required = "inspections.change_inspection"
    template_name = "inspections/inspection_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        workflow.populate(self.object)  # the window or the sample may have changed
        return response


class InspectionView(ObjectDetailView):
    """The check page: scoring progress, the statistics and the actions of its state."""

    queryset = Inspection.objects.select_related("region", "scheme")
    template_name = "inspections/inspection_detail.html"
    show_history = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection: Inspection = self.object
        user = self.request.user
        context["progress"] = progress(inspection)
        context["unscored"] = (
            inspection.assessments.filter(scored_at__isnull=True)
            .select_related("website", "account", "unit__region", "assigned_to")[:30]
        )
        context["can_manage"] = user.has_perm("inspections.change_inspection")
        context["can_score"] = inspection.can_score(user)
        context["add_target_form"] = (
            AddTargetForm(candidates=workflow.candidates(inspection))
            if context["can_manage"] and inspection.status == CheckStatus.DRAFT else None
        )
        context["recheck"] = recheck.recheck_context(inspection)  # 复查: last quarter's findings
        context.update(statistics_context(inspection, context["progress"]["by_inspector"],
                                          context["recheck"]["rectification"].open_tasks))
        # Circulars are a later step (the reports app); reach them without importing it.
        circulars = inspection.website_circulars.model.objects
        context["circulars"] = circulars.filter(
            Q(website_inspection=inspection) | Q(newmedia_inspection=inspection), status="issued"
        ).order_by("issued_at")
        return context


def progress(inspection: Inspection) -> dict:
    """Scored of total, overall and per assigned inspector, in one query."""
    by_inspector = list(
        inspection.assessments.values("assigned_to", "assigned_to__username",
                                      "assigned_to__last_name", "assigned_to__first_name")
        .annotate(total=Count("pk"), scored=Count("pk", filter=Q(scored_at__isnull=False)),
                  failed=Count("pk", filter=Q(passed=False)))
        .order_by("assigned_to__username")
    )
    for row in by_inspector:
        name = f"{row['assigned_to__last_name'] or ''}{row['assigned_to__first_name'] or ''}"
        row["name"] = name or row["assigned_to__username"] or "未分配"
    totals = {key: sum(row[key] for row in by_inspector) for key in ("total", "scored", "failed")}
    totals["percent"] = round(100 * totals["scored"] / totals["total"]) if totals["total"] else 0
    totals["by_inspector"] = by_inspector
    return totals


def statistics_context(inspection: Inspection, progress_rows: list[dict],
                       recheck_tasks: list) -> dict:
    """The check's statistics, their tables and charts, for the check page."""
    stats = statistics.inspection_statistics(inspection)
    return {
        "stats": stats,
        "tables": statistics_tables.check_tables(stats, progress_rows, recheck_tasks),
        **charts.for_statistics(stats),
    }


class InspectionStatisticsView(ScopedQuerysetMixin, SingleObjectMixin, View):
    """The check page's tables as downloads: one workbook with a sheet per table
    (`?export=xlsx`, the default), or one table (`?export=xlsx|csv&table=KEY`)."""

    queryset = Inspection.objects.select_related("region", "scheme")

    def get(self, request, *args, **kwargs):
        inspection = self.get_object()
        stats = statistics.inspection_statistics(inspection)
        named = statistics_tables.check_tables(
            stats, progress(inspection)["by_inspector"],
            recheck.previous_quarter_rectification(inspection).open_tasks)
        fmt, key = request.GET.get("export", "xlsx"), request.GET.get("table")
        stem = f"{inspection}统计"
        if fmt not in EXPORT_FORMATS or (key is not None and key not in named):
            raise Http404("没有这张统计表。")
        if key is None and fmt == "xlsx":
            return xlsx_workbook_response(
                stem, [(t.title, t.table.as_values()) for t in named.values()])
        if key is None:
            raise Http404("CSV 每次下载一张统计表，请指定 table。")
        table = named[key]
        return export_response(fmt, f"{stem}-{table.title}", table.title, table.table.as_values())


class InspectionAssessmentListView(ObjectListView):
    """The targets of one check, with their results: filterable and downloadable."""

    table_class = AssessmentTable
    filterset_class = AssessmentFilterSet
    template_name = "inspections/assessment_list.html"

    def dispatch(self, request, *args, **kwargs):
        self.inspection = get_object_or_404(Inspection.objects.visible_to(request.user),
                                            pk=kwargs["pk"])
        self.title = f"{self.inspection} · 检查对象"
        self.export_stem = f"{self.inspection}结果"
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.inspection.assessments.visible_to(self.request.user).select_related(
            "website", "account", "unit__region", "assigned_to", "scored_by"
        )

    def get_table_kwargs(self):
        editable = (self.inspection.status == CheckStatus.DRAFT
                    and self.request.user.has_perm("inspections.change_inspection"))
        return {"exclude": () if editable else ("remove",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["inspection"] = self.inspection
        return context


class InspectionActionView(PermissionRequiredMixin, ScopedQuerysetMixin, SingleObjectMixin, View):
    """POST-only state changes of a check; WorkflowError messages are shown on the page."""

    queryset = Inspection.objects.all()
    permission_required = "inspections.change_inspection"
    raise_exception = True
    actions = {
        "populate": (workflow.populate, "已重新生成检查对象。"),
        "start": (workflow.start_scoring, "已开始评分。"),
        "close": (workflow.close, "检查已结束，评分已锁定。"),
    }

    def post(self, request, *args, **kwargs):
        inspection = self.get_object()
        action = kwargs["action"]
        try:
            if action in self.actions:
                function, done = self.actions[action]
                function(inspection)
            elif action == "add":
                done = self._add(inspection)
            elif action == "remove":
                done = self._remove(inspection)
            else:
                raise Http404
            messages.success(request, done)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        return redirect(inspection)

    def _add(self, inspection: Inspection) -> str:
        form = AddTargetForm(self.request.POST, candidates=workflow.candidates(inspection))
        if not form.is_valid():
            raise workflow.WorkflowError("请选择要加入的检查对象。")
        target = next(t for t in workflow.candidates(inspection)
                      if str(t.pk) == form.cleaned_data["target"])
        workflow.add_target(inspection, target)
        return f"已加入“{target}”。"

    def _remove(self, inspection: Inspection) -> str:
        assessment = get_object_or_404(inspection.assessments, pk=self.request.POST.get("assessment"))
        workflow.remove_target(assessment)
        return f"已移除“{assessment.target}”。"


urlpatterns = [
    path("", InspectionListView.as_view(), name="inspection_list"),
    path("add/", InspectionCreateView.as_view(), name="inspection_add"),
    path("<int:pk>/", InspectionView.as_view(), name="inspection"),
    path("<int:pk>/edit/", InspectionEditView.as_view(), name="inspection_edit"),
    path("<int:pk>/statistics/", InspectionStatisticsView.as_view(), name="inspection_statistics"),
    path("<int:pk>/assessments/", InspectionAssessmentListView.as_view(),
         name="inspection_assessments"),
    path("<int:pk>/actions/<slug:action>/", InspectionActionView.as_view(), name="inspection_action"),
]
