"""A check's life: draft (targets drawn, adjustable) → scoring → closed (locked)."""

from __future__ import annotations

from django.db import transaction

from .choices import CheckMode, CheckStatus, Target
from .models import Assessment, Inspection
from .sampling import draw, population


class WorkflowError(Exception):
    """An action the check's state does not allow; the message says why, in Chinese."""


def _require(inspection: Inspection, status: str, action: str) -> None:
    if inspection.status != status:
        raise WorkflowError(
            f"检查处于“{inspection.get_status_display()}”状态，不能{action}。"
        )


@transaction.atomic
def populate(inspection: Inspection) -> int:
    """Create the assessments of a draft check: every target of the population (全覆盖) or a
    sample drawn from it (抽查), shared round-robin among the assigned inspectors."""
    _require(inspection, CheckStatus.DRAFT, "重新生成检查对象")
    targets = population(inspection)
    chosen = targets
    if inspection.mode == CheckMode.SAMPLE:
        chosen = draw(
            targets, seed=inspection.sample_seed, rate=inspection.sample_rate,
            size=inspection.sample_size, top_region=inspection.region,
            by_region=inspection.stratify_by_region, by_platform=inspection.stratify_by_platform,
        )
    inspection.assessments.filter(scored_at__isnull=True).delete()
    inspection.population_size = len(targets)
    inspection.save(update_fields=["population_size"])
    inspectors = list(inspection.inspectors.order_by("pk"))
    field = "website" if inspection.target == Target.WEBSITES else "account"
    kept = set(inspection.assessments.values_list(f"{field}_id", flat=True))
    chosen = sorted((t for t in chosen if t.pk not in kept),
                    key=lambda t: (t.unit.region.path, t.pk))
    Assessment.objects.bulk_create(
        Assessment(inspection=inspection, unit_id=t.unit_id, **{field: t},
                   assigned_to=inspectors[i % len(inspectors)] if inspectors else None)
        for i, t in enumerate(chosen)
    )
    return len(chosen)


def candidates(inspection: Inspection) -> list:
    """Targets of the population not yet in the check, which may be added by hand."""
    field = "website" if inspection.target == Target.WEBSITES else "account"
    taken = set(inspection.assessments.values_list(f"{field}_id", flat=True))
    return [t for t in population(inspection) if t.pk not in taken]


def add_target(inspection: Inspection, target) -> Assessment:
    _require(inspection, CheckStatus.DRAFT, "加入检查对象")
    field = "website" if inspection.target == Target.WEBSITES else "account"
    return Assessment.objects.create(inspection=inspection, unit_id=target.unit_id, **{field: target})


def remove_target(assessment: Assessment) -> None:
    _require(assessment.inspection, CheckStatus.DRAFT, "移除检查对象")
    if assessment.is_scored:
        raise WorkflowError(f"“{assessment.target}”已有评分，不能移除。")
    assessment.delete()


def start_scoring(inspection: Inspection) -> None:
    _require(inspection, CheckStatus.DRAFT, "开始评分")
    if not inspection.assessments.exists():
        raise WorkflowError("检查对象为空，不能开始评分。")
    inspection.status = CheckStatus.SCORING
    inspection.save(update_fields=["status"])


def close(inspection: Inspection) -> None:
    _require(inspection, CheckStatus.SCORING, "结束检查")
    unscored = inspection.assessments.filter(scored_at__isnull=True).count()
    if unscored:
        raise WorkflowError(f"还有 {unscored} 个检查对象未评分，不能结束检查。")
    inspection.status = CheckStatus.CLOSED
    inspection.save(update_fields=["status"])
