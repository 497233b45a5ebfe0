"""What the 年度报表 have waiting for a user (common.todo): those in their scope not done,
past their due date or still in time."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from common.todo import Todo

from .choices import ReportState
from .models import AnnualReport, state_q


def todos(user) -> list[Todo]:
    if not user.has_perm("assessment.change_annualreport"):
        return []
    today = timezone.localdate()
    counts = AnnualReport.objects.visible_to(user).aggregate(
        overdue=Count("pk", filter=state_q(ReportState.OVERDUE, today)),
        pending=Count("pk", filter=state_q(ReportState.PENDING, today)),
    )
    url = reverse("assessment:report_list")
    return [
        Todo("逾期未完成的年度报表", counts["overdue"], f"{url}?state={ReportState.OVERDUE}",
             "填写发布网址并上传PDF", urgent=True),
        Todo("待填报的年度报表", counts["pending"], f"{url}?state={ReportState.PENDING}",
             "填写发布网址并上传PDF"),
    ]
