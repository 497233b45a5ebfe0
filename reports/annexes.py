"""The annex tables of a circular, one builder per row of the annex catalogue (DESIGN.md).

Each builder takes the circular's data and returns a Table as printed, or None when the
circular has nothing to put in it (no check of that kind). Averages come from the check's
statistics, so an annex can never contradict the circular's text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from inspections.choices import QUARTER_WORDS, TaskState
from inspections.formatting import fixed, number, percent
from inspections.models import Assessment, CampaignItem, Inspection, RectificationTask, Score
from inspections.recheck import Rectification
from inspections.scoring import SchemeTree, node_score
from inspections.statistics import InspectionStatistics, RegionRow
from interaction.circular import unhandled_annex, unhandled_annex_title
from interaction.statistics import quarter_figures
from sites.choices import WebsiteKind
from sites.models import Region

from .choices import AnnexKind
from .document import Cell, Table
from .text import chinese_date, target_kind, unit_area

VETOED = "单项否决"  # printed in the 得分 cell of a vetoed target


@dataclass(frozen=True)
class CircularData:
    """What the annex builders and the text read: the quarter, its checks and figures."""

    region: Region
    year: int
    quarter: int
    website: Inspection | None
    newmedia: Inspection | None
    website_stats: InspectionStatistics | None
    newmedia_stats: InspectionStatistics | None
    average_decimals: int = 1
    previous_average_decimals: int = 2
    # 复查: the previous quarter's findings by target (Target value), and the items of
    # campaigns checked by the quarter's end that are still open.
    rectification: dict[str, Rectification] = field(default_factory=dict)
    open_campaign_items: tuple[CampaignItem, ...] = ()
    # The day messages are judged on (政民互动): the circular's date, so a draft reads the
    # same tomorrow as today.
    as_of: datetime.date | None = None

    @property
    def quarter_word(self) -> str:
        return QUARTER_WORDS[self.quarter]

    def period(self) -> str:
        """2021年四季度全州."""
        return f"{self.year}年{self.quarter_word}{self.region.whole_label}"


def window_note(*inspections: Inspection | None) -> str:
    """注：数据监测采样时间为2021年11月1日-12月5日。"""
    windows = sorted({(i.window_start, i.window_end) for i in inspections if i is not None})
    if not windows:
        return ""
    texts = []
    for start, end in windows:
        end_text = f"{end.month}月{end.day}日" if end.year == start.year else \
            f"{end.year}年{end.month}月{end.day}日"
        texts.append(f"{start.year}年{start.month}月{start.day}日-{end_text}")
    return f"注：数据监测采样时间为{'；'.join(texts)}。"


def _num(value: Decimal | None, decimals: int, keep_zeros: bool = False) -> Cell:
    if value is None:
        return Cell("")
    text = fixed(value, decimals) if keep_zeros else number(value, decimals)
    return Cell(text, float(text) if "." in text else int(text))


def _title_row(*titles: str) -> tuple[Cell, ...]:
    return tuple(Cell(t) for t in titles)


def _empty_body(columns: int, text: str) -> tuple[tuple[Cell, ...], ...]:
    return ((Cell(text, colspan=columns),),)


# 政府网站检查得分情况 (seed 000, annex 1) -------------------------------------------------------

def _group_scores(inspection: Inspection) -> tuple[SchemeTree, list[tuple[Assessment, dict]]]:
    """The websites of a check with a score or a veto, and their first-level group scores by
    group name (a site judged 合格/不合格 without points has no place in a score table). A vetoed
    site has none: 单项否决 makes it 不合格 whatever its points, which the averages leave out
    (inspections.statistics), so the annex prints neither."""
    tree = SchemeTree.of(inspection.scheme)
    assessments = list(
        inspection.assessments.filter(scored_at__isnull=False, website__isnull=False)
        .select_related("website", "unit__region")
    )
    points: dict[int, dict[int, Decimal]] = {}
    for a_id, i_id, value in Score.objects.filter(assessment__inspection=inspection).values_list(
            "assessment_id", "indicator_id", "points"):
        points.setdefault(a_id, {})[i_id] = value
    rows = []
    for a in assessments:
        skipped = {int(i) for i in a.not_applicable}
        groups = {} if a.vetoed else {g.name: node_score(tree, g.id, points.get(a.pk, {}))
                                      for g in tree.scored_groups() if g.id not in skipped}
        groups = {name: value for name, value in groups.items() if value is not None}
        if groups or a.vetoed or a.total is not None:
            rows.append((a, groups))
    return tree, rows


def _has_group_scores(rows: list[tuple[Assessment, dict]]) -> bool:
    return any(groups for _, groups in rows)


def _total_cell(assessment: Assessment | None) -> Cell:
    if assessment is not None and assessment.vetoed:
        return Cell(VETOED)
    return _num(assessment.total if assessment else None, 1, keep_zeros=True)


def _site_labels(data: CircularData, assessments: list[Assessment]) -> dict[int, str]:
    """州政府 for the top region's portal, the county's name for a county portal, else the
    site's name; a label two sites would share falls back to their names."""
    def label(a: Assessment) -> str:
        region = a.unit.region
        if a.website.kind != WebsiteKind.PORTAL:
            return a.website.name
        return f"{region.short_word}政府" if region.pk == data.region.pk else region.name

    labels = {a.pk: label(a) for a in assessments}
    repeated = {text for text in labels.values() if list(labels.values()).count(text) > 1}
    return {a.pk: a.website.name if labels[a.pk] in repeated else labels[a.pk] for a in assessments}


def website_matrix(data: CircularData) -> Table | None:
    if data.website is None or data.website_stats is None:
        return None
    tree, rows = _group_scores(data.website)
    if not _has_group_scores(rows):
        return None
    rows.sort(key=lambda r: (r[0].unit.region.code == "", r[0].unit.region.code,
                             r[0].website.kind != WebsiteKind.PORTAL, r[0].website.name))
    previous_rows = {}
    if data.website.previous() is not None:
        previous_rows = {a.website_id: (a, g) for a, g in _group_scores(data.website.previous())[1]}
    stats = data.website_stats
    this_word = QUARTER_WORDS[data.quarter]
    before_word = stats.previous.quarter_word if stats.previous else "上季度"
    labels = _site_labels(data, [a for a, _ in rows])
    groups = [g for g in tree.scored_groups() if any(g.name in scores for _, scores in rows)]
    whole = data.region.whole_label
    header = (
        (Cell("考核指标", rowspan=2), *(Cell(labels[a.pk], colspan=2) for a, _ in rows),
         Cell(f"{this_word}{whole}平均指标得分", rowspan=2),
         Cell(f"{before_word}{whole}平均指标得分", rowspan=2)),
        tuple(Cell(word) for _ in rows for word in (this_word, before_word)),
    )
    body = []
    for group in groups:
        cells = [Cell(f"{group.name}（{number(group.max_points, 2)}分）", align="left")]
        for a, scores in rows:
            before = previous_rows.get(a.website_id, (None, {}))[1]
            cells += [_num(scores.get(group.name), 2), _num(before.get(group.name), 2)]
        cells += [
            _num(stats.this_quarter.group_average(group.name), data.average_decimals),
            _num(stats.previous.group_average(group.name) if stats.previous else None,
                 data.previous_average_decimals),
        ]
        body.append(tuple(cells))
    totals = [Cell("得分", align="left", bold=True)]
    for a, _ in rows:
        totals += [_total_cell(a), _total_cell(previous_rows.get(a.website_id, (None, {}))[0])]
    totals += [_num(stats.this_quarter.average_total, data.average_decimals),
               _num(stats.previous.average_total if stats.previous else None, data.average_decimals)]
    body.append(tuple(totals))
    # The averages' headings in lines of four characters (四季度 / 全州平均 / 指标得分), the row
    # labels in two (发布解读 / （31分）) when nine sites leave each column room for “26.5” only.
    widths = (3.6, *([1.35] * (2 * len(rows))), 2.8, 2.8)
    return Table(header, tuple(body), widths, _matrix_note(data, totals),
                 landscape=len(widths) > 8)


def _matrix_note(data: CircularData, totals: list[Cell]) -> str:
    """The sampling window, and where a site was vetoed, that the averages leave it out."""
    if not any(cell.text == VETOED for cell in totals):
        return window_note(data.website)
    return (window_note(data.website) or "注：") + "平均得分不含单项否决网站。"


# 政府网站检查情况 (seed 001, annex 1) -------------------------------------------------------------

def _area(a: Assessment, top: Region) -> str:
    return unit_area(a.unit, top)


def _checked(inspection: Inspection, **filters) -> list[Assessment]:
    return list(
        inspection.assessments.filter(scored_at__isnull=False, **filters)
        .select_related("website", "account", "unit__region")
        .prefetch_related("findings__indicator")
        .order_by("unit__region__code", "unit__region__path", "pk")
    )


def _problems(a: Assessment) -> str:
    return "；".join(f.description for f in a.findings.all())


def website_results(data: CircularData) -> Table | None:
    if data.website is None:
        return None
    header = (_title_row("序号", f"县（市、区）/{data.region.direct_label}部门", "网站名称",
                         "监测结果", "得分", "存在问题"),)
    body = []
    for n, a in enumerate(_checked(data.website, website__isnull=False), start=1):
        body.append((Cell(str(n), n), Cell(_area(a, data.region)), Cell(a.website.name, align="left"),
                     Cell(a.conclusion), _total_cell(a), Cell(_problems(a), align="left")))
    # millimetres of the 156 mm type area: 序号, 不合格 and 单项否决 on one line
    return Table(header, tuple(body) or _empty_body(6, "本季度没有检查结果。"),
                 (11, 26, 32, 17, 18, 52), window_note(data.website))


# 不合格政务新媒体 (seed 001, annex 2) -----------------------------------------------------------

def _post_dates(a: Assessment) -> str:
    days = sorted({d for f in a.findings.all() for d in f.post_date_list()})
    return "、".join(f"{d.year}.{d.month}.{d.day}" for d in days)


def failing_newmedia(data: CircularData) -> Table | None:
    if data.newmedia is None:
        return None
    header = (_title_row("序号", "地区/单位", "账号名称", "平台", "存在问题", "发布时间"),)
    body = tuple(
        (Cell(str(n), n), Cell(_area(a, data.region)), Cell(a.account.name, align="left"),
         Cell(a.account.get_platform_display()),
         Cell(_problems(a) or "；".join(_causes(a)), align="left"), Cell(_post_dates(a)))
        for n, a in enumerate(_checked(data.newmedia, passed=False), start=1)
    )
    # millimetres of the 156 mm type area: 序号, 微信公众号 and a date on one line
    return Table(header, body or _empty_body(6, "本季度检查没有发现不合格的政务新媒体。"),
                 (11, 28, 30, 23, 42, 22), window_note(data.newmedia))


def _causes(a: Assessment) -> list[str]:
    return [f.indicator.name for f in a.findings.all() if f.indicator_id] or ["得分低于合格分数线"]


# 各地区检查情况 (per-region summary) -------------------------------------------------------------

def _region_cells(row: RegionRow | None) -> list[Cell]:
    if row is None:
        return [Cell("")] * 4
    return [Cell(str(row.checked), row.checked), Cell(str(row.with_problems), row.with_problems),
            Cell(str(row.failed), row.failed), Cell(percent(row.pass_rate, 1))]


def region_summary(data: CircularData) -> Table | None:
    parts = [(label, s) for label, s in (("政府网站", data.website_stats),
                                        ("政务新媒体", data.newmedia_stats)) if s is not None]
    if not parts:
        return None
    columns = ("检查数", "问题数", "不合格数", "合格率")
    if len(parts) == 1:
        header = (_title_row("地区", *columns),)
    else:
        header = ((Cell("地区", rowspan=2), *(Cell(label, colspan=4) for label, _ in parts)),
                  tuple(Cell(c) for _ in parts for c in columns))
    labels = [row.label for row in parts[0][1].region_table]
    tables = [{row.label: row for row in stats.region_table} for _, stats in parts]
    body = tuple(
        (Cell(label, bold=label == "合计"), *(c for t in tables for c in _region_cells(t.get(label))))
        for label in labels
    )
    return Table(header, body, (3, *([1.6] * 4 * len(parts))),
                 window_note(data.website, data.newmedia))


# 上季度发现问题尚未整改清单 (复查) -----------------------------------------------------------------

def _previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _target_name(a: Assessment) -> str:
    if a.website_id:
        return a.website.name
    return f"{a.account.name}（{a.account.get_platform_display()}）"


def _task_state(task: RectificationTask, today) -> str:
    if task.pk is None:
        return "未下发整改任务"
    overdue = "（已逾期）" if task.state != TaskState.ACCEPTED and task.deadline < today else ""
    return task.get_state_display() + overdue


def open_findings(data: CircularData) -> Table | None:
    """The previous quarter's findings not yet rectified (accepted), websites first."""
    tasks = [task for r in data.rectification.values() for task in r.open_tasks]
    if not tasks:
        return None
    # As of the circular's date, like its text: a draft reads the same tomorrow as today.
    today = data.as_of or timezone.localdate()
    header = (_title_row("序号", "地区/单位", "检查对象", "存在问题", "整改期限", "状态"),)
    body = tuple(
        (Cell(str(n), n), Cell(unit_area(task.unit, data.region)),
         Cell(_target_name(task.finding.assessment), align="left"),
         Cell(task.finding.description, align="left"),
         Cell(chinese_date(task.deadline) if task.deadline else ""), Cell(_task_state(task, today)))
        for n, task in enumerate(tasks, start=1)
    )
    # millimetres of the 156 mm type area: 序号, a date or 待整改（已逾期） on one line where it can
    return Table(header, body, (11, 22, 30, 39, 27, 27), f"注：整改状态统计截至{chinese_date(today)}。")


def _open_findings_title(data: CircularData) -> str:
    year, quarter = _previous_quarter(data.year, data.quarter)
    return f"{year}年{QUARTER_WORDS[quarter]}检查发现问题尚未整改清单"


# 专项排查整治仍未整改问题账号 (seed 000, annex 2) -----------------------------------------------------

def open_campaign_items(data: CircularData) -> Table | None:
    """The campaigns' items still open, as registered; with several campaigns a column
    names each item's campaign (one annex, so the text can point at one number)."""
    items = data.open_campaign_items
    if not items:
        return None
    several = len({item.campaign_id for item in items}) > 1
    campaign_column = ("专项排查整治",) if several else ()
    header = (_title_row("序号", *campaign_column, "账号类型", "账号名称", "账号主体", "核查结果"),)
    body = tuple(
        (Cell(str(n), n), *((Cell(item.campaign.name),) if several else ()),
         Cell(target_kind(item)), Cell(item.target.name),
         Cell(item.account.subject_name if item.account_id else item.website.unit.name),
         Cell(item.result))
        for n, item in enumerate(items, start=1)
    )
    days = sorted({item.campaign.checked_on for item in items})
    note = f"注：数据监测采样时间为{'；'.join(chinese_date(day) for day in days)}。"
    # millimetres of the 156 mm type area: 序号, 微信公众号 and 未备案未注销 on one line (五号)
    widths = (11, *((40,) if several else ()), 21.5, 36, 62.5, 25)
    return Table(header, body, widths, note, landscape=several)


def _open_campaign_items_title(data: CircularData) -> str:
    names = list(dict.fromkeys(item.campaign.name for item in data.open_campaign_items))
    return f"{names[0] if len(names) == 1 else '专项排查整治'}工作仍未整改问题账号"


Builder = Callable[[CircularData], Table | None]

def unhandled_messages(data: CircularData) -> Table | None:
    """政民互动平台留言未办理清单 (seed 001, annex 3)."""
    return unhandled_annex(data.region, data.year, data.quarter, as_of=data.as_of)


def has_unhandled_messages(data: CircularData) -> bool:
    return quarter_figures(data.region, data.year, data.quarter, as_of=data.as_of).unhandled > 0


BUILDERS: dict[str, tuple[Builder, Callable[[CircularData], str]]] = {
    AnnexKind.WEBSITE_MATRIX: (website_matrix, lambda d: f"{d.period()}在运行政府网站检查得分情况"),
    AnnexKind.WEBSITE_RESULTS: (website_results, lambda d: f"{d.period()}在运行政府网站检查情况"),
    AnnexKind.FAILING_NEWMEDIA: (failing_newmedia,
                                 lambda d: f"{d.period()}不合格政府系统政务新媒体"),
    AnnexKind.REGION_SUMMARY: (region_summary,
                               lambda d: f"{d.year}年{d.quarter_word}各地区检查情况"),
    AnnexKind.OPEN_FINDINGS: (open_findings, _open_findings_title),
    AnnexKind.OPEN_CAMPAIGN_ITEMS: (open_campaign_items, _open_campaign_items_title),
    AnnexKind.UNHANDLED_MESSAGES: (unhandled_messages,
                                   lambda d: unhandled_annex_title(d.year, d.quarter)),
}


def default_annexes(data: CircularData) -> list[str]:
    """The annexes a new circular carries: the score matrix where websites have group
    scores (else their results), the failing accounts, the previous quarter's open findings
    and the campaigns' open items, each where there are any."""
    kinds = []
    if data.website is not None:
        kinds.append(AnnexKind.WEBSITE_MATRIX if _has_group_scores(_group_scores(data.website)[1])
                     else AnnexKind.WEBSITE_RESULTS)
    if data.newmedia_stats is not None and data.newmedia_stats.this_quarter.failed:
        kinds.append(AnnexKind.FAILING_NEWMEDIA)
    if any(r.open_tasks for r in data.rectification.values()):
        kinds.append(AnnexKind.OPEN_FINDINGS)
    if data.open_campaign_items:
        kinds.append(AnnexKind.OPEN_CAMPAIGN_ITEMS)
    if has_unhandled_messages(data):
        kinds.append(AnnexKind.UNHANDLED_MESSAGES)
    return [str(k) for k in kinds]
