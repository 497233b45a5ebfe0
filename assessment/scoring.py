"""The annual assessment's results, by the rules of inspections.scoring:

- any veto item → 不合格, whatever the points;
- the deduction part is 100 minus what was deducted, each group losing at most its own points
  (扣完为止) and each item at most its own;
- bonus points count only when the deduction part is above the bonus threshold (80), up to
  the bonus group's points (20);
- a total below the pass mark (60) → 不合格.

An item with a data source (assessment.providers) is filled from the portal's data while the
year is open, unless the assessor entered it by hand (their entry counts); when the year is
locked its figures are kept as ItemScore rows, so the locked results never change. Offices
are ranked by total (vetoed offices last); equal totals share a rank.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inspections.choices import IndicatorKind
from inspections.formatting import number
from inspections.scoring import Node, SchemeTree, compute

from .models import AssessmentYear, Item, ItemScore, OfficeAssessment
from .providers import PROVIDERS, Evidence, Measure, YearData

ZERO = Decimal(0)
STALE = "保存失败：本页打开后，其他人已修改了该地区的考核结果。请刷新页面后重新填写。"


class AssessmentError(Exception):
    """A change the year's state does not allow; the message says why, in Chinese."""


# The scheme ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SchemeItems:
    """A scheme's items loaded once: the tree for inspections.scoring, and the leaves on
    which points are entered."""

    tree: SchemeTree
    items: dict[int, Item]

    @classmethod
    def of(cls, scheme) -> SchemeItems:
        items = list(scheme.items.order_by("order", "pk"))
        children: dict[int | None, list[int]] = defaultdict(list)
        for item in items:
            children[item.parent_id].append(item.pk)
        nodes = {i.pk: Node(i.pk, i.name, i.kind, i.max_points, i.parent_id,
                            tuple(children.get(i.pk, ()))) for i in items}
        tree = SchemeTree(nodes, tuple(children.get(None, ())), scheme.pass_mark,
                          scheme.bonus_threshold, {i.name: i.pk for i in items})
        return cls(tree, {i.pk: i for i in items})

    def leaves(self, group_id: int) -> list[Item]:
        node = self.tree.nodes[group_id]
        if not node.children:
            return [self.items[group_id]]
        return [self.items[i] for i in self.tree.descendants(group_id)
                if not self.tree.nodes[i].children]

    def entry_items(self) -> list[Item]:
        """Every leaf, in scheme order: where points, vetoes and notes are entered."""
        return [self.items[i] for i in self.tree.nodes if not self.tree.nodes[i].children]


# One office ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One leaf item of one office: what was deducted (or awarded), or a veto, and why."""

    item: Item
    points: Decimal | None = None
    vetoed: bool = False
    note: str = ""
    automatic: bool = False  # filled from the portal's data
    no_data: bool = False  # an automatic item without data: 暂无数据, entered by hand
    evidence: tuple[Evidence, ...] = ()
    portal_figure: str = ""  # what the portal's data says where the assessor's entry won

    @property
    def counted(self) -> Decimal:
        """Points as they count: never beyond the item's own points."""
        if self.points is None or self.item.max_points is None:
            return ZERO
        return min(self.points, self.item.max_points)


@dataclass
class OfficeResult:
    office: OfficeAssessment
    scheme: SchemeItems = field(repr=False)
    lines: dict[int, Line]
    groups: dict[int, Decimal]  # points earned per first-level group (deduction and bonus)
    deduction: Decimal
    bonus: Decimal | None  # None when the bonus does not count (deduction part ≤ threshold)
    bonus_entered: Decimal
    total: Decimal
    vetoed: bool
    passed: bool
    rank: int = 0  # set by rank()

    @property
    def region(self):
        return self.office.region

    @property
    def conclusion(self) -> str:
        if self.vetoed:
            return "不合格（单项否决）"
        return "合格" if self.passed else "不合格"

    def vetoes(self) -> list[Line]:
        return [line for line in self.lines.values() if line.vetoed]

    def deductions(self) -> list[Line]:
        return [line for line in self.lines.values()
                if line.item.kind == IndicatorKind.DEDUCTION and line.counted > 0]

    def bonuses(self) -> list[Line]:
        return [line for line in self.lines.values()
                if line.item.kind == IndicatorKind.BONUS and line.counted > 0]

    def summary(self) -> str:
        """扣分情况 as the annex prints it."""
        parts = [f"单项否决：{line.item.name}{_aside(line.note)}" for line in self.vetoes()]
        parts += [f"{line.item.name}扣{number(line.counted, 2)}分{_aside(line.note)}"
                  for line in self.deductions()]
        ignored = "" if self.bonus is not None else \
            f"扣分指标得分未超过{number(self.scheme.tree.bonus_threshold, 2)}分，不计"
        for line in self.bonuses():
            why = "；".join(p for p in (line.note.strip().rstrip("。"), ignored) if p)
            parts.append(f"{line.item.name}加{number(line.counted, 2)}分{_aside(why)}")
        return "；".join(parts) or "无"


def _aside(note: str) -> str:
    note = note.strip().rstrip("。")
    return f"（{note}）" if note else ""


def office_lines(scheme: SchemeItems, rows: list[ItemScore], data: YearData | None,
                 region) -> dict[int, Line]:
    """Every leaf's line. The assessor's entry counts wherever there is one: on an item with
    a data source it was made while the portal had no data, or to correct it, and the
    portal's figure is only shown beside it (clearing the entry lets the figure count).
    Otherwise an item with a source is filled from the portal's data (or from its locked
    snapshot when `data` is None), and says 暂无数据 when there is none."""
    by_item = {row.item_id: row for row in rows}
    lines = {}
    for item in scheme.entry_items():
        row = by_item.get(item.pk)
        measure = None
        if item.source and data is not None:
            measure = PROVIDERS[item.source](data, region)
        if row is not None and not row.automatic:
            figure = "" if measure is None else \
                f"本平台数据：{measure.summary}，应扣{number(points_for(item, measure), 2)}分"
            lines[item.pk] = Line(item, row.points, row.vetoed, row.note,
                                  no_data=bool(item.source) and measure is None,
                                  portal_figure=figure)
        elif measure is not None:
            lines[item.pk] = Line(item, points_for(item, measure), note=measure.summary,
                                  automatic=True, evidence=measure.evidence)
        elif row is not None:
            lines[item.pk] = Line(item, row.points, row.vetoed, row.note, automatic=True,
                                  evidence=tuple(Evidence(**e) for e in row.evidence))
        else:
            lines[item.pk] = Line(item, no_data=bool(item.source))
    return lines


def points_for(item: Item, measure: Measure) -> Decimal:
    return min(measure.faults * (item.points_each or ZERO), item.max_points or ZERO)


def office_result(office: OfficeAssessment, scheme: SchemeItems,
                  lines: dict[int, Line]) -> OfficeResult:
    tree = scheme.tree
    groups: dict[int, Decimal] = {}
    for group in tree.scored_groups():
        taken = sum((lines[leaf.pk].counted for leaf in scheme.leaves(group.id)), ZERO)
        full = group.max_points or ZERO
        groups[group.id] = max(full - taken, ZERO) if group.kind == IndicatorKind.DEDUCTION \
            else min(taken, full)
    vetoes = [pk for pk, line in lines.items() if line.vetoed]
    result = compute(tree, groups, vetoes)
    bonus_entered = sum((groups[g.id] for g in tree.groups(IndicatorKind.BONUS)), ZERO)
    return OfficeResult(office, scheme, lines, groups, result.deduction or ZERO, result.bonus,
                        bonus_entered, result.total or ZERO, result.vetoed, result.passed)


# A year -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class YearResults:
    assessment_year: AssessmentYear
    scheme: SchemeItems
    offices: list[OfficeResult]  # in rank order

    @property
    def passed(self) -> list[OfficeResult]:
        return [r for r in self.offices if r.passed]

    @property
    def failed(self) -> list[OfficeResult]:
        return [r for r in self.offices if not r.passed]

    def of(self, office: OfficeAssessment) -> OfficeResult:
        return next(r for r in self.offices if r.office.pk == office.pk)


def year_results(assessment_year: AssessmentYear, today: datetime.date | None = None) -> YearResults:
    """Every office's result and rank, in a fixed number of queries."""
    offices = list(assessment_year.offices.select_related("region"))
    scheme = SchemeItems.of(assessment_year.scheme)
    rows: dict[int, list[ItemScore]] = defaultdict(list)
    for row in ItemScore.objects.filter(office__assessment_year=assessment_year):
        rows[row.office_id].append(row)
    data = None
    if not assessment_year.is_locked:
        data = YearData(assessment_year, [o.region for o in offices], today or timezone.localdate())
    results = [office_result(o, scheme, office_lines(scheme, rows[o.pk], data, o.region))
               for o in offices]
    return YearResults(assessment_year, scheme, rank(results))


def rank(results: list[OfficeResult]) -> list[OfficeResult]:
    """Highest total first, vetoed offices last; equal totals share a rank (1, 1, 3);
    ties in 区划代码 order."""
    ordered = sorted(results, key=lambda r: (r.vetoed, -r.total, r.region.code or "~", r.region.name))
    previous = None
    for position, result in enumerate(ordered, start=1):
        key = (result.vetoed, result.total)
        result.rank = previous.rank if previous and key == (previous.vetoed, previous.total) else position
        previous = result
    return ordered


# Changes ------------------------------------------------------------------------------------

def ensure_offices(assessment_year: AssessmentYear) -> int:
    """One OfficeAssessment per region directly below (idempotent); returns how many are new."""
    have = set(assessment_year.offices.values_list("region_id", flat=True))
    new = [OfficeAssessment(assessment_year=assessment_year, region=region)
           for region in assessment_year.office_regions() if region.pk not in have]
    OfficeAssessment.objects.bulk_create(new)
    return len(new)


@dataclass(frozen=True)
class Entry:
    points: Decimal | None = None
    vetoed: bool = False
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return self.points is None and not self.vetoed and not self.note


@transaction.atomic
def save_entries(office: OfficeAssessment, entries: dict[int, Entry], *, loaded_version: int) -> None:
    """Store the assessor's entries (an empty entry removes the row); refused when the year
    is locked or someone else saved since the page was loaded."""
    if office.assessment_year.is_locked:
        raise AssessmentError("该年度考核已锁定，不能再修改。")
    claimed = OfficeAssessment.objects.filter(pk=office.pk, version=loaded_version)
    if not claimed.update(version=F("version") + 1):
        raise AssessmentError(STALE)
    office.version = loaded_version + 1
    existing = {row.item_id: row for row in office.scores.filter(item_id__in=entries)}
    for item_id, entry in entries.items():
        row = existing.get(item_id)
        if entry.is_empty:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = ItemScore(office=office, item_id=item_id)
        elif (row.points, row.vetoed, row.note) == (entry.points, entry.vetoed, entry.note):
            continue
        row.points, row.vetoed, row.note = entry.points, entry.vetoed, entry.note
        row.save()


@transaction.atomic
def lock_year(assessment_year: AssessmentYear, user) -> YearResults:
    """Freeze the year: the automatic items' current figures are stored with their evidence,
    and no entry may change afterwards."""
    assessment_year = AssessmentYear.objects.select_for_update().get(pk=assessment_year.pk)
    if assessment_year.is_locked:
        raise AssessmentError("该年度考核已锁定。")
    results = year_results(assessment_year)
    for result in results.offices:
        for line in result.lines.values():
            if not line.automatic:
                continue
            ItemScore.objects.update_or_create(office=result.office, item=line.item, defaults={
                "points": line.points, "vetoed": False, "note": line.note, "automatic": True,
                "evidence": [{"label": e.label, "url": e.url} for e in line.evidence],
            })
    assessment_year.locked_at = timezone.now()
    assessment_year.locked_by = user
    assessment_year.save(update_fields=["locked_at", "locked_by"])
    return year_results(assessment_year)
