import django_tables2 as tables
from django.db.models import Count

from common.tables import DateColumn

from .models import Region, Unit, Website


class RegionTable(tables.Table):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)
    unit_count = tables.Column("本级单位数", attrs={"td": {"class": "num"}})
    website_count = tables.Column("本级网站数", attrs={"td": {"class": "num"}})

    class Meta:
        model = Region
        fields = ["name", "code", "level", "parent", "unit_count", "website_count"]
        order_by = "path"

    @staticmethod
    def annotate(queryset):
        return queryset.annotate(
            unit_count=Count("units", distinct=True),
            website_count=Count("units__websites", distinct=True),
        ).order_by("path")


class UnitTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(linkify=True, order_by="region__path")
    parent = tables.Column()
    website_count = tables.Column("网站数", attrs={"td": {"class": "num"}})
    account_count = tables.Column("新媒体账号数", attrs={"td": {"class": "num"}})

    class Meta:
        model = Unit
        fields = ["name", "region", "parent", "website_count", "account_count"]

    @staticmethod
    def annotate(queryset):
        return queryset.annotate(
            website_count=Count("websites", distinct=True),
            account_count=Count("accounts", distinct=True),
        ).order_by("region__path", "name")


class WebsiteTable(tables.Table):
    site_code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    region = tables.Column("所属地区", accessor="unit__region__name", order_by="unit__region__path")
    unit = tables.Column(order_by="unit__name")
    url = tables.Column()
    opened_on = DateColumn()
    closed_on = DateColumn()

    class Meta:
        model = Website
        fields = [
            "site_code", "name", "region", "unit", "kind", "status", "url", "opened_on",
            "closed_on",
        ]
