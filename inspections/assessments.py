"""Saving one assessment's scores and veto findings: the rules the score-entry page, the
matrix page and the results import all go through."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .choices import IndicatorKind
from .models import Assessment, Finding, Score
from .rectification import ensure_tasks, release
from .scoring import Result, SchemeTree, compute, points_problems


class StaleAssessment(Exception):
    """Someone else saved the assessment after this page was loaded."""

    def __init__(self, assessment: Assessment):
        self.assessment = assessment
        who = assessment.scored_by or "其他用户"
        when = timezone.localtime(assessment.scored_at).strftime("%H:%M") if assessment.scored_at else ""
        super().__init__(
            f"保存失败：{who}已于{when}修改了“{assessment.target}”的评分。"
            "您录入的内容仍在页面上，请核对对方的修改后重新保存。"
        )


@dataclass
class Entry:
    """What a user entered for one assessment."""

    points: dict[int, Decimal] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    vetoes: dict[int, str] = field(default_factory=dict)  # veto indicator → finding text
    not_applicable: list[int] = field(default_factory=list)
    note: str = ""

    def problems(self, tree: SchemeTree) -> dict[int, str]:
        found = points_problems(tree, self.points, self.not_applicable)
        for indicator_id, text in self.vetoes.items():
            if indicator_id not in tree.veto_ids():
                found[indicator_id] = f"“{tree.nodes[indicator_id].name}”不是单项否决指标"
            elif not text.strip():
                found[indicator_id] = f"勾选“{tree.nodes[indicator_id].name}”时须填写发现的问题"
        return found


def apply_result(assessment: Assessment, result: Result) -> None:
    assessment.deduction_score = result.deduction
    assessment.bonus_score = result.bonus
    assessment.total = result.total
    assessment.vetoed = result.vetoed
    assessment.passed = result.passed


def current_entry(assessment: Assessment) -> Entry:
    scores = list(assessment.scores.all())
    vetoes: dict[int, str] = {}
    for finding in assessment.findings.all():  # in pk order: the first finding of a veto shows
        if finding.indicator_id and finding.indicator.kind == IndicatorKind.VETO:
            vetoes.setdefault(finding.indicator_id, finding.description)
    return Entry(
        points={s.indicator_id: s.points for s in scores},
        notes={s.indicator_id: s.note for s in scores if s.note},
        vetoes=vetoes,
        not_applicable=list(assessment.not_applicable),
        note=assessment.note,
    )


@transaction.atomic
def save_entry(assessment: Assessment, entry: Entry, tree: SchemeTree, *, user,
               loaded_version: int) -> Result:
    """Store the entry if `loaded_version` is still current; raise StaleAssessment if not.

    The caller has checked entry.problems(tree) is empty.
    """
    claimed = Assessment.objects.filter(pk=assessment.pk, version=loaded_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleAssessment(Assessment.objects.select_related("scored_by").get(pk=assessment.pk))
    _store_scores(assessment, entry, user)
    _store_vetoes(assessment, entry, user)
    result = compute(tree, entry.points, entry.vetoes, entry.not_applicable)
    apply_result(assessment, result)
    assessment.not_applicable = sorted(entry.not_applicable)
    assessment.note = entry.note
    assessment.scored_at = timezone.now()
    assessment.scored_by = user
    assessment.version = loaded_version + 1
    assessment._history_user = user
    assessment.save()
    return result


def _store_scores(assessment: Assessment, entry: Entry, user) -> None:
    existing = {s.indicator_id: s for s in assessment.scores.all()}
    for indicator_id, score in existing.items():
        if indicator_id not in entry.points:
            score._history_user = user
            score.delete()
    for indicator_id, points in entry.points.items():
        note = entry.notes.get(indicator_id, "")
        score = existing.get(indicator_id)
        if score is not None and score.points == points and score.note == note:
            continue
        score = score or Score(assessment=assessment, indicator_id=indicator_id)
        score.points, score.note = points, note
        score._history_user = user
        score.save()


def _store_vetoes(assessment: Assessment, entry: Entry, user) -> None:
    """A veto is its finding: unticking one withdraws every finding of that indicator, so the
    stored verdict and the findings agree; a ticked one keeps (or rewrites) its first."""
    existing: dict[int, Finding] = {}
    for finding in assessment.findings.filter(indicator__kind=IndicatorKind.VETO).order_by("pk"):
        if finding.indicator_id in entry.vetoes:
            existing.setdefault(finding.indicator_id, finding)
            continue
        release(finding)  # refused once the unit has started rectifying it
        finding._history_user = user
        finding.delete()
    for indicator_id, text in entry.vetoes.items():
        finding = existing.get(indicator_id)
        if finding is not None and finding.description == text.strip():
            continue
        finding = finding or Finding(assessment=assessment, indicator_id=indicator_id,
                                     created_by=user)
        finding.description = text.strip()
        finding._history_user = user
        finding.save()
        ensure_tasks([finding])  # every finding opens a rectification task (整改); idempotent


@transaction.atomic
def record_finding(finding: Finding, tree: SchemeTree, *, user) -> None:
    """Store a finding made with the 添加问题 form. It opens its rectification task; a veto
    indicator's finding is the veto itself (as on the entry page and in the results import),
    so it rescores the target."""
    finding.created_by = user
    finding._history_user = user
    finding.save()
    ensure_tasks([finding])  # every finding opens a rectification task (整改)
    if finding.indicator_id in tree.veto_ids():
        rescore(finding.assessment, tree, user=user)


def rescore(assessment: Assessment, tree: SchemeTree, *, user) -> Result:
    """Recompute one target's result from its stored scores and findings, as a save on the
    entry page would: it is then scored by `user`, and its version moves on, so that an entry
    page loaded before cannot save over the change unseen."""
    # The UPDATE locks the row until the transaction ends; then read what is stored.
    Assessment.objects.filter(pk=assessment.pk).update(version=F("version") + 1)
    assessment.refresh_from_db()
    entry = current_entry(assessment)
    result = compute(tree, entry.points, entry.vetoes, entry.not_applicable)
    apply_result(assessment, result)
    assessment.scored_at = timezone.now()
    assessment.scored_by = user
    assessment._history_user = user
    assessment.save()
    return result


def recompute(assessments: list[Assessment], tree: SchemeTree) -> None:
    """Recompute the stored totals of scored assessments in bulk (after a bulk load, or a
    change of the scheme's pass mark)."""
    assessments = [a for a in assessments if a.is_scored]
    scores: dict[int, dict[int, Decimal]] = {}
    for a_id, i_id, points in Score.objects.filter(assessment__in=assessments).values_list(
        "assessment_id", "indicator_id", "points"
    ):
        scores.setdefault(a_id, {})[i_id] = points
    vetoes: dict[int, set[int]] = {}
    for a_id, i_id in Finding.objects.filter(
        assessment__in=assessments, indicator__kind=IndicatorKind.VETO
    ).values_list("assessment_id", "indicator_id"):
        vetoes.setdefault(a_id, set()).add(i_id)
    for assessment in assessments:
        apply_result(assessment, compute(
            tree, scores.get(assessment.pk, {}), vetoes.get(assessment.pk, ()),
            assessment.not_applicable,
        ))
    Assessment.objects.bulk_update(
        assessments, ["deduction_score", "bonus_score", "total", "vetoed", "passed"]
    )


def rescore_open_checks(scheme) -> None:
    """After a scheme's points or pass mark changed, bring the stored totals of its open
    checks in line (closed checks lock their scheme, so they never need this)."""
    tree = SchemeTree.of(scheme)
    for inspection in scheme.inspections.exclude(status="closed"):
        recompute(list(inspection.assessments.all()), tree)
