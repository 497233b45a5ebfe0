import django_tables2 as tables
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from common.tables import DateColumn

from .choices import ReportState
from .models import AnnualReport, AssessmentYear


class AnnualReportTable(tables.Table):
    year = tables.Column("年度", accessor="assessment_year__year")
    reporter = tables.Column("报表单位", accessor="reporter", linkify=True,
                             order_by=("region__path", "website__name"))
    region = tables.Column("地区", accessor="region__name", order_by="region__path")
    due_on = DateColumn(verbose_name="发布期限", accessor="assessment_year__report_due_on")
    state = tables.Column("状态", accessor="pk", orderable=False)
    on_time = tables.Column("按期完成", accessor="pk", orderable=False)
    url = tables.Column("发布网址")
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i")
    pdf = tables.Column("PDF", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta:
        model = AnnualReport
        fields = ["year", "kind", "reporter", "region", "due_on", "state", "on_time", "url",
                  "submitted_at", "pdf"]
        order_by = ("-year", "reporter")

    def render_state(self, record):
        state = record.state_on(timezone.localdate())
        css = {"done": "status-closed", "overdue": "fail", "pending": "status-scoring"}[state]
        return format_html('<span class="badge {}">{}</span>', css, ReportState(state).label)

    def value_state(self, record):
        return ReportState(record.state_on(timezone.localdate())).label

    def render_on_time(self, record):
        if not record.is_done:
            return "—"
        return "是" if record.on_time else "否"

    def value_on_time(self, record):
        return self.render_on_time(record)

    def render_url(self, value):
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', value, value)

    def render_pdf(self, record):
        if not record.file:
            return "—"
        return format_html('<a href="{}">下载</a>', reverse("assessment:report_file", args=[record.pk]))


class AssessmentYearTable(tables.Table):
    year = tables.Column(linkify=True)
    region = tables.Column(order_by="region__path")
    report_count = tables.Column("年度报表", attrs={"td": {"class": "num"}})
    done_count = tables.Column("已完成", attrs={"td": {"class": "num"}})
    locked = tables.Column("考核状态", accessor="locked_at", order_by="locked_at",
                           default="进行中")
    report_due_on = DateColumn()

    class Meta:
        model = AssessmentYear
        fields = ["year", "region", "scheme", "report_due_on", "report_count", "done_count", "locked"]

    def render_locked(self, value):
        return f"已锁定（{timezone.localtime(value):%Y-%m-%d}）"

    def value_locked(self, value):
        return self.render_locked(value) if value else "进行中"

    @staticmethod
    def annotate(queryset):
        return queryset.annotate(
            report_count=Count("reports", distinct=True),
            done_count=Count("reports", filter=Q(reports__submitted_at__isnull=False), distinct=True),
        ).order_by("-year", "region__path")


def _points(value) -> str:
    return f"{value.normalize():f}"


class OfficeResultTable(tables.Table):
    """The year's results in rank order (scoring.OfficeResult rows), as on the year page
    and its download."""

    rank = tables.Column("排名", attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    region = tables.Column("地区", accessor="office", linkify=True)
    deduction = tables.Column("扣分指标得分", attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    bonus = tables.Column("加分", accessor="pk", empty_values=(),
                          attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    total = tables.Column("得分", attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    conclusion = tables.Column("结论")
    summary = tables.Column("扣分情况", accessor="summary", attrs={"td": {"class": "small"}})

    class Meta:
        orderable = False
        empty_text = "没有参加考核的地区。"
        row_attrs = {"class": lambda record: "" if record.passed else "row-fail"}

    def render_region(self, record) -> str:
        return record.region.name

    def render_deduction(self, value) -> str:
        return _points(value)

    def render_total(self, value):
        return format_html("<strong>{}</strong>", _points(value))

    def value_total(self, value) -> str:
        return _points(value)

    def render_bonus(self, record):
        if record.bonus is None and record.bonus_entered:
            return format_html('<span class="muted" title="扣分指标得分未超过加分门槛，加分不计">{}</span>',
                               self.value_bonus(record))
        return self.value_bonus(record)

    def value_bonus(self, record) -> str:
        if record.bonus is not None:
            return _points(record.bonus)
        return f"（{_points(record.bonus_entered)}，不计）" if record.bonus_entered else "—"
