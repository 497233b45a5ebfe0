"""Score entry: one target at a time (keyboard-first), or a whole check as a matrix of
first-level group scores; findings with screenshots."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import DetailView, TemplateView

from ..assessments import Entry, StaleAssessment, current_entry, record_finding, save_entry
from ..choices import IndicatorKind, Target
from ..evidence import protected_file_response
from ..forms import EntryForm, FindingForm, parse_points, parse_version
from ..models import Assessment, Finding, Inspection, Score, Screenshot
from ..rectification import TransitionError
from ..scoring import SchemeTree, compute, points_problems
from ..screenshots import attach

BAD_VERSION = "未保存：页面缺少有效的版本号，请刷新页面后重新录入。"


def scoped_assessments(user):
    return Assessment.objects.visible_to(user).select_related(
        "inspection__scheme", "inspection__region", "website", "account", "unit__region",
        "scored_by", "assigned_to",
    )


class AssessmentView(DetailView):
    """One target's scores: the scheme's groups with their points, veto checkboxes that
    each need a finding, live totals; Ctrl+Enter saves and opens the next target."""

    template_name = "inspections/assessment_detail.html"

    def get_queryset(self):
        return scoped_assessments(self.request.user)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(EntryForm(self.tree(), initial=current_entry(self.object)))

    def post(self, request, *args, **kwargs):
        self.object = assessment = self.get_object()
        form = EntryForm(self.tree(), data=request.POST)
        refusal = assessment.inspection.scoring_refusal(request.user)
        if refusal is not None:
            messages.error(request, f"未保存：{refusal}")
            return self.render_form(form, status=403)
        version = parse_version(request.POST.get("version"))
        if version is None:
            messages.error(request, BAD_VERSION)
            return self.render_form(form, status=400)
        if not form.is_valid():
            messages.error(request, "有错误，未保存。请按提示修改。")
            return self.render_form(form, status=400)
        try:
            save_entry(assessment, form.entry, form.tree, user=request.user,
                       loaded_version=version)
        except (StaleAssessment, TransitionError) as error:
            messages.error(request, str(error))
            return self.render_form(form, status=409)
        messages.success(request, f"已保存“{assessment.target.name}”：{assessment.conclusion}"
                         + (f"，{assessment.total.normalize():f}分" if assessment.total is not None else ""))
        if "next" in request.POST:
            following = next_assessment(assessment, request.user)
            if following is not None:
                return redirect(following)
            messages.info(request, "本次检查已没有待评分的对象。")
        return redirect(assessment)

    def tree(self) -> SchemeTree:
        return SchemeTree.of(self.object.inspection.scheme)

    def render_form(self, form: EntryForm, status: int = 200):
        context = self.get_context_data(object=self.object)
        context.update(entry_context(self.object, form, self.request.user))
        return self.render_to_response(context, status=status)


def entry_context(assessment: Assessment, form: EntryForm, user) -> dict:
    tree = form.tree
    groups = []
    for group in tree.scored_groups():
        groups.append({
            "node": group,
            "na": form.value(form.na_name(group.id), group.id),
            "points": _input(form, group.id),
            "children": [_input(form, child) for child in tree.descendants(group.id)],
        })
    vetoes = [{
        "node": node,
        "checked": form.value(form.veto_name(node.id), node.id),
        "finding": form.value(form.finding_name(node.id), node.id),
        "error": form.errors.get(form.veto_name(node.id)),
        "veto_name": form.veto_name(node.id),
        "finding_name": form.finding_name(node.id),
    } for node in tree.groups(IndicatorKind.VETO) + [
        n for n in tree.nodes.values() if n.kind == IndicatorKind.VETO and n.parent_id
    ]]
    result = compute(tree, form.initial.points, form.initial.vetoes, form.initial.not_applicable)
    refusal = assessment.inspection.scoring_refusal(user)
    return {
        "assessment": assessment,
        "form": form,
        "groups": groups,
        "vetoes": vetoes,
        "result": result,
        "note": form.data.get("note", "") if form.data is not None else assessment.note,
        "version": form.data.get("version") if form.data is not None else assessment.version,
        "scoring_refusal": refusal,
        "can_score": refusal is None,
        "finding_form": FindingForm(assessment=assessment),
        "findings": assessment.findings.select_related("indicator", "created_by", "task")
                    .prefetch_related("screenshots"),
        "score_changes": score_changes(assessment),
        "tree": tree,
        "next": next_assessment(assessment, user),
    }


def _input(form: EntryForm, indicator_id: int) -> dict:
    node = form.tree.nodes[indicator_id]
    return {
        "node": node,
        "depth": 0 if node.parent_id is None else 1,
        "name": form.points_name(node.id),
        "value": form.value(form.points_name(node.id), node.id),
        "note_name": form.note_name(node.id),
        "note": form.value(form.note_name(node.id), node.id),
        "error": form.errors.get(form.points_name(node.id)),
    }


def next_assessment(assessment: Assessment, user) -> Assessment | None:
    """The next unscored target of the check: the user's own first, then anyone's."""
    unscored = assessment.inspection.assessments.visible_to(user).filter(
        scored_at__isnull=True
    ).exclude(pk=assessment.pk).order_by("unit__region__path", "pk")
    return unscored.filter(assigned_to=user).first() or unscored.first()


def score_changes(assessment: Assessment) -> list[dict]:
    """Every change of the assessment's scores (who, when, old → new), newest first."""
    records = (
        Score.history.filter(assessment_id=assessment.pk)
        .select_related("history_user", "indicator").order_by("history_date", "history_id")
    )
    last: dict[int, object] = {}
    rows = []
    for record in records:
        old = last.get(record.indicator_id)
        new = None if record.history_type == "-" else record.points
        last[record.indicator_id] = new
        rows.append({"when": record.history_date, "who": record.history_user,
                     "indicator": record.indicator.name if record.indicator else "—",
                     "old": old, "new": new})
    rows.reverse()
    return rows


class MatrixView(TemplateView):
    """All targets × first-level groups of a check, for entering group scores quickly.

    A cell whose group was scored item by item is shown, not edited here. Saving is all or
    nothing: one bad cell, or one target changed by someone else meanwhile, saves no row.
    """

    template_name = "inspections/matrix.html"

    def dispatch(self, request, *args, **kwargs):
        self.inspection = get_object_or_404(
            Inspection.objects.visible_to(request.user).select_related("scheme"), pk=kwargs["pk"]
        )
        if self.inspection.target != Target.WEBSITES:
            raise Http404("政务新媒体检查没有分组得分，请逐个录入。")
        self.tree = SchemeTree.of(self.inspection.scheme)
        return super().dispatch(request, *args, **kwargs)

    def assessments(self) -> list[Assessment]:
        rows = list(
            self.inspection.assessments.visible_to(self.request.user)
            .select_related("website", "unit__region").prefetch_related("scores", "findings__indicator")
            .order_by("unit__region__code", "unit__region__path", "pk")
        )
        for row in rows:
            row.entry = current_entry(row)
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = kwargs.get("rows") or self.assessments()
        data = kwargs.get("data")
        errors = kwargs.get("errors", {})
        groups = self.tree.scored_groups()
        refusal = self.inspection.scoring_refusal(self.request.user)
        context.update({
            "inspection": self.inspection,
            "groups": groups,
            "tree": self.tree,
            "scoring_refusal": refusal,
            "can_score": refusal is None,
            "rows": [self._row(row, groups, data, errors) for row in rows],
        })
        return context

    def _row(self, row: Assessment, groups, data, errors) -> dict:
        cells = []
        for group in groups:
            name = f"cell-{row.pk}-{group.id}"
            itemised = any(d in row.entry.points for d in self.tree.descendants(group.id))
            stored = row.entry.points.get(group.id)
            value = data.get(name, "") if data is not None else (
                "" if stored is None else f"{stored.normalize():f}")
            computed = compute(self.tree, row.entry.points).group_scores.get(group.id)
            cells.append({"name": name, "value": value, "itemised": itemised,
                          "computed": computed, "error": errors.get(name),
                          "na": group.id in row.entry.not_applicable, "group": group})
        return {"assessment": row, "cells": cells, "error": errors.get(f"row-{row.pk}"),
                "version": data.get(f"version-{row.pk}") if data is not None else row.version}

    def post(self, request, *args, **kwargs):
        rows = self.assessments()
        refusal = self.inspection.scoring_refusal(request.user)
        if refusal is not None:
            messages.error(request, f"未保存：{refusal}")
            return self.render_to_response(
                self.get_context_data(rows=rows, data=request.POST), status=403
            )
        errors, entries = self.read(rows, request.POST)
        if not errors:
            try:
                self.save(rows, entries)
            except StaleAssessment as error:
                errors[f"row-{error.assessment.pk}"] = str(error)
        if errors:
            messages.error(request, f"有 {len(errors)} 处错误，全部未保存。请按提示修改。")
            return self.render_to_response(
                self.get_context_data(rows=rows, data=request.POST, errors=errors), status=400
            )
        messages.success(request, f"已保存 {len(entries)} 个检查对象的分组得分。")
        return redirect(reverse("inspections:matrix", args=[self.inspection.pk]))

    def read(self, rows: list[Assessment], post) -> tuple[dict, dict]:
        """Each changed row's new entry with the version its page was loaded with, and every
        cell's problem."""
        errors: dict[str, str] = {}
        entries: dict[int, tuple[Entry, int]] = {}
        for row in rows:
            points = dict(row.entry.points)
            for group in self.tree.scored_groups():
                name = f"cell-{row.pk}-{group.id}"
                if name not in post:
                    continue
                try:
                    value = parse_points(post[name])
                except ValueError as error:
                    errors[name] = str(error)
                    continue
                points.pop(group.id, None)
                if value is not None:
                    points[group.id] = value
            problems = points_problems(self.tree, points, row.entry.not_applicable)
            for indicator_id, message in problems.items():
                errors[f"cell-{row.pk}-{self.tree.group_of(indicator_id)}"] = message
            if points == row.entry.points:
                continue
            version = parse_version(post.get(f"version-{row.pk}"))
            if version is None:
                errors[f"row-{row.pk}"] = BAD_VERSION
                continue
            entries[row.pk] = (Entry(points=points, notes=row.entry.notes, vetoes=row.entry.vetoes,
                                     not_applicable=row.entry.not_applicable, note=row.entry.note),
                               version)
        return errors, entries

    @transaction.atomic
    def save(self, rows: list[Assessment], entries: dict[int, tuple[Entry, int]]) -> None:
        for row in rows:
            if row.pk in entries:
                entry, version = entries[row.pk]
                save_entry(row, entry, self.tree, user=self.request.user, loaded_version=version)


class FindingCreateView(AssessmentView):
    """Add a finding (with screenshots) to an assessment; a veto indicator's finding makes
    the target 不合格 (assessments.record_finding)."""

    http_method_names = ["post"]

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        self.object = assessment = self.get_object()
        refusal = assessment.inspection.scoring_refusal(request.user)
        if refusal is not None:
            messages.error(request, f"问题未添加：{refusal}")
            return self.render_form(EntryForm(self.tree(), initial=current_entry(assessment)),
                                    status=403)
        form = FindingForm(request.POST, request.FILES, assessment=assessment)
        if not form.is_valid():
            for field, field_errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                prefix = f"{label}：" if label else ""
                messages.error(request, f"问题未添加：{prefix}{'；'.join(field_errors)}")
            return redirect(assessment)
        finding = form.save(commit=False)
        finding.assessment = assessment
        finding.post_dates = form.cleaned_data["post_dates_text"]
        record_finding(finding, self.tree(), user=request.user)
        for upload in request.FILES.getlist("screenshots"):
            attach(finding, upload, request.user)
        if finding.is_veto:
            messages.success(request, f"已添加问题，并记为单项否决：“{assessment.target.name}”为不合格。")
        else:
            messages.success(request, "已添加问题。")
        return redirect(f"{assessment.get_absolute_url()}#findings")


def screenshot(request, pk: int):
    """A screenshot, only for users who may see its finding."""
    shot = get_object_or_404(
        Screenshot.objects.filter(finding__in=Finding.objects.visible_to(request.user)), pk=pk
    )
    return protected_file_response(shot.image, shot.content_type)


urlpatterns = [
    path("assessments/<int:pk>/", AssessmentView.as_view(), name="assessment"),
    path("assessments/<int:pk>/findings/", FindingCreateView.as_view(), name="finding_add"),
    path("screenshots/<int:pk>/", screenshot, name="screenshot"),
    path("<int:pk>/matrix/", MatrixView.as_view(), name="matrix"),
]
