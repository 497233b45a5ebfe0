"""The rectification tasks table: the task list, the review queue and their exports."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from common.tables import DateColumn

from .models import RectificationTask
from .rectification import describe

# What the table reads of each task, in the same query.
TASK_RELATED = (
    "unit__region", "finding__assessment__inspection", "finding__assessment__website",
    "finding__assessment__account", "campaign_item__campaign", "campaign_item__website",
    "campaign_item__account",
)


def source_name(task: RectificationTask) -> str:
    """The check or the campaign (专项排查整治) the task comes from."""
    if task.finding_id:
        return str(task.finding.assessment.inspection)
    return task.campaign_item.campaign.name


class TaskTable(tables.Table):
    problem = tables.Column("问题/对象", accessor="pk", linkify=True, orderable=False)
    source = tables.Column("检查或专项", accessor="pk", orderable=False)
    unit = tables.Column("责任单位", order_by="unit__name")
    region = tables.Column("所属地区", accessor="unit__region__name", order_by="unit__region__path")
    deadline = DateColumn()
    state = tables.Column()
    overdue = tables.Column("是否逾期", accessor="pk", orderable=False)
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = RectificationTask
        fields = ["problem", "source", "unit", "region", "deadline", "state", "overdue",
                  "submitted_at"]
        row_attrs = {"class": lambda table, record: "row-fail" if table.is_overdue(record) else ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def is_overdue(self, record: RectificationTask) -> bool:
        return record.is_overdue(self.today)

    def render_problem(self, record):
        return Truncator(describe(record)).chars(60)

    def value_problem(self, record):
        return describe(record)

    def render_source(self, record):
        return source_name(record)

    def value_source(self, record):
        return source_name(record)

    def render_state(self, record):
        return render_to_string("inspections/_task_badge.html", {"task": record, "plain": True})

    def value_state(self, record):
        return record.get_state_display()

    def render_overdue(self, record):
        return mark_safe('<span class="badge status-fail">已逾期</span>') if self.is_overdue(record) else ""

    def value_overdue(self, record):
        return "是" if self.is_overdue(record) else "否"
