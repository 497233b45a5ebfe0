"""Government new-media accounts (政务新媒体)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.models import DatedStatusModel, running_on_q
from common.scope import ScopedQuerySet
from sites.models import Unit

from .choices import AccountStatus, Filing, Platform


class AccountQuerySet(ScopedQuerySet):
    def running_on(self, day):
        return self.filter(running_on_q(day))

    def registered_running_on(self, day):
        """The population of a check: filed (已备案) accounts running at the end of `day`."""
        return self.running_on(day).filter(filing=Filing.FILED)


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
