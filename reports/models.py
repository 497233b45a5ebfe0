"""Circulars (通报): what the office writes, what is issued, and who has received it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from inspections.choices import QUARTERS
from inspections.models import Inspection
from sites.models import Region, Unit

from .choices import CircularStatus, FileFormat, JobKind


class OfficeProfile(models.Model):
    """The issuing office (发文机关) of a region's circulars. Without one, defaults come
    from the region itself (see reports.defaults)."""

    region = models.OneToOneField(
        Region, models.CASCADE, related_name="office_profile", verbose_name="地区"
    )
    office_name = models.CharField("发文机关", max_length=100, help_text="如：文山州人民政府办公室")
    doc_prefix = models.CharField("机关代字", max_length=30, help_text="如：文政办、曲政办函")
    addressees = models.CharField("主送机关", max_length=300, blank=True)
    contact = models.CharField("附注（联系人及电话）", max_length=200, blank=True,
                               help_text="如：联系人：李虹霞；电话：2851097")
    cc = models.TextField("抄送", blank=True, help_text="用“，”分隔，末尾不加句号")
    printer = models.CharField("印发机关", max_length=100, blank=True)
    requirements = models.TextField(
        "下一步工作要求（默认文字）", blank=True,
        help_text="新建通报时“四、下一步工作要求”的默认内容；每段一行",
    )

    class Meta:
        verbose_name = verbose_name_plural = "发文机关设置"

    def __str__(self) -> str:
        return self.office_name


class CircularQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office staff see the circulars of their region and below; liaisons (and unit
        contacts) see the issued circulars addressed to their region, i.e. of a region
        above or equal to theirs."""
        from sites.roles import Role

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        region = user.unit.region if user.unit_id else user.region
        if region is None:
            return self.none()
        addressed = Q(status=CircularStatus.ISSUED, region_id__in=region.ancestors_and_self_ids())
        if user.unit_id or (user.has_role(Role.LIAISON) and not user.has_role(
                Role.ADMIN, Role.INSPECTOR, Role.LEADER)):
            return self.filter(addressed)
        return self.filter(Q(region__path__startswith=region.path) | addressed)


class Circular(models.Model):
    region = models.ForeignKey(Region, models.PROTECT, related_name="circulars",
                               verbose_name="地区")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", choices=QUARTERS)
    website_inspection = models.ForeignKey(
        Inspection, models.PROTECT, null=True, blank=True, related_name="website_circulars",
        verbose_name="政府网站检查",
    )
    newmedia_inspection = models.ForeignKey(
        Inspection, models.PROTECT, null=True, blank=True, related_name="newmedia_circulars",
        verbose_name="政务新媒体检查",
    )
    office_name = models.CharField("发文机关", max_length=100)
    doc_prefix = models.CharField("机关代字", max_length=30)
    doc_year = models.PositiveSmallIntegerField("发文年份")
    doc_number = models.PositiveIntegerField("序号")
    title = models.CharField("标题", max_length=300)
    addressees = models.CharField("主送机关", max_length=300)
    opening = models.TextField("开头", blank=True, help_text="留空则自动生成")
    overview = models.TextField("一、检查情况", blank=True, help_text="留空则自动生成（随数据更新）")
    achievements = models.TextField("二、工作成效", blank=True, help_text="可留空；留空则不写这一部分")
    problems = models.TextField("三、存在问题", blank=True, help_text="留空则自动生成（随数据更新）")
    requirements = models.TextField("四、下一步工作要求", blank=True)
    annexes = models.JSONField("附件", default=list, blank=True)
    average_decimals = models.PositiveSmallIntegerField(
        "本季度平均分小数位", default=1, help_text="附件得分表中本季度平均分保留的小数位数（末尾的0不写）"
    )
    previous_average_decimals = models.PositiveSmallIntegerField("上季度平均分小数位", default=2)
    signer = models.CharField("署名", max_length=100)
    date = models.DateField("成文日期")
    contact = models.CharField("附注", max_length=200, blank=True)
    cc = models.TextField("抄送", blank=True)
    printer = models.CharField("印发机关", max_length=100, blank=True)
    print_date = models.DateField("印发日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=CircularStatus.choices,
                              default=CircularStatus.DRAFT)
    snapshot = models.JSONField("签发时的内容", null=True, blank=True, editable=False)
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="签发人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=0)

    # Every saved draft is kept: an overwritten paragraph can be read back (the snapshot is
    # frozen at issuing and recorded in its own right).
    history = HistoricalRecords(excluded_fields=["snapshot", "version"])
    objects = CircularQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通报"
        ordering = ["-year", "-quarter", "-doc_year", "-doc_number"]
        constraints = [
            models.UniqueConstraint(fields=["doc_prefix", "doc_year", "doc_number"],
                                    name="circular_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number_text} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reports:circular", args=[self.pk])

    @property
    def doc_number_text(self) -> str:
        return f"{self.doc_prefix}〔{self.doc_year}〕{self.doc_number}号"

    @property
    def is_issued(self) -> bool:
        return self.status == CircularStatus.ISSUED

    @staticmethod
    def next_number(prefix: str, year: int) -> int:
        """The next free 序号 for a 机关代字 and year."""
        last = Circular.objects.filter(doc_prefix=prefix, doc_year=year).aggregate(n=Max("doc_number"))
        return (last["n"] or 0) + 1

    def addressed_regions(self):
        """The regions a circular goes to: those it was issued to (frozen at issuing), or, for a
        draft, the regions directly below its own."""
        if self.is_issued:
            return Region.objects.filter(
                pk__in=self.issued_addressees.filter(region__isnull=False).values("region")
            ).order_by("code", "name")
        return self.regions_below()

    def regions_below(self):
        """The regions directly below the circular's own: the counties it goes to now."""
        return self.region.children.order_by("code", "name")


def circular_file_path(instance, filename: str) -> str:
    import uuid

    return f"circulars/{uuid.uuid4().hex}.{instance.format}"


class CircularFile(models.Model):
    """A rendered file: the issued originals (never changed), or a background render."""

    circular = models.ForeignKey(Circular, models.CASCADE, related_name="files",
                                 verbose_name="通报")
    format = models.CharField("格式", max_length=10, choices=FileFormat.choices)
    file = models.FileField("文件", upload_to=circular_file_path)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    issued = models.BooleanField("签发原件", default=False)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "通报文件"
        constraints = [
            models.UniqueConstraint(fields=["circular", "format"], condition=Q(issued=True),
                                    name="one_issued_file_per_format"),
        ]

    def __str__(self) -> str:
        return f"{self.circular.doc_number_text}.{self.format}"


class RenderJob(models.Model):
    """Background work on a circular, with its progress: rendering a large circular in one
    format, or issuing it (rendering every format and freezing it)."""

    circular = models.ForeignKey(Circular, models.CASCADE, related_name="render_jobs")
    kind = models.CharField("类型", max_length=10, choices=JobKind.choices, default=JobKind.RENDER)
    format = models.CharField("格式", max_length=10, choices=FileFormat.choices, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    stage = models.CharField("阶段", max_length=100, default="排队中")
    result = models.ForeignKey(CircularFile, models.SET_NULL, null=True, blank=True,
                               related_name="+")
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.format} #{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.finished_at is not None


class IssuedAddressee(models.Model):
    """主送: a county (region) or 州直 department (unit) an issued circular went to, recorded
    when it was issued, so that later changes to the directory or the checks do not change
    whom it was addressed to or who signs for it (reports.addressees)."""

    circular = models.ForeignKey(Circular, models.CASCADE, related_name="issued_addressees")
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="收文地区")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="收文单位")
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = verbose_name_plural = "主送机关"
        ordering = ["circular", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, unit__isnull=True)
                | Q(region__isnull=True, unit__isnull=False),
                name="addressee_is_region_or_unit",
            ),
            models.UniqueConstraint(fields=["circular", "region"], condition=Q(region__isnull=False),
                                    name="one_addressee_per_region"),
            models.UniqueConstraint(fields=["circular", "unit"], condition=Q(unit__isnull=False),
                                    name="one_addressee_per_unit"),
        ]

    def __str__(self) -> str:
        return str(self.region or self.unit)


class Receipt(models.Model):
    """签收: an addressee's acknowledgement that it has received an issued circular. The
    addressee is a region (a county's government) or a unit (a 州直 department), see
    reports.addressees."""

    circular = models.ForeignKey(Circular, models.CASCADE, related_name="receipts")
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="签收地区")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="签收单位")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name="签收人")
    received_at = models.DateTimeField("签收时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "签收记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, unit__isnull=True)
                | Q(region__isnull=True, unit__isnull=False),
                name="receipt_by_region_or_unit",
            ),
            models.UniqueConstraint(fields=["circular", "region"], condition=Q(region__isnull=False),
                                    name="one_receipt_per_region"),
            models.UniqueConstraint(fields=["circular", "unit"], condition=Q(unit__isnull=False),
                                    name="one_receipt_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.region or self.unit} {self.received_at:%Y-%m-%d}"


class Handling(models.Model):
    """The receiving office's record of how it handled a circular (公文处理笺): 拟办意见,
    领导批示 (each with the leader's name and date) and 办理结果, kept per addressed region."""

    circular = models.ForeignKey(Circular, models.CASCADE, related_name="handlings",
                                 verbose_name="通报")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="地区")
    received_on = models.DateField("收文日期", null=True, blank=True)
    proposal = models.TextField("拟办意见", blank=True)
    proposed_by = models.CharField("拟办人", max_length=50, blank=True)
    proposed_on = models.DateField("拟办日期", null=True, blank=True)
    instructions = models.JSONField(
        "领导批示", default=list, blank=True,
        help_text="每条批示：{\"leader\": 姓名, \"date\": \"2022-01-12\", \"text\": 批示内容}",
    )
    result = models.TextField("办理结果", blank=True)
    finished_on = models.DateField("办结日期", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="填写人")

    # Who wrote what, and what it said before: the history records the user and the time.
    history = HistoricalRecords(excluded_fields=["updated_at", "updated_by"])

    class Meta:
        verbose_name = verbose_name_plural = "公文处理笺"
        constraints = [
            models.UniqueConstraint(fields=["circular", "region"], name="one_handling_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.circular.doc_number_text}"

    @property
    def stage(self) -> str:
        """未处理 / 拟办 / 已批示 / 已办结, for the admins' overview."""
        if self.finished_on or self.result:
            return "已办结"
        if self.instructions:
            return "已批示"
        return "已拟办" if self.proposal else "未处理"
