"""Recheck (复查): what earlier rounds left open. The previous quarter's findings of a check
(found, rectified, still open), and the campaign items still open at a quarter's end. Each
answer takes a fixed number of queries, whatever the number of findings or items."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Count, Q

from sites.models import Region

from .choices import TaskState
from .models import CampaignItem, Finding, Inspection, RectificationTask


class Rectification(NamedTuple):
    """How the findings of one check were rectified: N found, M accepted, and the open ones
    by region, as the annexes list targets. A finding that never got a task counts as open:
    it is listed as an unsaved task (pk None, no deadline), so the figures and the lists agree."""

    found: int
    done: int
    open_tasks: list[RectificationTask]

    @property
    def still_open(self) -> int:
        return self.found - self.done


def rectification_of(inspection: Inspection | None) -> Rectification:
    """The rectification of one check's findings, as of now (two queries)."""
    if inspection is None or inspection.pk is None:
        return Rectification(0, 0, [])
    findings = Finding.objects.filter(assessment__inspection=inspection)
    counts = findings.aggregate(
        found=Count("pk"), done=Count("pk", filter=Q(task__state=TaskState.ACCEPTED)))
    if not counts["found"]:
        return Rectification(0, 0, [])
    unfinished = (
        findings.exclude(task__state=TaskState.ACCEPTED)
        .select_related("task__unit__region", "assessment__website", "assessment__account",
                        "assessment__unit__region")
        .order_by("assessment__unit__region__code", "assessment__unit__region__path",
                  "assessment__pk", "pk")
    )
    return Rectification(counts["found"], counts["done"], [_task(f) for f in unfinished])


def _task(finding: Finding) -> RectificationTask:
    return getattr(finding, "task", None) or RectificationTask(
        finding=finding, unit=finding.assessment.unit, deadline=None)


def previous_quarter_rectification(inspection: Inspection) -> Rectification:
    """(found, done, open_tasks) of the same region's check of the same target one quarter
    before `inspection` (which may be unsaved: a circular's quarter without a check)."""
    return rectification_of(inspection.previous())


def recheck_context(inspection: Inspection) -> dict:
    """What the check page's 复查 section shows."""
    previous = inspection.previous()
    return {"previous_check": previous, "rectification": rectification_of(previous)}


def open_campaign_items(region: Region, day: datetime.date) -> list[CampaignItem]:
    """Items in `region` of the campaigns checked on or before `day` whose task is not
    已通过 now, campaign by campaign, each in the order it was registered (one query)."""
    return list(
        CampaignItem.objects.within(region)
        .filter(campaign__checked_on__lte=day)
        .exclude(task__state=TaskState.ACCEPTED)
        .select_related("campaign", "account__unit", "website__unit", "unit__region", "task")
        .order_by("campaign__checked_on", "campaign__pk", "pk")
    )
