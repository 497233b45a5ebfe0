"""The figures a circular states about one check (DESIGN "Figures a circular states"),
except rectification: computed from the data, exact, never rounded here
(inspections.formatting writes them).

Definitions every figure shares:

- 检查数 (checked): the check's assessments that are scored (`scored_at` set). A target that
  is in the check but not scored yet is counted as unscored, never as passed or failed, so
  a draft's figures do not guess.
- 合格/不合格: the verdict stored by scoring (a veto → 不合格; a total below the pass mark
  → 不合格). failed = checked − passed.
- Averages: over the checked assessments that have a total and no veto (a vetoed target's
  points say nothing of its quality, and are often not entered at all).
- Rates and shares are Decimal fractions between 0 and 1 (None when nothing is checked);
  `formatting.percent(rate, 1)` or `formatting.percent(part, whole)` writes them.

Everything is loaded in a bounded number of queries, whatever the number of assessments.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from common.models import RUNNING, running_on_q
from newmedia.choices import Platform
from newmedia.models import Account, registered_on_q
from sites.choices import WebsiteKind
from sites.models import Region, Website

from .choices import QUARTER_WORDS, CheckMode, IndicatorKind, Target
from .models import Finding, Inspection, Score
from .scoring import Node, SchemeTree, node_score

LOW_SCORE_CAUSE = "得分低于合格分数线"
TOTAL_LABEL = "合计"


def _ratio(part: int, whole: int | None) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelCount:
    """One line of a breakdown: 门户网站 9, or 微信公众号 59."""

    label: str
    count: int


@dataclass(frozen=True)
class Population:
    """The targets registered and running at the end of the quarter in the check's region
    subtree (登记在运行政府网站 / 备案登记在运行政务新媒体)."""

    day: datetime.date
    """The quarter's last day ("截至2021年12月31日")."""
    total: int
    breakdown: tuple[LabelCount, ...]
    """By 网站类型 (门户网站, 部门网站) or by platform (in `newmedia.choices.Platform` order);
    kinds and platforms with none are left out."""
    stopped_in_quarter: int
    """Targets stopped (关停/注销) during the quarter: closed_on within the quarter. For new
    media only filed (已备案) accounts count, as the national register lists only those."""


@dataclass(frozen=True)
class GroupAverage:
    """The average of one first-level scored group (发布解读, …) in one quarter."""

    indicator_id: int
    name: str
    max_points: Decimal | None
    average: Decimal | None
    """Over the averaged assessments (a total, no veto) where the group has a score (its own
    points or its children's) and is not marked 不适用; a bonus group counts only where the
    bonus counted (deduction part above the bonus threshold). None when there is none."""
    count: int
    """How many assessments the average is over."""


@dataclass(frozen=True)
class QuarterFigures:
    """The figures of one check that a circular sets beside the previous quarter's."""

    inspection_id: int
    year: int
    quarter: int
    quarter_word: str
    """一季度 … 四季度, as the text writes it ("较三季度74.9分")."""
    checked: int
    """Scored assessments (检查数)."""
    passed: int
    unscored: int
    """Assessments in the check not scored yet; in no other figure."""
    averaged: int
    """Checked assessments with a total and no veto: those the averages are over."""
    average_total: Decimal | None
    """Average 得分 of the averaged assessments; None when there is none."""
    group_averages: tuple[GroupAverage, ...]
    """One per first-level scored group of the check's scheme (SchemeTree.scored_groups)."""

    @property
    def failed(self) -> int:
        return self.checked - self.passed

    @property
    def pass_rate(self) -> Decimal | None:
        """passed ÷ checked (a fraction, None when nothing is checked)."""
        return _ratio(self.passed, self.checked)

    def group_average(self, name: str) -> Decimal | None:
        """The average of the group called `name`, None if the scheme has none."""
        return next((g.average for g in self.group_averages if g.name == name), None)


@dataclass(frozen=True)
class GroupComparison:
    """One first-level group's average this quarter beside the previous quarter's (paired
    by name, since the previous check may have used another scheme)."""

    name: str
    max_points: Decimal | None
    this_quarter: Decimal | None
    previous: Decimal | None


@dataclass(frozen=True)
class FailureCause:
    """A cause of 不合格 with its count; a target vetoed on two indicators counts under both."""

    label: str
    """The veto indicator's name, or "得分低于合格分数线" (total below the pass mark, no veto)."""
    indicator_id: int | None
    """The veto indicator; None for the low-score cause."""
    count: int
    checked: int

    @property
    def share(self) -> Decimal | None:
        """count ÷ checked (a fraction)."""
        return _ratio(self.count, self.checked)


@dataclass(frozen=True)
class RegionRow:
    """One row of the per-region table (地区, 检查数, 问题数, 不合格数, 合格率)."""

    label: str
    """The child region's name, the direct row's 州直/市直/省直, or 合计."""
    region_id: int | None
    """The child region; None for the direct row and the total."""
    checked: int
    with_problems: int
    """Checked targets with at least one finding (存在问题), veto or not."""
    failed: int
    is_direct: bool = False
    is_total: bool = False

    @property
    def passed(self) -> int:
        return self.checked - self.failed

    @property
    def pass_rate(self) -> Decimal | None:
        """passed ÷ checked; None (written "—") when nothing was checked."""
        return _ratio(self.passed, self.checked)


@dataclass(frozen=True)
class PlatformRow:
    """Checked and failed new-media accounts of one platform."""

    platform: str
    label: str
    checked: int
    failed: int


@dataclass(frozen=True)
class RankedTarget:
    """A target among the highest or lowest totals."""

    assessment_id: int
    target_name: str
    unit_name: str
    area_label: str
    """Its row in the region table: the county's name, or 州直/市直/省直."""
    total: Decimal


@dataclass(frozen=True)
class RepeatFailure:
    """A target that failed this quarter and in the previous quarter's check
    (连续两个季度不合格)."""

    assessment_id: int
    previous_assessment_id: int
    target_name: str
    unit_name: str
    area_label: str


@dataclass(frozen=True)
class FailedTarget:
    """A target found 不合格 this quarter, with why."""

    assessment_id: int
    target_name: str
    unit_name: str
    area_label: str
    causes: tuple[str, ...]
    """Its veto indicators' names, or "得分低于合格分数线"."""


@dataclass(frozen=True)
class InspectionStatistics:
    """Every figure of one check a circular states (rectification aside)."""

    inspection_id: int
    target: str
    target_label: str
    """政府网站 or 政务新媒体."""
    mode: str
    mode_label: str
    """全覆盖 or 抽查."""
    region_name: str
    whole_label: str
    """How the text names the whole region: 全州, 全市, 全省."""
    direct_label: str
    """The direct row's label: 州直, 市直, 省直."""
    population: Population
    sample_population: int | None
    """For a spot check, the population the sample was drawn from (Inspection.population_size);
    None for a full check."""
    this_quarter: QuarterFigures
    previous: QuarterFigures | None
    """The same region's check of the same target one quarter earlier; None if there was none."""
    failure_causes: tuple[FailureCause, ...]
    """Veto indicators in scheme order, then the low-score cause; causes with no failure are
    left out."""
    group_comparison: tuple[GroupComparison, ...]
    region_rows: tuple[RegionRow, ...]
    """Every child region (by 区划代码, then name; none checked gives a row of zeros), then the
    direct row. Targets of units outside every child region count in the direct row."""
    region_total: RegionRow
    platform_rows: tuple[PlatformRow, ...]
    """For new-media checks, platforms with a checked account in Platform order; else empty."""
    top_targets: tuple[RankedTarget, ...]
    """The highest totals among the averaged assessments, highest first; ties by 区划代码."""
    bottom_targets: tuple[RankedTarget, ...]
    """The lowest totals among the averaged assessments, lowest first; ties by 区划代码.
    With fewer than twice N targets the two lists share some."""
    failing_twice: tuple[RepeatFailure, ...]
    failed_targets: tuple[FailedTarget, ...] = ()
    """Every target failed this quarter, in region-table order (区划代码), then by name."""

    @property
    def sampling_rate(self) -> Decimal | None:
        """Checked ÷ the sampled population, for a spot check (抽查比例); None otherwise."""
        return _ratio(self.this_quarter.checked, self.sample_population)

    @property
    def region_table(self) -> tuple[RegionRow, ...]:
        """The region rows followed by the 合计 row."""
        return (*self.region_rows, self.region_total)


# --- loading one check --------------------------------------------------------------------


ASSESSMENT_FIELDS = (
    "pk", "website_id", "account_id", "total", "bonus_score", "vetoed", "passed", "scored_at",
    "not_applicable", "unit__name", "unit__region__path", "unit__region__code",
    "website__name", "account__name", "account__platform",
)


@dataclass
class _Row:
    """The columns of an assessment the figures read, with its unit, region and target."""

    pk: int
    website_id: int | None
    account_id: int | None
    total: Decimal | None
    bonus_score: Decimal | None
    vetoed: bool
    passed: bool | None
    scored_at: datetime.datetime | None
    not_applicable: list
    unit_name: str
    region_path: str
    region_code: str
    website_name: str | None
    account_name: str | None
    platform: str | None

    @property
    def target_name(self) -> str:
        return self.website_name or self.account_name or ""

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None


@dataclass(frozen=True)
class _CheckData:
    """One check's scored assessments, their points and findings (seven queries or fewer)."""

    inspection: Inspection
    tree: SchemeTree
    checked: list[_Row]
    unscored: int
    points: dict[int, dict[int, Decimal]]
    vetoes: dict[int, list[int]]
    with_findings: set[int]

    def averaged(self) -> list[_Row]:
        return [a for a in self.checked if a.total is not None and not a.vetoed]

    def group_score(self, assessment: _Row, group: Node) -> Decimal | None:
        if group.id in {int(i) for i in assessment.not_applicable}:
            return None
        if group.kind == IndicatorKind.BONUS and assessment.bonus_score is None:
            return None
        return node_score(self.tree, group.id, self.points.get(assessment.pk, {}))


def _load(inspection: Inspection, tree: SchemeTree | None = None) -> _CheckData:
    tree = tree or SchemeTree.of(inspection.scheme)
    # A province's check holds ten thousand rows: read them as plain tuples (joined to their
    # unit, region and target) rather than four model objects each.
    assessments = [_Row(*values) for values in
                   inspection.assessments.order_by("pk").values_list(*ASSESSMENT_FIELDS)]
    checked = [a for a in assessments if a.is_scored]
    points: dict[int, dict[int, Decimal]] = {}
    for a_id, i_id, value in Score.objects.filter(
        assessment__inspection=inspection, assessment__scored_at__isnull=False
    ).values_list("assessment_id", "indicator_id", "points"):
        points.setdefault(a_id, {})[i_id] = value
    veto_ids = tree.veto_ids()
    vetoes: dict[int, list[int]] = {}
    with_findings: set[int] = set()
    for a_id, i_id in Finding.objects.filter(assessment__inspection=inspection).values_list(
        "assessment_id", "indicator_id"
    ):
        with_findings.add(a_id)
        if i_id in veto_ids and i_id not in vetoes.get(a_id, ()):
            vetoes.setdefault(a_id, []).append(i_id)
    return _CheckData(inspection, tree, checked, len(assessments) - len(checked), points, vetoes,
                      with_findings)


# --- the figures --------------------------------------------------------------------------


def quarter_start(inspection: Inspection) -> datetime.date:
    """The quarter's first day (its last is Inspection.quarter_end)."""
    return datetime.date(inspection.year, inspection.quarter * 3 - 2, 1)


def population(inspection: Inspection, region: Region) -> Population:
    """Registered and running targets in `region`'s subtree at the quarter's end, and those
    stopped in the quarter (one query: both counted per kind or platform)."""
    day = inspection.quarter_end
    stopped = Q(closed_on__range=(quarter_start(inspection), day)) & ~Q(status=RUNNING)
    if inspection.target == Target.WEBSITES:
        rows, running = Website.objects.within(region), running_on_q(day)
        field, choices = "kind", WebsiteKind.choices
    else:
        rows = Account.objects.within(region).filter(registered_on_q(day))
        running, field, choices = running_on_q(day), "platform", Platform.choices
    counts = {value: (n_running, n_stopped) for value, n_running, n_stopped in (
        rows.order_by().values_list(field)
        .annotate(running=Count("pk", filter=running), stopped=Count("pk", filter=stopped))
        .values_list(field, "running", "stopped")
    )}
    breakdown = tuple(LabelCount(label, counts[value][0]) for value, label in choices
                      if counts.get(value, (0, 0))[0])
    return Population(day, sum(r for r, _ in counts.values()), breakdown,
                      sum(s for _, s in counts.values()))


def _quarter_figures(data: _CheckData) -> QuarterFigures:
    inspection, averaged = data.inspection, data.averaged()
    return QuarterFigures(
        inspection_id=inspection.pk, year=inspection.year, quarter=inspection.quarter,
        quarter_word=QUARTER_WORDS[inspection.quarter],
        checked=len(data.checked), passed=sum(a.passed is True for a in data.checked),
        unscored=data.unscored, averaged=len(averaged),
        average_total=_mean([a.total for a in averaged]),
        group_averages=tuple(_group_average(data, g, averaged) for g in data.tree.scored_groups()),
    )


def _group_average(data: _CheckData, group: Node, averaged: list[_Row]) -> GroupAverage:
    scores = [s for s in (data.group_score(a, group) for a in averaged) if s is not None]
    return GroupAverage(group.id, group.name, group.max_points, _mean(scores), len(scores))


def _group_comparison(this: QuarterFigures, previous: QuarterFigures | None) -> tuple[GroupComparison, ...]:
    return tuple(
        GroupComparison(g.name, g.max_points, g.average,
                        previous.group_average(g.name) if previous else None)
        for g in this.group_averages
    )


def _failure_causes(data: _CheckData) -> tuple[FailureCause, ...]:
    per_indicator = Counter(i for a in data.checked for i in data.vetoes.get(a.pk, ()))
    pass_mark = data.tree.pass_mark
    low = sum(not a.vetoed and a.total is not None and a.total < pass_mark for a in data.checked)
    checked = len(data.checked)
    causes = [FailureCause(node.name, node.id, per_indicator[node.id], checked)
              for node in _in_scheme_order(data.tree) if per_indicator[node.id]]
    if low:
        causes.append(FailureCause(LOW_SCORE_CAUSE, None, low, checked))
    return tuple(causes)


def _in_scheme_order(tree: SchemeTree) -> Iterable[Node]:
    for root in tree.roots:
        yield tree.nodes[root]
        yield from (tree.nodes[i] for i in tree.descendants(root))


class _Areas:
    """Which row of the region table an assessment belongs to: the child region whose
    subtree holds its unit's region, or the direct row (key None)."""

    def __init__(self, top: Region, children: Sequence[Region]):
        self.top = top
        self.children = sorted(children, key=lambda r: (r.code == "", r.code, r.name))
        self._by_pk = {c.pk: c for c in self.children}

    def key(self, assessment: _Row) -> int | None:
        ids = [int(part) for part in assessment.region_path.strip("/").split("/")]
        return next((i for i in ids if i in self._by_pk), None)

    def label(self, assessment: _Row) -> str:
        key = self.key(assessment)
        return self.top.direct_label if key is None else self._by_pk[key].name


def _region_rows(data: _CheckData, areas: _Areas) -> tuple[tuple[RegionRow, ...], RegionRow]:
    """The child regions' rows and the direct row, and the 合计 row."""
    buckets: dict[int | None, list[_Row]] = {c.pk: [] for c in areas.children}
    buckets[None] = []
    for assessment in data.checked:
        buckets[areas.key(assessment)].append(assessment)
    rows = [_region_row(c.name, c.pk, buckets[c.pk], data) for c in areas.children]
    rows.append(_region_row(areas.top.direct_label, None, buckets[None], data, is_direct=True))
    total = RegionRow(TOTAL_LABEL, None, sum(r.checked for r in rows),
                      sum(r.with_problems for r in rows), sum(r.failed for r in rows), is_total=True)
    return tuple(rows), total


def _region_row(label: str, region_id: int | None, assessments: list[_Row],
                data: _CheckData, *, is_direct: bool = False) -> RegionRow:
    return RegionRow(
        label, region_id, len(assessments),
        with_problems=sum(a.pk in data.with_findings for a in assessments),
        failed=sum(a.passed is not True for a in assessments), is_direct=is_direct,
    )


def _platform_rows(data: _CheckData) -> tuple[PlatformRow, ...]:
    accounts = [a for a in data.checked if a.account_id]
    checked = Counter(a.platform for a in accounts)
    failed = Counter(a.platform for a in accounts if a.passed is not True)
    return tuple(PlatformRow(value, label, checked[value], failed[value])
                 for value, label in Platform.choices if checked[value])


def _ranked_targets(data: _CheckData, areas: _Areas, n: int) -> tuple[tuple[RankedTarget, ...], ...]:
    """The `n` highest totals (highest first) and the `n` lowest (lowest first) among the
    averaged assessments; equal totals in 区划代码 order, then by name."""
    def tie(a: _Row) -> tuple:
        return (a.region_code == "", a.region_code, a.target_name, a.pk)

    averaged = data.averaged()
    top = sorted(averaged, key=lambda a: (-a.total, *tie(a)))[:n]
    bottom = sorted(averaged, key=lambda a: (a.total, *tie(a)))[:n]
    return (tuple(_ranked_target(a, areas) for a in top), tuple(_ranked_target(a, areas) for a in bottom))


def _ranked_target(assessment: _Row, areas: _Areas) -> RankedTarget:
    return RankedTarget(assessment.pk, assessment.target_name, assessment.unit_name,
                        areas.label(assessment), assessment.total)


def _failing_twice(data: _CheckData, previous: _CheckData | None,
                   areas: _Areas) -> tuple[RepeatFailure, ...]:
    """Targets failed in this check and in the previous quarter's check of the same target."""
    if previous is None:
        return ()
    failed_before = {_target_key(a): a.pk for a in previous.checked if a.passed is not True}
    return tuple(
        RepeatFailure(a.pk, failed_before[_target_key(a)], a.target_name, a.unit_name,
                      areas.label(a))
        for a in data.checked if a.passed is not True and _target_key(a) in failed_before
    )


def _target_key(assessment: _Row) -> tuple[int | None, int | None]:
    return (assessment.website_id, assessment.account_id)


def _failed_targets(data: _CheckData, areas: _Areas) -> tuple[FailedTarget, ...]:
    failed = sorted((a for a in data.checked if a.passed is not True),
                    key=lambda a: (a.region_code == "", a.region_code, a.target_name, a.pk))
    return tuple(
        FailedTarget(a.pk, a.target_name, a.unit_name, areas.label(a), tuple(
            data.tree.nodes[i].name for i in data.vetoes.get(a.pk, ())) or (LOW_SCORE_CAUSE,))
        for a in failed
    )


def inspection_statistics(inspection: Inspection, *, top: int = 3) -> InspectionStatistics:
    """Every figure of `inspection` a circular states, with the previous quarter's beside it.

    Runs a fixed number of queries whatever the number of assessments: at most 10 without a
    previous check, 13 with one (15 if it used another scheme).
    """
    region = inspection.region
    data = _load(inspection)
    before = inspection.previous()
    previous = None
    if before is not None:
        same_scheme = before.scheme_id == inspection.scheme_id
        previous = _load(before, data.tree if same_scheme else None)
    areas = _Areas(region, list(region.children.all()))
    this_quarter = _quarter_figures(data)
    previous_quarter = _quarter_figures(previous) if previous else None
    rows, total = _region_rows(data, areas)
    top_targets, bottom_targets = _ranked_targets(data, areas, top)
    return InspectionStatistics(
        inspection_id=inspection.pk, target=inspection.target,
        target_label=inspection.get_target_display(), mode=inspection.mode,
        mode_label=inspection.get_mode_display(), region_name=region.name,
        whole_label=region.whole_label, direct_label=region.direct_label,
        population=population(inspection, region),
        sample_population=inspection.population_size if inspection.mode == CheckMode.SAMPLE else None,
        this_quarter=this_quarter, previous=previous_quarter,
        failure_causes=_failure_causes(data),
        group_comparison=_group_comparison(this_quarter, previous_quarter),
        region_rows=rows, region_total=total, platform_rows=_platform_rows(data),
        top_targets=top_targets, bottom_targets=bottom_targets,
        failing_twice=_failing_twice(data, previous, areas),
        failed_targets=_failed_targets(data, areas),
    )
