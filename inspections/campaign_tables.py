"""Tables of the campaign pages (专项排查整治): the campaigns, and one campaign's items."""

import django_tables2 as tables
from django.db.models import Count, Q
from django.utils.html import format_html

from common.tables import DateColumn

from .choices import TaskState
from .models import Campaign, CampaignItem

TASK_STATE = (
    '{% if record.task %}<a href="{{ record.task.get_absolute_url }}">'
    "{{ record.task.get_state_display }}</a>{% else %}未下发{% endif %}"
)


class CampaignTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(order_by="region__path")
    started_on = DateColumn()
    checked_on = DateColumn()
    deadline = DateColumn()
    item_count = tables.Column("问题数", attrs={"td": {"class": "num"}})
    open_count = tables.Column("仍未整改", attrs={"td": {"class": "num"}})

    class Meta:
        model = Campaign
        fields = ["name", "region", "started_on", "checked_on", "deadline", "item_count",
                  "open_count"]

    @staticmethod
    def annotate(queryset):
        return queryset.annotate(
            item_count=Count("items"),
            open_count=Count("items", filter=~Q(items__task__state=TaskState.ACCEPTED)),
        ).order_by("-started_on", "name")


def item_kind(item: CampaignItem) -> str:
    """账号类型: the account's platform, or 政府网站."""
    return item.account.get_platform_display() if item.account_id else "政府网站"


def item_subject(item: CampaignItem) -> str:
    """账号主体: the platform's registered subject, else the unit that runs the target."""
    return item.account.subject_name if item.account_id else item.website.unit.name


class CampaignItemTable(tables.Table):
    target = tables.Column("账号（网站）名称", accessor="pk",
                           order_by=("account__name", "website__name"))
    kind = tables.Column("账号类型", accessor="pk", order_by=("account__platform", "pk"))
    subject = tables.Column("账号主体", accessor="pk", orderable=False)
    region = tables.Column("所属地区", accessor="unit__region__name", order_by="unit__region__path")
    unit = tables.Column("责任单位", order_by="unit__name")
    result = tables.Column()
    state = tables.TemplateColumn(TASK_STATE, verbose_name="整改状态", accessor="pk",
                                  order_by=("task__state", "pk"))
    deadline = DateColumn(verbose_name="整改期限", accessor="task__deadline")

    class Meta:
        model = CampaignItem
        fields = ["target", "kind", "subject", "region", "unit", "result", "state", "deadline"]

    def render_target(self, record):
        return format_html('<a href="{}">{}</a>', record.target.get_absolute_url(),
                           record.target.name)

    def value_target(self, record):
        return record.target.name

    def render_kind(self, record):
        return item_kind(record)

    def value_kind(self, record):
        return item_kind(record)

    def render_subject(self, record):
        return item_subject(record)

    def value_subject(self, record):
        return item_subject(record)

    def value_state(self, record):
        return record.task.get_state_display() if hasattr(record, "task") else "未下发"

