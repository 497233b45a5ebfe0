"""Indicator schemes, quarterly checks, assessments (one per checked target), their scores
and findings. Totals and conclusions are computed (inspections.scoring), never typed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.scope import ScopedQuerySet, SharedQuerySet
from newmedia.models import Account
from sites.models import Region, Unit, Website

from .choices import (
    QUARTER_WORDS,
    QUARTERS,
    CheckMode,
    CheckStatus,
    IndicatorKind,
    Target,
    TaskAction,
    TaskState,
)

POINTS = {"max_digits": 6, "decimal_places": 2}


class SchemeQuerySet(SharedQuerySet):
    def default_for(self, target: str) -> Scheme | None:
        return self.filter(target=target, is_default=True).first()


class Scheme(models.Model):
    """A versioned tree of indicators for one target (指标体系)."""

    name = models.CharField("名称", max_length=100, unique=True)
    target = models.CharField("检查对象", max_length=20, choices=Target.choices)
    pass_mark = models.DecimalField("合格分数线", default=Decimal(60), **POINTS)
    bonus_threshold = models.DecimalField(
        "加分门槛", default=Decimal(80), **POINTS, help_text="扣分指标得分超过此分数才计加分"
    )
    is_default = models.BooleanField("默认指标体系", default=False)
    based_on = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="copies",
        verbose_name="复制自",
    )
    description = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "指标体系"
        ordering = ["target", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=Q(is_default=True), name="one_default_scheme_per_target"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:scheme", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        """A scheme that a closed check was scored under must stay as it was."""
        return self.inspections.filter(status=CheckStatus.CLOSED).exists()


class IndicatorBase(models.Model):
    """An indicator of a tree-shaped scheme: veto (no points), deduction or bonus (with its
    points); a child has its parent's kind. Subclasses add the scheme and parent links."""

    name = models.CharField("指标名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=IndicatorKind.choices)
    max_points = models.DecimalField(
        "分值", null=True, blank=True, **POINTS, validators=[MinValueValidator(0)]
    )
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        if self.max_points is not None:
            return f"{self.name}（{self.max_points.normalize():f}分）"
        return self.name

    def clean(self):
        super().clean()
        if self.kind == IndicatorKind.VETO and self.max_points is not None:
            raise ValidationError({"max_points": "单项否决指标没有分值。"})
        if self.parent_id and self.parent.kind != self.kind:
            raise ValidationError({"kind": "下级指标的类型应与上级指标相同。"})


class Indicator(IndicatorBase):
    scheme = models.ForeignKey(
        Scheme, models.CASCADE, related_name="indicators", verbose_name="指标体系"
    )
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children",
        verbose_name="上级指标",
    )
    rule = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标"
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="indicator_unique_name"),
        ]


class InspectionQuerySet(ScopedQuerySet):
    region_lookup = "region__"
    unit_lookup = None

    def visible_to(self, user):
        # A check covers a whole region: a unit's contact sees their assessments, not it.
        if getattr(user, "unit_id", None) and not user.is_superuser:
            return self.none()
        return super().visible_to(user)


class Inspection(models.Model):
    """One quarter's check of one kind of target in a region (检查批次)."""

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="inspections", verbose_name="检查范围"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField("季度", choices=QUARTERS)
    target = models.CharField("检查对象", max_length=20, choices=Target.choices)
    mode = models.CharField("方式", max_length=20, choices=CheckMode.choices,
                            default=CheckMode.FULL)
    window_start = models.DateField("监测开始日期")
    window_end = models.DateField("监测结束日期")
    scheme = models.ForeignKey(
        Scheme, models.PROTECT, related_name="inspections", verbose_name="指标体系"
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_checks",
        verbose_name="检查员",
    )
    status = models.CharField("状态", max_length=20, choices=CheckStatus.choices,
                              default=CheckStatus.DRAFT)
    population_size = models.PositiveIntegerField("应检查总数", null=True, blank=True)
    sample_seed = models.PositiveBigIntegerField("抽样种子", null=True, blank=True)
    sample_rate = models.DecimalField("抽查比例（%）", null=True, blank=True, max_digits=5,
                                      decimal_places=2)
    sample_size = models.PositiveIntegerField("抽查数量", null=True, blank=True)
    stratify_by_region = models.BooleanField("按地区分层", default=False)
    stratify_by_platform = models.BooleanField("按平台分层", default=False)
    rectification_days = models.PositiveSmallIntegerField(
        "整改期限（天）", default=30, help_text="发现问题后默认的整改期限，可逐项调整"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="创建人",
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检查批次"
        ordering = ["-year", "-quarter", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "quarter", "target"], name="one_check_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{QUARTER_WORDS[self.quarter]}{self.get_target_display()}检查"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection", args=[self.pk])

    def clean(self):
        super().clean()
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise ValidationError({"window_end": "监测结束日期不能早于开始日期。"})
        if self.scheme_id and self.target and self.scheme.target != self.target:
            raise ValidationError({"scheme": "指标体系的检查对象与本次检查不一致。"})

    @property
    def quarter_end(self) -> datetime.date:
        month = self.quarter * 3
        return datetime.date(self.year + month // 12, month % 12 + 1, 1) - datetime.timedelta(1)

    @property
    def is_closed(self) -> bool:
        return self.status == CheckStatus.CLOSED

    def previous(self) -> Inspection | None:
        """The same region's check of the same target one quarter earlier (looked up once
        per instance: the statistics, the recheck and the annexes all ask)."""
        if "_previous" not in self.__dict__:
            year, quarter = (self.year, self.quarter - 1) if self.quarter > 1 else (self.year - 1, 4)
            self._previous = Inspection.objects.filter(
                region_id=self.region_id, target=self.target, year=year, quarter=quarter
            ).first()
        return self._previous

    def status_refusal(self) -> str | None:
        """Why this check's state takes no scores or findings (None while 评分中): a draft's
        targets and scheme may still change, a closed check is locked."""
        if self.status == CheckStatus.DRAFT:
            return f"{self}尚未开始评分（草稿），请管理员在检查页面点击“开始评分”后再录入。"
        if self.is_closed:
            return f"{self}已结束，评分已锁定。"
        return None

    def scoring_refusal(self, user) -> str | None:
        """Why `user` may not enter scores or findings in this check, or None if they may:
        admins, and the inspectors assigned to it, while it is being scored."""
        from sites.roles import Role

        refusal = self.status_refusal()
        if refusal is not None:
            return refusal
        if user.has_perm("inspections.change_assessment") and (
            user.has_role(Role.ADMIN) or self.inspectors.filter(pk=user.pk).exists()
        ):
            return None
        return "只读：您不是本次检查的检查员，不能评分或记录问题。"

    def can_score(self, user) -> bool:
        return self.scoring_refusal(user) is None


class AssessmentQuerySet(ScopedQuerySet):
    """Scoped by the unit that ran the target when it was checked."""

    def for_websites(self):
        return self.filter(website__isnull=False)


class Assessment(models.Model):
    """One target's result in one check: scores, veto findings, computed total and verdict."""

    inspection = models.ForeignKey(
        Inspection, models.CASCADE, related_name="assessments", verbose_name="检查批次"
    )
    website = models.ForeignKey(
        Website, models.PROTECT, null=True, blank=True, related_name="assessments",
        verbose_name="政府网站",
    )
    account = models.ForeignKey(
        Account, models.PROTECT, null=True, blank=True, related_name="assessments",
        verbose_name="政务新媒体账号",
    )
    # The target's unit when it was checked, so past quarters keep their regions.
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="主办单位")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="负责检查员",
    )
    not_applicable = models.JSONField(
        "不适用的一级指标", default=list, blank=True,
        help_text="如没有对外服务职能的部门不考核“办事服务”，总分按比例折算为百分制",
    )
    deduction_score = models.DecimalField("扣分指标得分", null=True, blank=True, **POINTS)
    bonus_score = models.DecimalField("加分", null=True, blank=True, **POINTS)
    total = models.DecimalField("得分", null=True, blank=True, **POINTS)
    vetoed = models.BooleanField("单项否决", default=False)
    passed = models.BooleanField("合格", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="评分人",
    )
    version = models.PositiveIntegerField("版本", default=0)
    history = HistoricalRecords(excluded_fields=["version"])

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检查结果"
        ordering = ["inspection", "unit__region__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "website"], name="assessment_unique_website"),
            models.UniqueConstraint(fields=["inspection", "account"], name="assessment_unique_account"),
            models.CheckConstraint(
                condition=Q(website__isnull=False, account__isnull=True)
                | Q(website__isnull=True, account__isnull=False),
                name="assessment_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}（{self.inspection}）"

    def get_absolute_url(self) -> str:
        return reverse("inspections:assessment", args=[self.pk])

    @property
    def target(self) -> Website | Account:
        return self.website or self.account

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None

    @property
    def conclusion(self) -> str:
        if self.passed is None:
            return "未评分"
        return "合格" if self.passed else "不合格"


class Score(models.Model):
    """Points earned on one indicator (at any level of the scheme)."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="scores", verbose_name="检查结果"
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="scores", verbose_name="指标"
    )
    points = models.DecimalField("得分", **POINTS, validators=[MinValueValidator(0)])
    note = models.CharField("扣分说明", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "指标得分"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.points}"


class FindingQuerySet(ScopedQuerySet):
    region_lookup = "assessment__unit__region__"
    unit_lookup = "assessment__unit__"


class Finding(models.Model):
    """A problem found on a target (存在问题); a veto needs one."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="findings", verbose_name="检查结果"
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, null=True, blank=True, related_name="findings",
        verbose_name="指标",
    )
    description = models.TextField("问题描述")
    url = models.URLField("网址", max_length=1000, blank=True)
    post_dates = models.JSONField("发布时间", default=list, blank=True,
                                  help_text="有问题的信息的发布日期（政务新媒体）")
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="检查员",
    )
    history = HistoricalRecords()

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "存在问题"
        ordering = ["assessment", "pk"]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def is_veto(self) -> bool:
        return self.indicator_id is not None and self.indicator.kind == IndicatorKind.VETO

    def post_date_list(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(day) for day in self.post_dates]


def screenshot_path(instance, filename: str) -> str:
    """A random name: the uploader's file name never reaches the file system."""
    import uuid

    return f"findings/{uuid.uuid4().hex}"


class Screenshot(models.Model):
    finding = models.ForeignKey(
        Finding, models.CASCADE, related_name="screenshots", verbose_name="存在问题"
    )
    image = models.FileField("截图", upload_to=screenshot_path)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="上传人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "问题截图"

    def __str__(self) -> str:
        return self.original_name


# 专项排查整治 --------------------------------------------------------------------------------

class CampaignQuerySet(ScopedQuerySet):
    region_lookup = "region__"
    unit_lookup = None


class Campaign(models.Model):
    """A campaign (专项排查整治) against a list of problem accounts or websites, such as the
    accounts still running without 备案 (未备案未注销)."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="campaigns",
                               verbose_name="地区")
    name = models.CharField("名称", max_length=200)
    started_on = models.DateField("开始日期")
    checked_on = models.DateField("核查日期", help_text="数据监测采样时间")
    deadline = models.DateField("整改期限")
    description = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专项排查整治"
        ordering = ["-started_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:campaign", args=[self.pk])


class CampaignItemQuerySet(ScopedQuerySet):
    pass


class CampaignItem(models.Model):
    """One problem account or website of a campaign, with its 核查结果."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="items",
                                 verbose_name="专项排查整治")
    account = models.ForeignKey(Account, models.PROTECT, null=True, blank=True,
                                related_name="campaign_items", verbose_name="政务新媒体账号")
    website = models.ForeignKey(Website, models.PROTECT, null=True, blank=True,
                                related_name="campaign_items", verbose_name="政府网站")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="责任单位")
    result = models.CharField("核查结果", max_length=200, help_text="如：未备案未注销")

    objects = CampaignItemQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "问题账号（网站）"
        ordering = ["campaign", "unit__region__code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(website__isnull=False, account__isnull=True)
                | Q(website__isnull=True, account__isnull=False),
                name="campaign_item_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}：{self.result}"

    @property
    def target(self) -> Website | Account:
        return self.website or self.account


# 整改 -------------------------------------------------------------------------------------

class TaskQuerySet(ScopedQuerySet):
    """Scoped by the responsible unit: a liaison sees the tasks of their region or unit."""

    def overdue(self, today: datetime.date):
        return self.exclude(state=TaskState.ACCEPTED).filter(deadline__lt=today)

    def unfinished(self):
        return self.exclude(state=TaskState.ACCEPTED)


class RectificationTask(models.Model):
    """整改任务: a finding's (or a campaign item's) rectification by the responsible unit.

    States: 待整改 → 已提交 → 已通过, or 已提交 → 已退回 → 已提交 again
    (inspections.rectification holds the transitions)."""

    # PROTECT: a finding is withdrawn only through rectification.release, which refuses once
    # the unit has started work on it.
    finding = models.OneToOneField(Finding, models.PROTECT, null=True, blank=True,
                                   related_name="task", verbose_name="存在问题")
    campaign_item = models.OneToOneField(CampaignItem, models.CASCADE, null=True, blank=True,
                                         related_name="task", verbose_name="问题账号（网站）")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="tasks", verbose_name="责任单位")
    deadline = models.DateField("整改期限")
    state = models.CharField("状态", max_length=20, choices=TaskState.choices,
                             default=TaskState.OPEN)
    report = models.TextField("整改情况", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField("下发时间", auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "整改任务"
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__isnull=False, campaign_item__isnull=True)
                | Q(finding__isnull=True, campaign_item__isnull=False),
                name="task_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"整改任务 {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:task", args=[self.pk])

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state != TaskState.ACCEPTED and self.deadline < today


class TaskEvent(models.Model):
    """Every step of a task: who, when, what (and the reason of a return)."""

    task = models.ForeignKey(RectificationTask, models.CASCADE, related_name="events",
                             verbose_name="整改任务")
    action = models.CharField("操作", max_length=20, choices=TaskAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def evidence_path(instance, filename: str) -> str:
    """A random name outside any public URL: the uploader's file name never reaches disk."""
    import uuid

    return f"evidence/{uuid.uuid4().hex}"


class Evidence(models.Model):
    task = models.ForeignKey(RectificationTask, models.CASCADE, related_name="evidence",
                             verbose_name="整改任务")
    file = models.FileField("文件", upload_to=evidence_path)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name="上传人")

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
