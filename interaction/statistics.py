"""Message figures: per unit, per quarter or date range, for a region subtree; and the
figures of the annual supervision assessment (DOMAIN.md §3).

Every function counts the messages *received* in the period and judges them as things
stood at the end of `as_of` (default: today): a reply dated after `as_of` did not exist
yet. With the deadline stored on each message (workdays.py), each figure is one SQL
aggregate, so the number of queries does not grow with the number of messages.

- received: messages received in the period (and not after `as_of`);
- replied: with a reply; on_time: replied on or before the deadline; late: after it;
- unhandled: no reply yet; overdue: no reply yet and the deadline has passed (deadline <
  as_of), so unhandled − overdue are still within their time limit (pending);
- provisional: received messages whose deadline is provisional (workdays.py): the figures
  that depend on deadlines may still change, and every page that shows them says so.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, fields

from django.db.models import Count, F, Q
from django.utils import timezone

from sites.models import Region, Unit

from .choices import ChannelKind
from .models import Message, MessageImport, replied_q, unreplied_q


@dataclass(frozen=True)
class Figures:
    received: int = 0
    replied: int = 0
    on_time: int = 0
    late: int = 0
    unhandled: int = 0
    overdue: int = 0
    provisional: int = 0

    @property
    def pending(self) -> int:
        """Not replied yet, but still within the time limit."""
        return self.unhandled - self.overdue

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


FIGURE_LABELS = {
    "received": "收到留言", "replied": "已回复", "on_time": "按时回复", "late": "逾期回复",
    "unhandled": "未回复", "overdue": "逾期未回复", "provisional": "期限暂定",
}


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    unit_name: str
    region_name: str
    figures: Figures


def quarter_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a quarter: (2021-10-01, 2021-12-31) for 2021 Q4."""
    last_month = quarter * 3
    return (datetime.date(year, last_month - 2, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]))


def _counts(as_of: datetime.date) -> dict:
    replied = replied_q(as_of)
    return {
        "received": Count("pk"),
        "replied": Count("pk", filter=replied),
        "on_time": Count("pk", filter=replied & Q(replied_at__lte=F("deadline"))),
        "late": Count("pk", filter=replied & Q(replied_at__gt=F("deadline"))),
        "unhandled": Count("pk", filter=unreplied_q(as_of)),
        "overdue": Count("pk", filter=unreplied_q(as_of) & Q(deadline__lt=as_of)),
        "provisional": Count("pk", filter=Q(deadline_provisional=True)),
    }


def received(messages, start: datetime.date, end: datetime.date, as_of: datetime.date):
    """`messages` received from `start` to `end`, and not after `as_of`."""
    return messages.filter(received_at__gte=start, received_at__lte=min(end, as_of))


def figures(messages, start: datetime.date, end: datetime.date, *,
            as_of: datetime.date | None = None) -> Figures:
    """The figures of `messages` (any queryset: scoped, within a region, one channel…)
    received from `start` to `end` inclusive. One query."""
    as_of = as_of or timezone.localdate()
    return Figures(**received(messages, start, end, as_of).aggregate(**_counts(as_of)))


def unit_figures(messages, start: datetime.date, end: datetime.date, *,
                 as_of: datetime.date | None = None) -> list[UnitRow]:
    """One row per unit that received messages in the period, in region order (区划代码)
    and then by unit name. One query."""
    as_of = as_of or timezone.localdate()
    rows = (
        received(messages, start, end, as_of)
        .order_by()
        .values("unit", "unit__name", "unit__region__name", "unit__region__code",
                "unit__region__path")
        .annotate(**_counts(as_of))
    )
    # Sorted here, not in SQL, so that every database orders Chinese names alike.
    rows = sorted(rows, key=lambda r: (r["unit__region__code"] or "~", r["unit__region__path"],
                                       r["unit__name"]))
    return [
        UnitRow(row["unit"], row["unit__name"], row["unit__region__name"],
                Figures(**{name: row[name] for name in FIGURE_LABELS}))
        for row in rows
    ]


def region_figures(region: Region, start: datetime.date, end: datetime.date, *,
                   as_of: datetime.date | None = None) -> Figures:
    """The totals of a region and every region below it."""
    return figures(Message.objects.within(region), start, end, as_of=as_of)


def quarter_figures(region: Region, year: int, quarter: int, *,
                    as_of: datetime.date | None = None) -> Figures:
    return region_figures(region, *quarter_dates(year, quarter), as_of=as_of)


# The annual supervision assessment (监管工作年度考核) -----------------------------------------

@dataclass(frozen=True)
class AssessmentCounts:
    """我为政府网站找错 messages received in the year, as things stood on the assessment's
    date: 未办结 (past the deadline without a reply: −3 each in the 2019 indicators), those
    still within their deadline (办理中, shown but not deducted), and 办结超过一个月 (−2
    each). `provisional`: how many of the 未办结 have a provisional deadline."""

    unhandled: int = 0
    in_progress: int = 0
    handled_after_a_month: int = 0
    provisional: int = 0


def one_month_after(day: datetime.date) -> datetime.date:
    """The same day of the next month, or that month's last day when it is shorter:
    01-31 → 02-28 (02-29 in a leap year), 12-15 → next year's 01-15."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def handled_after_a_month(received: datetime.date, replied: datetime.date) -> bool:
    """办结超过一个月: replied later than one calendar month after receipt. Received 03-15:
    a reply on 04-15 is within the month, on 04-16 it is not."""
    return replied > one_month_after(received)


def assessment_counts(region: Region, year: int, *,
                      as_of: datetime.date | None = None) -> dict[Region | Unit, AssessmentCounts]:
    """Per region directly below `region` (its whole subtree counted) and per unit of
    `region` itself (州直/市直 departments): the 我为政府网站找错 (national channel) messages
    received in `year`, judged on `as_of` (default today; a reply after it did not exist yet).

    Only what the portal has data for has an entry: a region or unit with such messages in
    the year, or one a message import of that year covers (MessageImport), where zero is a
    real figure. Anything else is missing, so the assessment says 暂无数据 instead of
    crediting an office with no messages it never entered. Four queries."""
    as_of = as_of or timezone.localdate()
    children = list(Region.objects.filter(parent=region).order_by("code", "name"))
    units = list(Unit.objects.filter(region=region).order_by("name"))
    imports = list(MessageImport.objects.national_in(year).select_related("region"))
    by_path = {child.path: child for child in children}
    by_unit = {unit.pk: unit for unit in units}
    counts: dict[Region | Unit, list[int]] = {}
    for child in children:
        if any(record.covers(child) for record in imports):
            counts[child] = [0, 0, 0, 0]
    if any(record.covers(region) for record in imports):
        counts.update((unit, [0, 0, 0, 0]) for unit in units)
    messages = (
        Message.objects.within(region)
        .filter(channel__kind=ChannelKind.NATIONAL, received_at__year=year,
                received_at__lte=as_of)
        .values_list("unit_id", "unit__region__path", "received_at", "replied_at", "deadline",
                     "deadline_provisional")
    )
    depth = len(region.path)
    for unit_id, path, received_on, replied, deadline, provisional in messages:
        key = by_unit.get(unit_id) or by_path.get(path[:path.index("/", depth) + 1])
        tally = counts.setdefault(key, [0, 0, 0, 0])
        if replied is None or replied > as_of:
            if deadline < as_of:
                tally[0] += 1
                tally[3] += provisional
            else:
                tally[1] += 1
        elif handled_after_a_month(received_on, replied):
            tally[2] += 1
    return {key: AssessmentCounts(*values) for key, values in counts.items()}
