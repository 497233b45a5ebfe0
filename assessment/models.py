"""The supervising offices' annual work: the 年度报表 duties, and the annual assessment of
each county/city office (监管工作年度考核) under a scheme kept as data.

Totals, verdicts and ranks are computed (assessment.scoring), never typed; items the portal
has data for are filled from it (assessment.providers).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.scope import ScopedQuerySet, SharedQuerySet
from inspections.choices import IndicatorKind
from inspections.models import POINTS, IndicatorBase
from sites.models import Region, Unit, Website

from .choices import AutoSource, ReportKind, ReportState

# 考核指标 ---------------------------------------------------------------------------------------

class SchemeQuerySet(SharedQuerySet):
    def default(self) -> Scheme | None:
        return self.filter(is_default=True).first()


class Scheme(models.Model):
    """监管工作年度考核指标: veto items, deduction items (100 points), bonus items (20)."""

    name = models.CharField("名称", max_length=100, unique=True)
    pass_mark = models.DecimalField("合格分数线", default=60, **POINTS)
    bonus_threshold = models.DecimalField(
        "加分门槛", default=80, **POINTS, help_text="扣分指标得分超过此分数才计加分"
    )
    is_default = models.BooleanField("默认考核指标", default=False,
                                     help_text="新建考核年度时默认使用")
    description = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "监管工作考核指标"
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                    name="assessment_one_default_scheme"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        """A scheme a locked year was scored under must stay as it was."""
        return self.years.filter(locked_at__isnull=False).exists()


class Item(IndicatorBase):
    """One indicator: a veto item, or a deduction or bonus group and its items.

    Points are entered on the leaves: for a deduction item the points deducted (扣分), for a
    bonus item the points awarded; a group loses at most its own points (扣完为止).
    """

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="items",
                               verbose_name="考核指标")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True,
                               related_name="children", verbose_name="上级指标")
    points_each = models.DecimalField(
        "每处分值", null=True, blank=True, **POINTS, validators=[MinValueValidator(0)],
        help_text="自动计分项每发现一处扣的分数（不超过分值）",
    )
    source = models.CharField("数据来源", max_length=30, choices=AutoSource.choices, blank=True,
                              help_text="留空则由考核人员填写")
    rule = models.TextField("评分细则", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核指标项"
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="assessment_item_unique_name"),
        ]

    def clean(self):
        super().clean()
        if self.kind != IndicatorKind.VETO and self.max_points is None:
            raise ValidationError({"max_points": "扣分和加分指标需要分值。"})
        if self.parent_id and self.scheme_id and self.parent.scheme_id != self.scheme_id:
            raise ValidationError({"parent": "上级指标应属于同一套考核指标。"})
        if self.source and (self.kind != IndicatorKind.DEDUCTION or self.points_each is None):
            raise ValidationError({"points_each": "自动计分项应为扣分指标，并填写每处分值。"})


# 考核年度 ---------------------------------------------------------------------------------------

class RegionWorkQuerySet(ScopedQuerySet):
    """Rows about a region's government office: a unit's contact sees none of them."""

    region_lookup = "region__"
    unit_lookup = None

    def visible_to(self, user):
        if getattr(user, "unit_id", None) and not user.is_superuser:
            return self.none()
        return super().visible_to(user)


def default_due_on(year: int) -> datetime.date:
    """年度报表 are published by 1月31日 of the next year unless the office sets otherwise."""
    return datetime.date(year + 1, 1, 31)


class AssessmentYear(models.Model):
    """A year of an office's supervision work: the 年度报表 due date, the assessment of its
    county/city offices under one scheme, and whether that assessment is locked."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="assessment_years",
                               verbose_name="组织考核地区")
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="years",
                               verbose_name="考核指标")
    report_due_on = models.DateField("年度报表发布期限", help_text="默认为次年1月31日")
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name="锁定人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = RegionWorkQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考核年度"
        ordering = ["-year", "region__path"]
        permissions = [("lock_assessmentyear", "可以锁定考核年度")]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="assessment_one_year_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.region}{self.year}年度"

    def save(self, *args, **kwargs):
        if self.report_due_on is None and self.year:
            self.report_due_on = default_due_on(self.year)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("assessment:year", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def office_regions(self):
        """The offices assessed: the regions directly below (counties and cities)."""
        return Region.objects.filter(parent=self.region).order_by("code", "name")


class OfficeAssessment(models.Model):
    """One county/city office's assessment in a year; what the assessor entered is in its
    ItemScores, and the total, verdict and rank are computed."""

    assessment_year = models.ForeignKey(AssessmentYear, models.CASCADE, related_name="offices",
                                        verbose_name="考核年度")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+",
                               verbose_name="被考核地区")
    version = models.PositiveIntegerField("版本", default=0)

    objects = RegionWorkQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "监管工作考核"
        ordering = ["assessment_year", "region__code", "region__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment_year", "region"],
                                    name="assessment_one_per_office"),
        ]

    def __str__(self) -> str:
        return f"{self.region}{self.assessment_year.year}年度监管工作考核"

    def get_absolute_url(self) -> str:
        return reverse("assessment:office", args=[self.pk])


class ItemScore(models.Model):
    """The assessor's entry on one item (points deducted or awarded, or a veto, with a note);
    or, once the year is locked, the snapshot of an automatic item with its evidence."""

    office = models.ForeignKey(OfficeAssessment, models.CASCADE, related_name="scores",
                               verbose_name="监管工作考核")
    item = models.ForeignKey(Item, models.PROTECT, related_name="scores", verbose_name="指标")
    points = models.DecimalField("扣分/加分", null=True, blank=True, **POINTS,
                                 validators=[MinValueValidator(0)])
    vetoed = models.BooleanField("单项否决", default=False)
    note = models.TextField("说明", blank=True)
    automatic = models.BooleanField("自动计分", default=False,
                                    help_text="锁定时按本平台数据计算并保存")
    evidence = models.JSONField("依据", default=list, blank=True,
                                help_text="[{\"label\": …, \"url\": …}]")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "考核指标得分"
        constraints = [
            models.UniqueConstraint(fields=["office", "item"], name="assessment_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} {self.points}"


# 年度报表 ---------------------------------------------------------------------------------------

class AnnualReportQuerySet(ScopedQuerySet):
    """Scoped by the region of the office or website, and by the website's unit."""

    region_lookup = "region__"
    unit_lookup = "unit__"

    def in_state(self, state: str, today: datetime.date):
        return self.filter(state_q(state, today))


def state_q(state: str, today: datetime.date) -> Q:
    """The rows in a state on `today`; the same rule as AnnualReport.state_on."""
    if state == ReportState.DONE:
        return Q(submitted_at__isnull=False)
    if state == ReportState.OVERDUE:
        return Q(submitted_at__isnull=True, assessment_year__report_due_on__lt=today)
    return Q(submitted_at__isnull=True, assessment_year__report_due_on__gte=today)


def report_file_path(instance, filename: str) -> str:
    """A random name: the uploader's file name never reaches the file system."""
    return f"annual-reports/{uuid.uuid4().hex}"


class AnnualReport(models.Model):
    """A 年度报表 duty: one per website running during the year (政府网站工作年度报表) and
    one per supervising office (政府网站监管年度报表). Done once the URL where it was
    published and its PDF are both in; overdue when not done after the due date."""

    assessment_year = models.ForeignKey(AssessmentYear, models.CASCADE, related_name="reports",
                                        verbose_name="年度")
    kind = models.CharField("报表", max_length=20, choices=ReportKind.choices)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="地区")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="主办单位")
    website = models.ForeignKey(Website, models.PROTECT, null=True, blank=True,
                                related_name="annual_reports", verbose_name="政府网站")
    url = models.URLField("发布网址", max_length=500, blank=True)
    file = models.FileField("PDF文件", upload_to=report_file_path, blank=True)
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    size = models.PositiveIntegerField("大小（字节）", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    submitted_at = models.DateTimeField("完成时间", null=True, blank=True,
                                        help_text="发布网址和PDF文件首次都已填报的时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name="填报人")
    history = HistoricalRecords()

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "年度报表"
        ordering = ["assessment_year", "region__path", "kind", "website__name", "pk"]
        permissions = [("remind_annualreport", "可以发送年度报表提醒")]
        constraints = [
            models.UniqueConstraint(fields=["assessment_year", "website"],
                                    condition=Q(website__isnull=False),
                                    name="assessment_one_report_per_website"),
            models.UniqueConstraint(fields=["assessment_year", "region"],
                                    condition=Q(kind=ReportKind.SUPERVISION),
                                    name="assessment_one_report_per_office"),
            models.CheckConstraint(
                condition=Q(kind=ReportKind.WEBSITE, website__isnull=False)
                | Q(kind=ReportKind.SUPERVISION, website__isnull=True),
                name="assessment_report_kind_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_year.year}年度《{self.get_kind_display()}》{self.reporter}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:report", args=[self.pk])

    @property
    def reporter(self) -> str:
        """Whose report it is: the website, or the region's government office."""
        return self.website.name if self.website_id else f"{self.region.name}人民政府办公室"

    @property
    def due_on(self) -> datetime.date:
        return self.assessment_year.report_due_on

    @property
    def is_done(self) -> bool:
        return self.submitted_at is not None

    def state_on(self, today: datetime.date) -> str:
        """Done; else overdue after the due date (the due date itself is still in time)."""
        if self.is_done:
            return ReportState.DONE
        return ReportState.OVERDUE if today > self.due_on else ReportState.PENDING

    @property
    def on_time(self) -> bool:
        return self.is_done and timezone.localdate(self.submitted_at) <= self.due_on
