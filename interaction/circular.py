"""What a quarter's circular says about citizen messages (seed 001, 一、(三) and annex 3):
one sentence of figures and the annex of messages not yet handled. Both return None when
the region has no message received in the quarter, so the circular can leave them out or
say the data is missing. Where deadlines are provisional (a year's holiday schedule is not
entered), the sentence says so instead of presenting the guess as fact."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.utils import timezone

from inspections.choices import QUARTER_WORDS
from reports.document import Cell, Table
from sites.models import Region

from .models import Message, unreplied_q
from .statistics import figures, quarter_dates, received
from .workdays import missing_schedule_note


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def figures_sentence(region: Region, year: int, quarter: int, *,
                     as_of: datetime.date | None = None) -> str | None:
    """2021年第四季度，全州政府网站政民互动平台共收到网民留言429条，已回复425条，逾期未回复4条。

    A clause is added for late replies (其中逾期回复…) and for messages still within their
    time limit (尚在办理时限内…) only when there are any, so the figures always add up; and a
    sentence when some deadlines are provisional: 其中2条留言的办理期限为暂定：2027年节假日
    安排尚未录入，办理期限暂按周一至周五计算。"""
    as_of = as_of or timezone.localdate()
    start, end = quarter_dates(year, quarter)
    messages = Message.objects.within(region)
    counted = figures(messages, start, end, as_of=as_of)
    if not counted.received:
        return None
    text = (f"{year}年第{QUARTER_WORDS[quarter]}，{region.whole_label}政府网站政民互动平台"
            f"共收到网民留言{counted.received}条，已回复{counted.replied}条")
    if counted.late:
        text += f"（其中逾期回复{counted.late}条）"
    text += f"，逾期未回复{counted.overdue}条"
    if counted.pending:
        text += f"，尚在办理时限内{counted.pending}条"
    text += "。"
    if counted.provisional:
        years = received(messages, start, end, as_of).unconfirmed_years()
        text += f"其中{counted.provisional}条留言的办理期限为暂定：{missing_schedule_note(years)}。"
    return text


def unhandled_annex_title(year: int, quarter: int) -> str:
    """2021年四季度政府网站“政民互动”平台留言未办理清单."""
    return f"{year}年{QUARTER_WORDS[quarter]}政府网站“政民互动”平台留言未办理清单"


def unhandled_annex(region: Region, year: int, quarter: int, *,
                    as_of: datetime.date | None = None) -> Table | None:
    """序号, 所属部门, ID, 留言时间, 办理情况: the messages received in the quarter without a
    reply by `as_of` (default today). 所属部门 is the county (the region directly below
    `region`) or, for a unit of `region` itself, the unit (市农业农村局); consecutive rows of
    one 所属部门 share a merged cell, as printed. None when the quarter has no messages."""
    as_of = as_of or timezone.localdate()
    start, end = quarter_dates(year, quarter)
    in_quarter = received(Message.objects.within(region), start, end, as_of)
    if not in_quarter.exists():
        return None
    rows = list(
        in_quarter.filter(unreplied_q(as_of))
        .values_list("external_id", "received_at", "unit__name", "unit__region_id",
                     "unit__region__path")
    )
    children = {child.path: child for child in Region.objects.filter(parent=region)}
    depth = len(region.path)

    def area(unit_name: str, region_id: int, path: str) -> tuple[tuple, str]:
        """(sort key, 所属部门): counties in code order first, then the region's own units."""
        if region_id == region.pk:
            return (1, "", unit_name), unit_name
        child = children[path[:path.index("/", depth) + 1]]
        return (0, child.code or "~", child.name), child.name

    listed = sorted(
        (*area(unit, region_id, path), day, external_id)
        for external_id, day, unit, region_id, path in rows
    )
    header = (tuple(Cell(title) for title in ("序号", "所属部门", "ID", "留言时间", "办理情况")),)
    body = []
    for label, group in groupby(listed, key=lambda row: row[1]):
        group = list(group)
        for index, (_, _, day, external_id) in enumerate(group):
            number = len(body) + 1
            cells = [Cell(str(number), number)]
            if index == 0:
                cells.append(Cell(label, rowspan=len(group)))
            cells += [Cell(external_id), Cell(f"{day.year}.{day.month}.{day.day}"),
                      Cell("未办结")]
            body.append(tuple(cells))
    if not body:
        body = [(Cell("本季度收到的网民留言均已办结。", colspan=5),)]
    return Table(header, tuple(body), (1, 4, 2, 2.4, 2), _note(start, end, as_of))


def _note(start: datetime.date, end: datetime.date, as_of: datetime.date) -> str:
    """注：以上数据采样时间2021年10月1日—2021年12月31日，办理情况统计截至2022年1月10日。"""
    if as_of <= end:
        return f"注：以上数据采样时间{_chinese_date(start)}—{_chinese_date(as_of)}。"
    return (f"注：以上数据采样时间{_chinese_date(start)}—{_chinese_date(end)}，"
            f"办理情况统计截至{_chinese_date(as_of)}。")
