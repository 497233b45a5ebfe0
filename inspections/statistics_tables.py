"""The check page's tables as django-tables2 tables: 评分进度 (the rows of
views.inspections.progress) and the statistics (inspections.statistics). They format figures
the way a circular writes them and compute nothing; the same tables are the sheets of the
check's statistics workbook and each table's CSV (views.inspections.InspectionStatisticsView).

    check_tables(inspection, stats, progress_rows)  # {key: NamedTable}, in page order
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .formatting import MISSING, number, percent
from .statistics import InspectionStatistics, QuarterFigures

COUNT, RATE, POINTS = "count", "rate", "points"
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def shown(value, kind: str) -> str:
    """A figure as the page writes it: 12, 82.48%, 84.01; "—" when there is none."""
    if kind == RATE:
        return percent(value, 1)
    if kind == POINTS:
        return number(value, 2)
    return MISSING if value is None else str(value)


def exported(value, kind: str):
    """The same figure in a download: counts and points as numbers, rates as written."""
    if value is None or kind == RATE:
        return shown(value, kind)
    return float(number(value, 2)) if kind == POINTS else value


class FigureColumn(tables.Column):
    """A count, rate or points column (or, without a kind, the kind its row names)."""

    empty_values = ()  # a missing figure is written "—", on the page and in the download

    def __init__(self, verbose_name=None, kind: str | None = None, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(verbose_name, **kwargs)
        self.kind = kind

    def render(self, value, record):
        return shown(value, self.kind or record.kind)

    def value(self, value, record):
        return exported(value, self.kind or record.kind)


def _is_total(record) -> bool:
    return getattr(record, "is_total", False)


class FiguresTable(tables.Table):
    """Rows in the statistics' own order (a 合计 row stays last), never re-sorted. (A table's
    Meta is not inherited, hence the defaults here.)"""

    def __init__(self, data, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("row_attrs", {"class": lambda record: "row-total" if _is_total(record) else ""})
        super().__init__(data, **kwargs)


class QuarterColumnsMixin:
    """Columns `this_quarter` and `previous` headed by the quarters they hold."""

    def name_quarters(self, this: QuarterFigures, previous: QuarterFigures | None) -> None:
        self.columns["this_quarter"].column.verbose_name = f"{this.year}年{this.quarter_word}"
        self.columns["previous"].column.verbose_name = (
            f"{previous.year}年{previous.quarter_word}" if previous else "上季度")


class ProgressTable(FiguresTable):
    name = tables.Column("检查员")
    scored = FigureColumn("已评分", COUNT)
    total = FigureColumn("分配", COUNT)
    failed = FigureColumn("不合格", COUNT)
    unscored = tables.Column("", accessor="assigned_to", empty_values=(), exclude_from_export=True)

    def __init__(self, data, *, inspection_id: int, **kwargs):
        super().__init__(data, empty_text="本次检查还没有检查对象。", **kwargs)
        self.assessments_url = reverse("inspections:inspection_assessments", args=[inspection_id])

    def render_unscored(self, record):
        if record["scored"] >= record["total"]:
            return ""
        query = urlencode({"result": "unscored", "assigned_to": record["assigned_to"] or "null"})
        return format_html('<a href="{}?{}">查看未评分</a>', self.assessments_url, query)


@dataclass(frozen=True)
class FigureRow:
    """One line of 检查概况: a figure of this quarter beside the previous quarter's."""

    label: str
    this_quarter: int | Decimal | None
    previous: int | Decimal | None
    kind: str


class OverviewTable(QuarterColumnsMixin, FiguresTable):
    label = tables.Column("项目")
    this_quarter = FigureColumn()
    previous = FigureColumn()

    def __init__(self, stats: InspectionStatistics, **kwargs):
        this, previous = stats.this_quarter, stats.previous
        lines = [("检查数", "checked", COUNT), ("合格数", "passed", COUNT), ("不合格数", "failed", COUNT),
                 ("合格率", "pass_rate", RATE), ("平均得分", "average_total", POINTS),
                 ("未评分", "unscored", COUNT)]
        super().__init__([
            FigureRow(label, getattr(this, name), getattr(previous, name) if previous else None, kind)
            for label, name, kind in lines
        ], **kwargs)
        self.name_quarters(this, previous)


class FailureCauseTable(FiguresTable):
    label = tables.Column("原因")
    count = FigureColumn("不合格数", COUNT)
    share = FigureColumn("占检查数比例", RATE)

    def __init__(self, stats: InspectionStatistics, **kwargs):
        super().__init__(stats.failure_causes,
                         empty_text=f"本次检查没有不合格的{stats.target_label}。", **kwargs)


@dataclass(frozen=True)
class TotalRow:
    """The 得分 line under the group averages: the average total."""

    name: str
    max_points: None
    this_quarter: Decimal | None
    previous: Decimal | None
    is_total: bool = True


class GroupComparisonTable(QuarterColumnsMixin, FiguresTable):
    name = tables.Column("指标")
    this_quarter = FigureColumn(kind=POINTS)
    previous = FigureColumn(kind=POINTS)

    def __init__(self, stats: InspectionStatistics, **kwargs):
        this, previous = stats.this_quarter, stats.previous
        total = TotalRow("得分", None, this.average_total, previous.average_total if previous else None)
        super().__init__([*stats.group_comparison, total], **kwargs)
        self.name_quarters(this, previous)

    def render_name(self, value, record):
        if record.max_points is None:
            return value
        return f"{value}（{number(record.max_points, 2)}分）"

    def value_name(self, value, record):
        return self.render_name(value, record)


class RegionTable(FiguresTable):
    label = tables.Column("地区")
    checked = FigureColumn("检查数", COUNT)
    with_problems = FigureColumn("问题数", COUNT)
    failed = FigureColumn("不合格数", COUNT)
    pass_rate = FigureColumn("合格率", RATE)

    def __init__(self, stats: InspectionStatistics, **kwargs):
        super().__init__(stats.region_table, **kwargs)


class PlatformTable(FiguresTable):
    label = tables.Column("平台")
    checked = FigureColumn("检查数", COUNT)
    failed = FigureColumn("不合格数", COUNT)

    def __init__(self, stats: InspectionStatistics, **kwargs):
        super().__init__(stats.platform_rows, **kwargs)


@dataclass(frozen=True)
class RankedRow:
    place: str
    area_label: str
    target_name: str
    total: Decimal


class RankedTable(FiguresTable):
    place = tables.Column("")
    area_label = tables.Column("地区")
    target_name = tables.Column("名称")
    total = FigureColumn("得分", POINTS)

    def __init__(self, stats: InspectionStatistics, **kwargs):
        super().__init__([
            RankedRow(place, item.area_label, item.target_name, item.total)
            for place, items in (("最高", stats.top_targets), ("最低", stats.bottom_targets))
            for item in items
        ], **kwargs)


class FailingTwiceTable(FiguresTable):
    area_label = tables.Column("地区")
    target_name = tables.Column("名称")
    unit_name = tables.Column("主办单位")

    def __init__(self, stats: InspectionStatistics, **kwargs):
        empty = (f"没有连续两个季度不合格的{stats.target_label}。" if stats.previous
                 else "没有上一季度的检查，无法判断。")
        super().__init__(stats.failing_twice, empty_text=empty, **kwargs)


@dataclass(frozen=True)
class NamedTable:
    """A table with the heading it has on the page, which also names its sheet and file."""

    title: str
    table: tables.Table


def statistics_tables(stats: InspectionStatistics) -> dict[str, NamedTable]:
    """The statistics' tables, keyed as `?table=` names them; those the page leaves out (no
    scored groups, no platforms, no totals to rank) are left out here too."""
    found = {
        "overview": NamedTable("检查概况", OverviewTable(stats)),
        "causes": NamedTable("不合格原因", FailureCauseTable(stats)),
        "groups": NamedTable("一级指标平均得分", GroupComparisonTable(stats))
        if stats.group_comparison else None,
        "regions": NamedTable("各地区检查情况", RegionTable(stats)),
        "platforms": NamedTable("各平台检查情况", PlatformTable(stats)) if stats.platform_rows else None,
        "ranked": NamedTable("得分最高和最低", RankedTable(stats)) if stats.top_targets else None,
        "failing_twice": NamedTable("连续两个季度不合格", FailingTwiceTable(stats)),
    }
    return {key: named for key, named in found.items() if named is not None}


class RecheckTable(tables.Table):
    """复查: the previous quarter's findings not yet rectified (recheck.Rectification.open_tasks;
    a finding without a task is an unsaved task)."""

    unit = tables.Column("地区/单位", accessor="unit", orderable=False)
    target = tables.Column("检查对象", accessor="finding__assessment__target__name", orderable=False,
                           linkify=lambda record: record.finding.assessment.get_absolute_url())
    problem = tables.Column("存在问题", accessor="finding__description", orderable=False)
    deadline = tables.DateColumn(format="Y-m-d", verbose_name="整改期限", orderable=False)
    state = tables.Column("状态", accessor="state", orderable=False, empty_values=())

    def render_state(self, record):
        if record.pk is None:
            return "未下发整改任务"
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.get_state_display())

    def value_state(self, record):
        return record.get_state_display() if record.pk else "未下发整改任务"


def check_tables(stats: InspectionStatistics, progress_rows: list[dict],
                 recheck_tasks: list | None = None) -> dict[str, NamedTable]:
    """Every table of the check page, in page order; 复查 last, where last quarter left
    findings open."""
    progress = ProgressTable(progress_rows, inspection_id=stats.inspection_id)
    found = {"progress": NamedTable("评分进度", progress), **statistics_tables(stats)}
    if recheck_tasks:
        found["recheck"] = NamedTable("上季度未整改问题", RecheckTable(recheck_tasks))
    return found
