"""信息报送系统核查 pages: the list of reconciliations, a new one (one or two uploaded lists),
its differences (filterable, exportable) and turning chosen differences into tasks."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.views.generic import FormView, View

from common.export import XLSX_TYPE
from common.views import ObjectListView
from common.workbook import ImportFailed

from . import reconciliation as registry
from .models import DifferenceKind, Reconciliation
from .reconciliation_filtersets import ReconciliationDifferenceFilterSet, ReconciliationFilterSet
from .reconciliation_forms import ReconciliationForm, TaskForm
from .reconciliation_tables import ReconciliationDifferenceTable, ReconciliationTable


class ReconciliationListView(PermissionRequiredMixin, ObjectListView):
    permission_required = "newmedia.view_reconciliation"
    raise_exception = True
    queryset = ReconciliationTable.annotate(
        Reconciliation.objects.select_related("region", "created_by")
    )
    table_class = ReconciliationTable
    filterset_class = ReconciliationFilterSet
    template_name = "newmedia/reconciliation_list.html"
    title = "信息报送系统核查"
    export_stem = "信息报送系统核查"
    add_permission = "newmedia.add_reconciliation"
    add_url_name = "newmedia:reconciliation_add"


class ReconciliationCreateView(PermissionRequiredMixin, FormView):
    """Upload one or two account lists; on any problem nothing is kept and every problem is
    listed under its file. `?template` downloads the 账号 sheet's template."""

    permission_required = "newmedia.add_reconciliation"
    raise_exception = True
    form_class = ReconciliationForm
    template_name = "newmedia/reconciliation_form.html"

    def get(self, request, *args, **kwargs):
        if "template" in request.GET:
            response = HttpResponse(registry.template(), content_type=XLSX_TYPE)
            response["Content-Disposition"] = content_disposition_header(
                True, "政务新媒体账号名单模板.xlsx"
            )
            return response
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        lists, failures = {}, []
        for side in ("left", "right"):
            upload = data[f"{side}_file"]
            if upload is None:
                continue
            try:
                lists[side] = registry.read_registry(upload, size=upload.size)
            except ImportFailed as failure:
                failures.append((upload.name, failure.problems))
        if failures:
            return self.render_to_response(self.get_context_data(form=form, failures=failures))
        right = lists.get("right")
        reconciliation = registry.record(
            name=data["name"], region=data["region"],
            left_label=data["left_label"], left_file=data["left_file"].name, left=lists["left"],
            right_label=data["right_label"],
            right_file=data["right_file"].name if right is not None else "",
            right=right if right is not None else registry.directory_entries(data["region"]),
            user=self.request.user,
        )
        count = reconciliation.differences.count()
        messages.success(self.request, f"比对完成，发现 {count} 条差异。")
        return redirect(reconciliation)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": "新建信息报送系统核查"}


class ReconciliationView(PermissionRequiredMixin, ObjectListView):
    """A reconciliation's differences: filters by kind, platform and region, `?export`, and
    check boxes (for those who may open campaigns) to turn differences into tasks."""

    permission_required = "newmedia.view_reconciliation"
    raise_exception = True
    filterset_class = ReconciliationDifferenceFilterSet
    template_name = "newmedia/reconciliation_detail.html"

    @cached_property
    def reconciliation(self) -> Reconciliation:
        return get_object_or_404(
            Reconciliation.objects.visible_to(self.request.user).select_related("region"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def table_class(self):
        return ReconciliationDifferenceTable.for_reconciliation(self.reconciliation)

    @property
    def title(self) -> str:
        return self.reconciliation.name

    @property
    def export_stem(self) -> str:
        return f"{self.reconciliation.name}差异"

    def get_queryset(self):
        return self.reconciliation.differences.visible_to(self.request.user).select_related(
            "region", "unit", "matched_account", "campaign_item__task"
        )

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.form.fields["kind"].choices = [("", "---------")] + [
            (kind, self.reconciliation.kind_label(kind)) for kind in DifferenceKind.values
        ]
        return filterset

    def get_table_kwargs(self):
        can_open = self.request.user.has_perm("inspections.add_campaign")
        return {"exclude": () if can_open else ("select",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        differences = self.reconciliation.differences.visible_to(user)
        by_kind = dict(differences.values_list("kind").annotate(n=Count("pk")).order_by())
        context.update(
            reconciliation=self.reconciliation,
            kind_counts=[(self.reconciliation.kind_label(kind), by_kind.get(kind, 0))
                         for kind in DifferenceKind.values],
            counts=differences.aggregate(
                total=Count("pk"),
                unmatched=Count("pk", filter=Q(matched_account__isnull=True) | Q(unit__isnull=True)),
                listed=Count("pk", filter=Q(campaign_item__isnull=False)),
            ),
        )
        if user.has_perm("inspections.add_campaign"):
            context["task_form"] = TaskForm(differences=differences)
        return context


class ReconciliationTaskView(PermissionRequiredMixin, View):
    """POST: the chosen differences become campaign items with rectification tasks."""

    permission_required = ("newmedia.view_reconciliation", "inspections.add_campaign")
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request, pk):
        reconciliation = get_object_or_404(Reconciliation.objects.visible_to(request.user), pk=pk)
        form = TaskForm(request.POST,
                        differences=reconciliation.differences.visible_to(request.user))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(reconciliation)
        outcome = registry.open_tasks(reconciliation, form.cleaned_data["differences"],
                                      deadline=form.cleaned_data["deadline"])
        level = messages.success if outcome.opened else messages.warning
        level(request, outcome.summary())
        return redirect(reconciliation)
