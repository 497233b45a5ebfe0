"""What the rectification and the checks have waiting for a user (common.todo)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from common.todo import Todo

from . import rectification
from .choices import CheckStatus, TaskState
from .models import Inspection, RectificationTask


def todos(user) -> list[Todo]:
    return [*_tasks(user), *_review(user), *_scoring(user)]


def _task_list(**query) -> str:
    return f"{reverse('inspections:task_list')}?{urlencode(query)}"


def _tasks(user) -> list[Todo]:
    """The tasks in scope past their deadline; and, for a liaison, those to work on: new and
    returned."""
    if not user.has_perm("inspections.view_rectificationtask"):
        return []
    today = timezone.localdate()
    counts = RectificationTask.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(state=TaskState.OPEN)),
        returned=Count("pk", filter=Q(state=TaskState.RETURNED)),
        overdue=Count("pk", filter=~Q(state=TaskState.ACCEPTED) & Q(deadline__lt=today)),
    )
    overdue = Todo("已逾期的整改任务", counts["overdue"], _task_list(overdue="yes"),
                   "已过整改期限，尚未审核通过", urgent=True)
    if not user.has_perm(rectification.REPORT) or user.has_perm(rectification.REVIEW):
        return [overdue]
    return [
        overdue,
        Todo("待整改", counts["open"], _task_list(state=TaskState.OPEN), "写明整改情况，上传佐证材料后提交"),
        Todo("被退回的整改", counts["returned"], _task_list(state=TaskState.RETURNED),
             "按退回理由修改后重新提交"),
    ]


def _review(user) -> list[Todo]:
    if not user.has_perm(rectification.REVIEW):
        return []
    waiting = rectification.awaiting_review(user).count()
    return [Todo("待审核的整改", waiting, reverse("inspections:task_review_list"), "通过，或写明理由退回")]


def _scoring(user) -> list[Todo]:
    """An inspector's checks in scoring with targets still unscored, one line each."""
    checks = (
        Inspection.objects.visible_to(user)
        .filter(status=CheckStatus.SCORING, inspectors=user)
        .annotate(unscored=Count("assessments", filter=Q(assessments__scored_at__isnull=True)))
        .filter(unscored__gt=0).order_by("-year", "-quarter", "target")
    )
    return [
        Todo(f"{check}待评分", check.unscored,
             f"{reverse('inspections:inspection_assessments', args=[check.pk])}?result=unscored",
             "检查对象尚未评分")
        for check in checks
    ]
