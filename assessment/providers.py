"""Assessment items the portal fills from its own data.

Each provider is a small function registered in PROVIDERS under the AutoSource an item names.
It returns a Measure (how many faults, what they are, links to the evidence) or None when the
portal has no data for that office; the item then says 暂无数据 and the assessor enters it.

Which office a figure is credited to:
- 季度检查 and 检查情况通报 count the checks (Inspection) and issued circulars (Circular) *of
  the office's own region*. An office whose region has no check in the portal that year runs
  its checks elsewhere (a county is checked by the prefecture's checks but is not the office
  running them), so it gets no figure and the assessor enters the item from its own papers.
- 年度报表 counts the reports due in the assessed year, i.e. the previous year's reports
  (due 1月31日 of the assessed year by default), of the office's region and every region below.
- 我为政府网站找错 comes from the `interaction` app: `interaction.statistics.assessment_counts
  (region, year, as_of=today)`, asked once for the assessing region, answers per region
  directly below (its subtree counted) the messages received in the assessed year that are
  past their deadline without a reply on the assessment's date (未办结), those still within
  it (shown, not deducted) and those handled more than a month after receipt. A region the
  portal has no such data for (no message that year and no import covering it) is missing
  from the answer, so its items say 暂无数据 instead of a full-marks zero.

Everything is loaded once per year for all offices (YearData), so a page of results costs a
fixed number of queries whatever the number of offices.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from inspections.choices import QUARTER_WORDS, CheckStatus, Target
from inspections.models import Inspection
from interaction.choices import ChannelKind
from interaction.statistics import AssessmentCounts, assessment_counts
from reports.choices import CircularStatus
from reports.models import Circular
from sites.models import Region

from .choices import AutoSource
from .models import AnnualReport, AssessmentYear

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str = ""


@dataclass(frozen=True)
class Measure:
    faults: int
    summary: str
    evidence: tuple[Evidence, ...] = ()


class YearData:
    """What the providers read for one assessment year, loaded once for every office."""

    def __init__(self, assessment_year: AssessmentYear, offices: list[Region],
                 today: datetime.date):
        self.assessment_year = assessment_year
        self.year = assessment_year.year
        self.offices = offices
        self.today = today

    @cached_property
    def inspections(self) -> dict[int, list[Inspection]]:
        found = defaultdict(list)
        for inspection in Inspection.objects.filter(
                region__in=self.offices, year=self.year).order_by("quarter", "target"):
            found[inspection.region_id].append(inspection)
        return found

    @cached_property
    def circulars(self) -> dict[int, list[Circular]]:
        found = defaultdict(list)
        for circular in Circular.objects.filter(
                region__in=self.offices, year=self.year, status=CircularStatus.ISSUED
        ).order_by("quarter", "doc_year", "doc_number"):
            found[circular.region_id].append(circular)
        return found

    @cached_property
    def previous_reports(self) -> dict[int, list[AnnualReport]]:
        """Last year's 年度报表 (due in the assessed year), by the office they fall under."""
        found = defaultdict(list)
        reports = AnnualReport.objects.filter(
            assessment_year__year=self.year - 1,
            region__path__startswith=self.assessment_year.region.path,
        ).select_related("assessment_year", "region", "website").order_by("region__path", "pk")
        for report in reports:
            for office in self.offices:
                if report.region.path.startswith(office.path):
                    found[office.pk].append(report)
        return found

    @cached_property
    def messages(self) -> Mapping[Region, AssessmentCounts]:
        return assessment_counts(self.assessment_year.region, self.year, as_of=self.today)

    def message_counts(self, region: Region) -> AssessmentCounts | None:
        """The office's 我为政府网站找错 counts; None when the portal has no data for it."""
        return self.messages.get(region)


# The providers ------------------------------------------------------------------------------

def quarterly_checks(data: YearData, region: Region) -> Measure | None:
    """Each quarter, one check of websites and one of new media: 8 a year. A draft check
    (never started) is not held."""
    own = data.inspections.get(region.pk)
    if not own:
        return None
    held = [i for i in own if i.status != CheckStatus.DRAFT]
    done = {(i.quarter, i.target) for i in held}
    missing = [f"{QUARTER_WORDS[q]}{Target(t).label}" for q in QUARTERS for t in Target.values
               if (q, t) not in done]
    summary = f"开展检查{len(done)}次（应为{len(QUARTERS) * len(Target.values)}次）"
    if missing:
        summary += "，未开展：" + "、".join(missing)
    evidence = tuple(Evidence(f"{i}（{i.get_status_display()}）", i.get_absolute_url()) for i in held)
    return Measure(len(missing), summary, evidence)


def circulars_issued(data: YearData, region: Region) -> Measure | None:
    """One issued circular per quarter; counted for offices that run checks in the portal."""
    if not data.inspections.get(region.pk):
        return None
    issued = data.circulars.get(region.pk, [])
    quarters = {c.quarter for c in issued}
    missing = [QUARTER_WORDS[q] for q in QUARTERS if q not in quarters]
    summary = f"签发检查情况通报{len(issued)}份"
    summary += "，未通报：" + "、".join(missing) if missing else "，四个季度均已通报"
    evidence = tuple(Evidence(f"{c.doc_number_text} {c.title}", c.get_absolute_url()) for c in issued)
    return Measure(len(missing), summary, evidence)


def annual_reports_on_time(data: YearData, region: Region) -> Measure | None:
    """Last year's reports not done by their due date (done late, or overdue and not done)."""
    reports = data.previous_reports.get(region.pk)
    if not reports:
        return None
    missed = [r for r in reports if not r.on_time and (r.is_done or data.today > r.due_on)]
    summary = f"{data.year - 1}年度报表{len(reports)}份"
    if missed:
        summary += "，未按时完成：" + "、".join(f"《{r.get_kind_display()}》{r.reporter}" for r in missed)
    else:
        summary += "均按时完成"
    due = reports[0].due_on
    evidence = tuple(
        Evidence(f"《{r.get_kind_display()}》{r.reporter}：{'按时完成' if r.on_time else '未按时完成'}"
                 f"（期限{due.year}年{due.month}月{due.day}日）", r.get_absolute_url())
        for r in reports
    )
    return Measure(len(missed), summary, evidence)


def _message_measure(field: str, words: str) -> Callable[[YearData, Region], Measure | None]:
    def provider(data: YearData, region: Region) -> Measure | None:
        counts = data.message_counts(region)
        if counts is None:
            return None
        count = getattr(counts, field)
        summary = f"{data.year}年度留言{words}{count}条"
        if field == "unhandled":
            summary += _unhandled_aside(counts)
        return Measure(count, summary, _messages_link(region, data.year))

    provider.__name__ = f"messages_{field}"
    return provider


def _unhandled_aside(counts: AssessmentCounts) -> str:
    """（其中1条办理期限暂定…；另有2条尚在办理期限内）"""
    parts = []
    if counts.provisional:
        parts.append(f"其中{counts.provisional}条办理期限暂定（节假日安排尚未录入，暂按周一至周五计算）")
    if counts.in_progress:
        parts.append(f"另有{counts.in_progress}条尚在办理期限内，不扣分")
    return f"（{'；'.join(parts)}）" if parts else ""


def _messages_link(region: Region, year: int) -> tuple[Evidence, ...]:
    query = urlencode({"region": region.pk, "channel_kind": ChannelKind.NATIONAL, "year": year})
    return (Evidence("留言明细", f"{reverse('interaction:message_list')}?{query}"),)


Provider = Callable[[YearData, Region], "Measure | None"]

PROVIDERS: dict[str, Provider] = {
    AutoSource.QUARTERLY_CHECKS: quarterly_checks,
    AutoSource.CIRCULARS: circulars_issued,
    AutoSource.ANNUAL_REPORTS: annual_reports_on_time,
    AutoSource.MESSAGES_UNHANDLED: _message_measure("unhandled", "未办结"),
    AutoSource.MESSAGES_LATE: _message_measure("handled_after_a_month", "办结超过一个月"),
}
