import django_tables2 as tables
from django.db.models import Count

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
