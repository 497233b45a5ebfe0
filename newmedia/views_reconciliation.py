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
from . import reconciliation_registration as registration
from .models import DifferenceKind, Reconciliation
from .reconciliation_filtersets import ReconciliationDifferenceFilterSet, ReconciliationFilterSet
from .reconciliation_forms import ReconciliationForm, RegistrationForm, TaskForm
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
        for side in registry.SIDES:
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
            user=self.request.user, uploads={side: data[f"{side}_file"] for side in lists},
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

    @cached_property
    def actions(self) -> dict[str, bool]:
        """What the user may do with ticked differences: open tasks, register accounts (from
        the lists, so only where they were kept)."""
        user = self.request.user
        return {
            "can_open": user.has_perm("inspections.add_campaign"),
            "can_register": user.has_perm("newmedia.add_account")
            and registry.kept_list_exists(self.reconciliation),
        }

    def get_table_kwargs(self):
        return {**self.actions, "exclude": () if any(self.actions.values()) else ("select",)}

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
        context.update(self.actions)
        if self.actions["can_open"]:
            context["task_form"] = TaskForm(differences=differences)
        if self.actions["can_register"]:
            context["registration_form"] = RegistrationForm(
                differences=differences,
                units=registration.registration_units(self.reconciliation, user),
            )
        return context


class _DifferencesActionView(PermissionRequiredMixin, View):
    """POST: an action on the differences ticked on a reconciliation's page; the outcome (or
    every problem) is reported there."""

    raise_exception = True
    http_method_names = ["post"]

    def post(self, request, pk):
        reconciliation = get_object_or_404(
            Reconciliation.objects.visible_to(request.user).select_related("region"), pk=pk
        )
        form = self.get_form(reconciliation)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(reconciliation)
        self.act(reconciliation, form.cleaned_data)
        return redirect(reconciliation)


class ReconciliationTaskView(_DifferencesActionView):
    """The chosen differences become campaign items with rectification tasks."""

    permission_required = ("newmedia.view_reconciliation", "inspections.add_campaign")

    def get_form(self, reconciliation):
        return TaskForm(self.request.POST,
                        differences=reconciliation.differences.visible_to(self.request.user))

    def act(self, reconciliation, data) -> None:
        outcome = registry.open_tasks(reconciliation, data["differences"],
                                      deadline=data["deadline"])
        level = messages.success if outcome.opened else messages.warning
        level(self.request, outcome.summary())


class ReconciliationRegistrationView(_DifferencesActionView):
    """The accounts of the chosen differences are registered in the directory from the lists;
    on any problem nothing is, and each problem is listed."""

    permission_required = ("newmedia.view_reconciliation", "newmedia.add_account")

    def get_form(self, reconciliation):
        user = self.request.user
        return RegistrationForm(self.request.POST,
                                differences=reconciliation.differences.visible_to(user),
                                units=registration.registration_units(reconciliation, user))

    def act(self, reconciliation, data) -> None:
        try:
            outcome = registration.register_accounts(
                reconciliation, data["differences"], user=self.request.user, unit=data["unit"]
            )
        except ImportFailed as failure:
            messages.error(self.request, f"发现 {len(failure.problems)} 个问题，未登记任何账号：")
            for problem in failure.problems:
                messages.error(self.request, str(problem))
            return
        level = messages.success if outcome.added or outcome.found else messages.warning
        level(self.request, outcome.summary())
