import django_tables2 as tables

from common.tables import DateColumn

from .models import Account


class AccountTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column("所属地区", accessor="unit__region__name", order_by="unit__region__path")
    unit = tables.Column(order_by="unit__name")
    filed_on = DateColumn()
    opened_on = DateColumn()
    closed_on = DateColumn()

    class Meta:
        model = Account
        fields = [
            "name", "platform", "account_type", "account_id", "region", "unit", "subject",
            "filing", "filed_on", "status", "opened_on", "closed_on",
        ]
