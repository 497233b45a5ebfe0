import django_tables2 as tables
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import Circular


class CircularTable(tables.Table):
    doc_number = tables.Column("发文字号", accessor="pk", linkify=True,
                               order_by=("doc_year", "doc_number"))
    title = tables.Column(linkify=True)
    period = tables.Column("季度", accessor="year", order_by=("year", "quarter"))
    receipt_count = tables.Column("签收", attrs={"td": {"class": "num"}})
    issued_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = Circular
        fields = ["doc_number", "title", "period", "status", "issued_at", "receipt_count"]

    def render_doc_number(self, record):
        return record.doc_number_text

    def value_doc_number(self, record):
        return record.doc_number_text

    def render_period(self, record):
        return f"{record.year}年第{record.quarter}季度"

    def value_period(self, record):
        return self.render_period(record)

    @staticmethod
    def annotate(queryset):
        return queryset.annotate(receipt_count=Count("receipts")).order_by(
            "-year", "-quarter", "-doc_year", "-doc_number")


TIME = "Y-m-d H:i"
NOT_SIGNED = mark_safe('<span class="fail">未签收</span>')


class ReceivedByColumn(tables.Column):
    """Who signed (签收) for the row's addressee, or 未签收 marked as missing."""

    empty_values = ()

    def __init__(self, **kwargs):
        super().__init__("签收人", accessor="receipt__received_by", orderable=False, **kwargs)

    def render(self, value):
        return value if value else NOT_SIGNED

    def value(self, value):
        return str(value) if value else "未签收"


class ReceiptTable(tables.Table):
    """签收情况: each addressee of an issued circular (issuing.receipt_table rows)."""

    addressee = tables.Column("收文地区或单位", orderable=False)
    received_by = ReceivedByColumn()
    received_at = tables.DateTimeColumn(format=TIME, verbose_name="签收时间",
                                        accessor="receipt__received_at", orderable=False, default="")

    class Meta:
        empty_text = "这份通报没有收文地区或单位。"


class HandlingOverviewTable(tables.Table):
    """各地处理情况: each addressed region's 签收 and the stage of its 公文处理笺."""

    region = tables.Column("地区", orderable=False)
    received_by = ReceivedByColumn()
    received_at = tables.DateTimeColumn(format=TIME, verbose_name="签收时间",
                                        accessor="receipt__received_at", orderable=False, default="")
    stage = tables.Column("处理情况", accessor="handling__stage", orderable=False, empty_values=())
    updated_at = tables.DateTimeColumn(format=TIME, verbose_name="最后填写",
                                       accessor="handling__updated_at", orderable=False, default="")
    sheet = tables.Column("处理笺", accessor="region", orderable=False, exclude_from_export=True,
                          attrs={"td": {"class": "nowrap"}})

    class Meta:
        empty_text = "您的范围内没有收文地区。"

    def __init__(self, data, *, circular, **kwargs):
        super().__init__(data, **kwargs)
        self.circular = circular

    def render_sheet(self, value):
        args = [self.circular.pk, value.pk]
        return format_html('<a href="{}">查看</a> · <a href="{}">打印</a>',
                           reverse("reports:handling_sheet", args=args),
                           reverse("reports:handling_print", args=args))

    def render_stage(self, value):
        value = value or "未处理"
        tone = {"已办结": " status-closed", "未处理": ""}.get(value, " status-scoring")
        return format_html('<span class="badge{}">{}</span>', tone, value)

    def value_stage(self, value):
        return value or "未处理"
