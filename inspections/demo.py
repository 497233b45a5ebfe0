"""The demo's 2021 Q3 and Q4 website checks of 文山州, with the group scores of annex 1 of
seed 000 (fixtures/demo/wenshan.json). Every total, average and verdict is computed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from common.models import sync_rows
from sites.models import Region, User, Website

from .assessments import recompute
from .choices import CheckMode, CheckStatus, Target
from .models import Assessment, Inspection, Scheme, Score
from .sampling import population
from .scoring import SchemeTree


@transaction.atomic
def load_inspections(data: dict) -> None:
    top = Region.objects.get(parent=None, name=data["regions"][0]["name"])
    for item in data["inspections"]:
        _load_inspection(top, item)


def _load_inspection(top: Region, item: dict) -> None:
    scheme = Scheme.objects.default_for(item["target"])
    start, end = (datetime.date.fromisoformat(day) for day in item["window"])
    inspection, _ = Inspection.objects.get_or_create(
        region=top, year=item["year"], quarter=item["quarter"], target=item["target"],
        defaults={"mode": CheckMode.FULL, "window_start": start, "window_end": end,
                  "scheme": scheme, "status": CheckStatus.CLOSED, "population_size": 0},
    )
    inspectors = list(User.objects.filter(username__in=item["inspectors"]).order_by("pk"))
    inspection.inspectors.set(inspectors)
    if item["target"] == Target.NEWMEDIA:
        _load_all_pass(inspection, inspectors, end)
        return
    sites = {w.site_code: w for w in Website.objects.filter(site_code__in=item["scores"])}
    assessments = sync_rows(Assessment, ("inspection_id", "website_id"), [
        {"inspection_id": inspection.pk, "website_id": site.pk, "unit_id": site.unit_id,
         "assigned_to_id": inspectors[i % len(inspectors)].pk}
        for i, site in enumerate(sites.values())
    ])
    tree = SchemeTree.of(scheme)
    scored_at = _evening(end)
    score_rows = []
    for code, groups in item["scores"].items():
        assessment = assessments[(inspection.pk, sites[code].pk)]
        score_rows += [
            {"assessment_id": assessment.pk, "indicator_id": tree.by_name[name],
             "points": Decimal(str(points))}
            for name, points in groups.items()
        ]
    sync_rows(Score, ("assessment_id", "indicator_id"), score_rows)
    Assessment.objects.filter(inspection=inspection, scored_at=None).update(scored_at=scored_at)
    recompute(list(inspection.assessments.all()), tree)
    Inspection.objects.filter(pk=inspection.pk).update(
        population_size=len(population(inspection))
    )


def _evening(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(18), tzinfo=datetime.UTC)


def _load_all_pass(inspection: Inspection, inspectors: list, end: datetime.date) -> None:
    """A full new-media check in which no account had a problem, so the scoring rules find
    every one 合格 (seed 000: 经检查均为合格)."""
    targets = population(inspection)
    sync_rows(Assessment, ("inspection_id", "account_id"), [
        {"inspection_id": inspection.pk, "account_id": t.pk, "unit_id": t.unit_id,
         "assigned_to_id": inspectors[i % len(inspectors)].pk}
        for i, t in enumerate(targets)
    ])
    inspection.assessments.filter(scored_at=None).update(scored_at=_evening(end))
    recompute(list(inspection.assessments.all()), SchemeTree.of(inspection.scheme))
    Inspection.objects.filter(pk=inspection.pk).update(population_size=len(targets))
