"""Government new-media accounts (政务新媒体)."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.models import DatedStatusModel, running_on_q
from common.scope import ScopedQuerySet
from sites.models import Region, Unit

from .choices import AccountStatus, Filing, Platform


def registered_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Accounts that were filed (已备案) at the end of `day`.

    Read like running_on_q: a filed account without a 备案日期 was filed before the portal
    knew of it; an account withdrawn after `day` (撤销备案日期) still counts for `day`.
    """
    filed_by_then = Q(**{f"{prefix}filed_on__isnull": True}) | Q(**{f"{prefix}filed_on__lte": day})
    still_filed = Q(**{f"{prefix}filing": Filing.FILED})
    withdrawn_later = Q(**{f"{prefix}unfiled_on__gt": day})
    return filed_by_then & (still_filed | withdrawn_later)


class AccountQuerySet(ScopedQuerySet):
    def running_on(self, day):
        return self.filter(running_on_q(day))

    def registered_running_on(self, day):
        """The population of a check: accounts filed (已备案) and running at the end of `day`."""
        return self.filter(running_on_q(day) & registered_on_q(day))


class Account(DatedStatusModel):
    name = models.CharField("账号名称", max_length=200)
    platform = models.CharField("平台", max_length=20, choices=Platform.choices)
    account_type = models.CharField(
        "账号类型", max_length=50, blank=True, help_text="如：订阅号、服务号"
    )
    account_id = models.CharField("账号ID", max_length=200, blank=True)
    subject = models.CharField(
        "账号主体", max_length=200, blank=True,
        help_text="平台认证的主体名称；与主办单位名称相同时可留空。",
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="accounts", verbose_name="主办单位"
    )
    filing = models.CharField(
        "备案状态", max_length=20, choices=Filing.choices, default=Filing.FILED
    )
    filed_on = models.DateField(
        "备案日期", null=True, blank=True, help_text="不详可留空（视为早已备案）"
    )
    unfiled_on = models.DateField(
        "撤销备案日期", null=True, blank=True, help_text="曾备案、现为未备案的账号填写"
    )
    status = models.CharField(
        "运行状态", max_length=20, choices=AccountStatus.choices, default=AccountStatus.RUNNING
    )
    history = HistoricalRecords()

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "政务新媒体账号"
        ordering = ["unit__region__path", "platform", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "name"], name="account_unique_name"),
            models.UniqueConstraint(
                fields=["platform", "account_id"], condition=~Q(account_id=""),
                name="account_unique_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_platform_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("newmedia:account", args=[self.pk])

    @property
    def subject_name(self) -> str:
        return self.subject or self.unit.name

    @staticmethod
    def filing_dates(filing: str, on: datetime.date) -> dict:
        """The dates a change to `filing` on `on` records.

        Filing dates 备案日期 and forgets an earlier withdrawal (only the latest filed period
        is kept); withdrawing dates 撤销备案日期 and keeps 备案日期, so past quarters keep
        the account.
        """
        if filing == Filing.FILED:
            return {"filed_on": on, "unfiled_on": None}
        return {"unfiled_on": on}

    def set_filing(self, filing: str, on: datetime.date) -> None:
        if filing == self.filing:
            return
        self.filing = filing
        for name, value in self.filing_dates(filing, on).items():
            setattr(self, name, value)

    def clean(self):
        super().clean()
        if self.filing == Filing.FILED and self.unfiled_on:
            raise ValidationError({"unfiled_on": "已备案的账号不应有撤销备案日期。"})
        if self.filing == Filing.UNFILED and self.filed_on and not self.unfiled_on:
            raise ValidationError({"unfiled_on": (
                "曾备案的账号请填写撤销备案日期；从未备案的请清空备案日期。"
            )})
        if self.filed_on and self.unfiled_on and self.unfiled_on < self.filed_on:
            raise ValidationError({"unfiled_on": "撤销备案日期不能早于备案日期。"})


# 信息报送系统核查 (registry reconciliation) ----------------------------------------------------

class DifferenceKind(models.TextChoices):
    """How two lists of accounts disagree about one account."""

    ONLY_LEFT = "only_left", "仅名单一有"
    ONLY_RIGHT = "only_right", "仅名单二有"
    TYPE_DIFFERS = "type_differs", "账号类型不一致"
    STATUS_DIFFERS = "status_differs", "运行状态不一致"
    UNIT_DIFFERS = "unit_differs", "主办单位不一致"


class ReconciliationQuerySet(ScopedQuerySet):
    region_lookup = "region__"
    unit_lookup = None


def kept_list_name(instance, filename: str) -> str:
    return f"reconciliations/{uuid.uuid4().hex}.xlsx"


class Reconciliation(models.Model):
    """One comparison of two account lists: the national system's (全国政务新媒体信息报送系统)
    against the provincial platform's, or either against this portal's directory."""

    name = models.CharField("名称", max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="地区")
    left_label = models.CharField("名单一来源", max_length=50)
    right_label = models.CharField("名单二来源", max_length=50)
    left_file = models.CharField("名单一文件", max_length=255)
    right_file = models.CharField(
        "名单二文件", max_length=255, blank=True, help_text="与本门户名录比对时为空"
    )
    # The uploaded workbooks, kept so that registering an account from a difference reads its
    # row again (stored under random names, never served directly).
    left_upload = models.FileField("名单一工作簿", upload_to=kept_list_name, blank=True)
    right_upload = models.FileField("名单二工作簿", upload_to=kept_list_name, blank=True)
    left_count = models.PositiveIntegerField("名单一账号数", default=0)
    right_count = models.PositiveIntegerField("名单二账号数", default=0)
    created_at = models.DateTimeField("比对时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="比对人",
    )

    objects = ReconciliationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "信息报送系统核查"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newmedia:reconciliation", args=[self.pk])

    @property
    def against_directory(self) -> bool:
        return not self.right_file

    def kind_label(self, kind: str) -> str:
        """A kind named by this comparison's sources: 仅全国政务新媒体信息报送系统有."""
        if kind == DifferenceKind.ONLY_LEFT:
            return f"仅{self.left_label}有"
        if kind == DifferenceKind.ONLY_RIGHT:
            return f"仅{self.right_label}有"
        return DifferenceKind(kind).label


class ReconciliationDifferenceQuerySet(ScopedQuerySet):
    """Scoped by the account's region and responsible unit, like the accounts themselves."""

    region_lookup = "region__"
    unit_lookup = "unit__"


class ReconciliationDifference(models.Model):
    reconciliation = models.ForeignKey(
        Reconciliation, models.CASCADE, related_name="differences", verbose_name="信息报送系统核查"
    )
    kind = models.CharField("差异类型", max_length=20, choices=DifferenceKind.choices)
    platform = models.CharField("平台", max_length=20, choices=Platform.choices)
    name = models.CharField("账号名称", max_length=200)
    account_id = models.CharField("账号ID", max_length=200, blank=True)
    left_value = models.CharField("名单一", max_length=200, blank=True)
    right_value = models.CharField("名单二", max_length=200, blank=True)
    description = models.CharField("差异说明", max_length=500)
    unit_name = models.CharField("主办单位（名单所列）", max_length=200, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="所属地区")
    matched_account = models.ForeignKey(
        Account, models.SET_NULL, null=True, blank=True, related_name="reconciliation_differences",
        verbose_name="名录中的账号",
    )
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="责任单位"
    )
    note = models.TextField("备注", blank=True)
    campaign_item = models.ForeignKey(
        "inspections.CampaignItem", models.SET_NULL, null=True, blank=True,
        related_name="reconciliation_differences", verbose_name="问题账号（整改）",
    )

    objects = ReconciliationDifferenceQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "核查差异"
        ordering = ["reconciliation", "region__path", "platform", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_platform_display()}）：{self.description}"

    @property
    def can_become_task(self) -> bool:
        """A campaign item needs an account of the directory and its unit."""
        return self.matched_account_id is not None and self.unit_id is not None
