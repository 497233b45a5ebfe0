"""The directory: regions, 主办单位, government websites; and the users with their scope."""

from __future__ import annotations

import re
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.models import DatedStatusModel, TreeModel, running_on_q
from common.scope import NOTHING, ScopedQuerySet, scope_q

from .choices import RegionLevel, WebsiteKind, WebsiteStatus
from .roles import Role

SITE_CODE_RE = r"^(\d{10}|bm\d{8})$"
site_code_validator = RegexValidator(
    SITE_CODE_RE, "网站标识码应为10位数字，或“bm”加8位数字。", code="site_code"
)
region_code_validator = RegexValidator(r"^\d{6}$", "区划代码应为6位数字。", code="region_code")


class RegionQuerySet(ScopedQuerySet):
    region_lookup = ""
    unit_lookup = None


class Region(TreeModel):
    """A node of the region tree the office oversees: 省 → 市/州 → 县/市/区."""

    name = models.CharField("地区名称", max_length=100)
    code = models.CharField(
        "区划代码", max_length=6, blank=True, validators=[region_code_validator]
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name="上级地区",
    )
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "地区"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name"),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="region_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sites:region", args=[self.pk])

    @property
    def is_top(self) -> bool:
        return self.parent_id is None

    @property
    def short_word(self) -> str:
        """The one character offices use for the region: 文山州 → 州, 咸宁市 → 市, 四川省 → 省."""
        for suffix, word in (("自治区", "区"), ("自治州", "州"), ("省", "省"), ("州", "州"),
                             ("盟", "盟"), ("市", "市"), ("区", "区"), ("县", "县")):
            if self.name.endswith(suffix):
                return word
        return dict(RegionLevel.choices)[self.level]

    @property
    def direct_label(self) -> str:
        """The row of directly-administered units in a region table: 州直, 市直, 省直."""
        return f"{self.short_word}直"

    @property
    def whole_label(self) -> str:
        """How a circular names the whole region: 全州, 全市, 全省."""
        return f"全{self.short_word}"

    @staticmethod
    def level_below(parent_level: str | None, name: str) -> str | None:
        """The level a new region takes: a root by its name, a child one step below its
        parent's level (None under a 县, which has no regions below it)."""
        if parent_level is None:
            if re.search(r"(省|自治区)$", name):
                return RegionLevel.PROVINCE
            return RegionLevel.CITY
        return RegionLevel.below(parent_level)

    def clean(self):
        super().clean()
        if self.parent_id and self.level and not RegionLevel.is_below(self.level, self.parent.level):
            raise ValidationError({"level": (
                f"层级应低于上级地区“{self.parent}”的层级（{self.parent.get_level_display()}）。"
            )})


class UnitQuerySet(ScopedQuerySet):
    region_lookup = "region__"
    unit_lookup = ""


class Unit(TreeModel):
    """主办单位: a government, department or town that runs websites and accounts."""

    name = models.CharField("单位名称", max_length=200)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="units", verbose_name="所属地区"
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name="上级单位",
    )
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "主办单位"
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sites:unit", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id and self.region_id and not self.region.is_within(self.parent.region):
            raise ValidationError({"parent": "上级单位应在本单位所属地区或其上级地区。"})


class WebsiteQuerySet(ScopedQuerySet):
    def running_on(self, day):
        return self.filter(running_on_q(day))


class Website(DatedStatusModel):
    site_code = models.CharField(
        "网站标识码", max_length=10, unique=True, validators=[site_code_validator]
    )
    name = models.CharField("网站名称", max_length=200)
    url = models.URLField("首页网址", max_length=500)
    kind = models.CharField("网站类型", max_length=20, choices=WebsiteKind.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="websites", verbose_name="主办单位"
    )
    status = models.CharField(
        "运行状态", max_length=20, choices=WebsiteStatus.choices, default=WebsiteStatus.RUNNING
    )
    history = HistoricalRecords()

    objects = WebsiteQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "政府网站"
        ordering = ["unit__region__path", "-kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sites:website", args=[self.pk])

    @property
    def region(self) -> Region:
        return self.unit.region


class UserQuerySet(ScopedQuerySet):
    """A user is within an admin's scope through the unit they belong to, or else through
    their region. A unit's admin oversees the people of that unit and its child units, never
    those of the unit's whole region."""

    def visible_to(self, user):
        by_unit = Q(unit__isnull=False) & scope_q(user, "unit__region__", "unit__")
        if getattr(user, "unit_id", None) and not user.is_superuser:
            by_region = NOTHING
        else:
            by_region = Q(unit__isnull=True) & scope_q(user, "region__", None)
        return self.filter(by_unit | by_region)

    def within(self, region):
        return self.filter(
            Q(unit__isnull=False, unit__region__path__startswith=region.path)
            | Q(unit__isnull=True, region__path__startswith=region.path)
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user, natural keys) with the scope of UserQuerySet."""


class User(AbstractUser):
    """A portal user, who sees the subtree of one region or one unit (their scope)."""

    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name="所属地区", help_text="用户可查看该地区及其下级地区的全部数据。",
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name="所属单位", help_text="填写后，用户只能查看本单位及其下级单位的数据。",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("sites:user", args=[self.pk])

    def get_full_name(self) -> str:
        # Chinese names are written family name first, with no space.
        return f"{self.last_name}{self.first_name}".strip()

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Role) -> bool:
        return self.is_superuser or any(role.value in self.role_names for role in roles)

    @property
    def scope_label(self) -> str:
        if self.unit_id:
            return self.unit.name
        if self.region_id:
            return self.region.name
        return "全部" if self.is_superuser else "无"
