import django_tables2 as tables
from django.db.models import Count
from django.db.models.functions import Concat
from django.utils import timezone

from common.tables import DateColumn

from .models import Region, Unit, User, Website
from .users import role_of


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


class UserTable(tables.Table):
    username = tables.Column(linkify=True)
    full_name = tables.Column("姓名", order_by=("last_name", "first_name"))
    role = tables.Column("角色", accessor="pk", orderable=False)
    scope = tables.Column("所属地区/单位", accessor="pk", order_by=("unit__name", "region__path"))
    email = tables.Column("邮箱")
    is_active = tables.Column("启用")
    last_login = tables.Column("最近登录", default="从未登录")

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "scope", "email", "is_active", "last_login"]
        order_by = "username"

    @staticmethod
    def annotate(queryset):
        # 姓名 as written (family name first), so the search finds "李虹霞" as typed.
        return queryset.annotate(full_name=Concat("last_name", "first_name")).order_by("username")

    def render_role(self, record):
        role = role_of(record)
        return role.name if role else "—"

    def render_scope(self, record):
        return record.scope_label

    def render_is_active(self, value):
        return "是" if value else "否"

    def render_last_login(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

    value_role = render_role
    value_scope = render_scope
    value_is_active = render_is_active
    value_last_login = render_last_login
