"""Indicator scheme pages (指标体系): list, detail with the tree, copy, edit, set default,
workbook download and import. Every signed-in user reads schemes (shared reference data);
admins copy, edit, import and choose the default (403 for others)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from common.export import XLSX_TYPE
from common.imports import WorkbookImportView
from common.views import ObjectDetailView, ObjectEditView, ObjectListView, ScopedQuerysetMixin

from ..assessments import rescore_open_checks
from ..choices import IndicatorKind
from ..models import Scheme
from ..scheme_filtersets import SchemeFilterSet
from ..scheme_forms import IndicatorFormSet, SchemeCopyForm, SchemeForm, SchemeImportForm
from ..scheme_import import (
    closed_checks,
    copy_name,
    copy_scheme,
    import_scheme,
    plain,
    scheme_workbook,
    template,
    tree_rows,
)
from ..scheme_tables import SchemeTable

LOCKED = "该指标体系已用于已结束的检查，不能修改；如需调整，请复制后修改副本。"


class SchemeListView(ObjectListView):
    queryset = SchemeTable.annotate(Scheme.objects.all())
    table_class = SchemeTable
    filterset_class = SchemeFilterSet
    template_name = "inspections/scheme_list.html"
    title = "指标体系"
    export_stem = "指标体系"


class SchemeView(ObjectDetailView):
    queryset = Scheme.objects.select_related("based_on")
    template_name = "inspections/scheme_detail.html"
    detail_fields = ["name", "target", "pass_mark", "bonus_threshold", "is_default", "based_on",
                     "description"]
    list_url_name = "inspections:scheme_list"
    edit_permission = "inspections.change_scheme"
    edit_url_name = "inspections:scheme_edit"
    show_history = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme, user = self.object, self.request.user
        for item in context["detail_fields"]:
            if isinstance(item["value"], bool):
                item["value"] = "是" if item["value"] else "否"
            elif isinstance(item["value"], Decimal):
                item["value"] = f"{plain(item['value'])}分"
        context["pass_mark"] = plain(scheme.pass_mark)
        context["bonus_threshold"] = plain(scheme.bonus_threshold)
        closed = closed_checks(scheme)
        context["closed_count"] = len(closed)
        context["can_edit"] = context["can_edit"] and not closed
        context["can_copy"] = user.has_perm("inspections.add_scheme")
        context["can_manage"] = user.has_perm("inspections.change_scheme")
        context["sections"] = indicator_sections(scheme.indicators.all())
        context["checks"] = scheme.inspections.visible_to(user).select_related("region")
        return context


def indicator_sections(indicators) -> list[dict]:
    """The tree as the detail page shows it: one section per kind (单项否决, 扣分, 加分), each
    with its first-level groups followed by their children, indented by depth."""
    sections = {
        kind: {"kind": kind, "label": f"{label}指标", "rows": [], "total": Decimal(0)}
        for kind, label in IndicatorKind.choices
    }
    section = None
    for indicator, depth in tree_rows(indicators):
        if depth == 0:
            section = sections[indicator.kind]
            section["total"] += indicator.max_points or 0
        section["rows"].append({
            "indicator": indicator,
            "depth": depth,
            "indent": "　" * depth,
            "points": "" if indicator.max_points is None else plain(indicator.max_points),
        })
    return [
        {**s, "total": plain(s["total"]) if s["kind"] != IndicatorKind.VETO else ""}
        for s in sections.values() if s["rows"]
    ]


class SchemeDownloadView(ScopedQuerysetMixin, SingleObjectMixin, View):
    """下载为工作簿: the scheme in the import layout."""

    queryset = Scheme.objects.all()

    def get(self, request, *args, **kwargs):
        scheme = self.get_object()
        response = HttpResponse(scheme_workbook(scheme), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, f"{scheme.name}.xlsx")
        return response


class SchemeCopyView(PermissionRequiredMixin, FormView):
    """GET asks for the copy's name; POST copies (an empty name gives "NAME（副本）") and
    opens the copy's edit page."""

    permission_required = "inspections.add_scheme"
    raise_exception = True
    form_class = SchemeCopyForm
    template_name = "inspections/scheme_copy.html"

    @cached_property
    def scheme(self) -> Scheme:
        return get_object_or_404(Scheme.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_initial(self):
        return {"name": copy_name(self.scheme)}

    def form_valid(self, form):
        copy = copy_scheme(self.scheme, form.cleaned_data["name"] or copy_name(self.scheme))
        messages.success(self.request, f"已复制为“{copy.name}”，可在下面修改。")
        return redirect("inspections:scheme_edit", copy.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.scheme
        return context


class SchemeEditView(ObjectEditView):
    """The scheme's settings and its indicators, saved together; a locked scheme is shown
    with the reason, and a POST to it is refused (403)."""

    queryset = Scheme.objects.all()
    form_class = SchemeForm
    permission_required = "inspections.change_scheme"
    template_name = "inspections/scheme_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        closed = closed_checks(self.object)
        context["closed_count"] = len(closed)
        context["locked_message"] = LOCKED if closed else ""
        if not closed and "formset" not in context:
            context["formset"] = IndicatorFormSet(scheme=self.object)
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_locked:
            raise PermissionDenied(LOCKED)
        form = self.get_form()
        formset = IndicatorFormSet(request.POST, scheme=self.object)
        form_ok, formset_ok = form.is_valid(), formset.is_valid()  # both, to show every error
        if not (form_ok and formset_ok):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        with transaction.atomic():
            scheme = form.save()
            counts = formset.save()
            rescore_open_checks(scheme)  # the pass mark or bonus threshold may have changed
        messages.success(request, f"已保存：{scheme}。{counts.summary()}")
        return redirect(scheme)


class SchemeSetDefaultView(PermissionRequiredMixin, ScopedQuerysetMixin, SingleObjectMixin, View):
    """设为默认: the scheme a new check of its target starts with."""

    permission_required = "inspections.change_scheme"
    raise_exception = True
    queryset = Scheme.objects.all()
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        scheme = self.get_object()
        with transaction.atomic():
            # One default per target (a database constraint): clear the old one first.
            Scheme.objects.filter(target=scheme.target, is_default=True).exclude(pk=scheme.pk).update(
                is_default=False
            )
            Scheme.objects.filter(pk=scheme.pk).update(is_default=True)
        messages.success(request, f"已将“{scheme}”设为{scheme.get_target_display()}的默认指标体系。")
        return redirect(scheme)


class SchemeImportView(WorkbookImportView):
    form_class = SchemeImportForm
    permission_required = ("inspections.add_scheme", "inspections.change_scheme")
    title = "导入指标体系"
    template_filename = "指标体系导入模板.xlsx"
    help_template = "inspections/scheme_import_help.html"

    def get_initial(self):
        # The scheme page's "用工作簿替换指标" link names the scheme to replace.
        return {key: self.request.GET[key] for key in ("name", "target") if key in self.request.GET}

    def form_valid(self, form):
        self.options = form.cleaned_data
        self.result = None
        response = super().form_valid(form)
        return redirect(self.result.scheme) if self.result is not None else response

    def run_import(self, upload):
        self.result = import_scheme(upload, name=self.options["name"],
                                    target=self.options["target"], size=upload.size)
        return self.result

    def template_bytes(self) -> bytes:
        return template()


urlpatterns = [
    path("schemes/", SchemeListView.as_view(), name="scheme_list"),
    path("schemes/import/", SchemeImportView.as_view(), name="scheme_import"),
    path("schemes/<int:pk>/", SchemeView.as_view(), name="scheme"),
    path("schemes/<int:pk>/edit/", SchemeEditView.as_view(), name="scheme_edit"),
    path("schemes/<int:pk>/copy/", SchemeCopyView.as_view(), name="scheme_copy"),
    path("schemes/<int:pk>/default/", SchemeSetDefaultView.as_view(), name="scheme_set_default"),
    path("schemes/<int:pk>/download/", SchemeDownloadView.as_view(), name="scheme_download"),
]
