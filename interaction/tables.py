import django_tables2 as tables
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from common.scope import scope_q
from common.tables import DateColumn
from inspections.formatting import percent

from .models import Channel, HolidayOverride, Message
from .statistics import FIGURE_LABELS, Figures, UnitRow


class MessageTable(tables.Table):
    external_id = tables.Column(linkify=True)
    channel = tables.Column(order_by="channel__name")
    unit = tables.Column(order_by="unit__name")
    region = tables.Column("所属地区", accessor="unit__region__name", order_by="unit__region__path")
    received_at = DateColumn()
    deadline = DateColumn()
    # Shown as a mark beside the deadline; a column of its own in the downloads.
    deadline_provisional = tables.Column(visible=False)
    replied_at = DateColumn()
    state = tables.Column("办理状态", empty_values=(), order_by="status")

    class Meta:
        model = Message
        fields = ["channel", "external_id", "unit", "region", "received_at", "deadline",
                  "deadline_provisional", "replied_at", "state"]
        order_by = "-received_at"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_deadline(self, value, record: Message):
        if not record.deadline_provisional:
            return f"{value:%Y-%m-%d}"
        return format_html('{} <span class="badge status-scoring" title="{}">暂定</span>',
                           f"{value:%Y-%m-%d}", "节假日安排尚未录入，暂按周一至周五计算")

    def value_deadline(self, value):
        return value  # a real date in the downloads

    def value_deadline_provisional(self, value) -> str:
        return "是" if value else ""

    def render_state(self, record: Message) -> str:
        return record.state_label(self.today)


class ChannelTable(tables.Table):
    name = tables.Column(linkify=True)
    reply_days = tables.Column(attrs={"td": {"class": "num"}})
    website = tables.Column(order_by="website__name")
    region = tables.Column(order_by="region__path")
    message_count = tables.Column("留言数（本辖区）", attrs={"td": {"class": "num"}})

    class Meta:
        model = Channel
        fields = ["name", "kind", "reply_days", "website", "region", "message_count"]

    @staticmethod
    def annotate(queryset, user):
        """Count only the messages the user may see: shared channels serve every region."""
        visible = scope_q(user, "messages__unit__region__", "messages__unit__")
        return queryset.annotate(
            message_count=Count("messages", filter=visible or None)
        ).order_by("kind", "name")


NUM = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}


def _figure_column(name: str, label: str) -> tables.Column:
    return tables.Column(label, accessor=f"figures__{name}", attrs=NUM,
                         footer=lambda table: getattr(table.total, name))


class MessageStatisticsTable(tables.Table):
    """One row per unit (statistics.UnitRow), a column per figure, and the total in the
    footer; the download has the total as its last row."""

    region_name = tables.Column("所属地区", footer="合计")
    unit_name = tables.Column("所属单位")
    on_time_rate = tables.Column("按时回复率", accessor="figures", orderable=False, attrs=NUM,
                                 footer=lambda table: _rate(table.total))

    class Meta:
        empty_text = "本期间没有收到网民留言。"

    def __init__(self, data: list[UnitRow], **kwargs):
        super().__init__(
            data, sequence=["region_name", "unit_name", *FIGURE_LABELS, "on_time_rate"],
            extra_columns=[(name, _figure_column(name, label))
                           for name, label in FIGURE_LABELS.items()], **kwargs)
        self.total = sum((row.figures for row in data), Figures())

    def render_on_time_rate(self, value: Figures) -> str:
        return _rate(value)

    def total_row(self) -> list:
        return ["合计", "", *(getattr(self.total, name) for name in FIGURE_LABELS),
                _rate(self.total)]


def _rate(counted: Figures) -> str:
    return percent(counted.on_time, counted.received)


class HolidayOverrideTable(tables.Table):
    day = DateColumn(linkify=True)
    weekday = tables.Column("星期", accessor="day", orderable=False)
    is_working_day = tables.Column("类型", accessor="get_is_working_day_display",
                                   order_by="is_working_day")
    actions = tables.Column("", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta:
        model = HolidayOverride
        fields = ["day", "weekday", "is_working_day", "note", "actions"]
        order_by = "day"

    def __init__(self, *args, can_edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("actions")

    def render_weekday(self, value) -> str:
        return "星期" + "一二三四五六日"[value.weekday()]

    def render_actions(self, value) -> str:
        return format_html('<a href="{}">编辑</a> <a href="{}">删除</a>',
                           reverse("interaction:holiday_edit", args=[value]),
                           reverse("interaction:holiday_delete", args=[value]))
