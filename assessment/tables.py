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
