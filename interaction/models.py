"""政民互动: the channels citizens write through, their messages with working-day
deadlines, the office's corrections to the holiday calendar, and the record of message
imports."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.scope import NOTHING, ScopedQuerySet, SharedQuerySet, scope_q
from sites.models import Region, Unit, Website

from .choices import ChannelKind, MessageStatus
from .workdays import Deadline, WorkCalendar


class ChannelQuerySet(ScopedQuerySet):
    region_lookup = "region__"
    unit_lookup = None

    def visible_to(self, user):
        """The channels of the user's regions, and the shared ones (no region: the national
        and provincial platforms), which serve every region."""
        scoped = scope_q(user, self.region_lookup, self.unit_lookup)
        if scoped == NOTHING:
            return self.none()
        if not scoped:  # a superuser: Q() | shared would mean "shared only"
            return self.all()
        return self.filter(scoped | Q(region__isnull=True))

    def editable_by(self, user):
        """Regional channels in the user's scope; the shared ones only for the office that
        runs the portal (an admin of the top region) and superusers."""
        if runs_the_portal(user):
            return self.visible_to(user)
        return self.filter(scope_q(user, self.region_lookup, self.unit_lookup))


def runs_the_portal(user) -> bool:
    """Whether the user sets up what every region shares (the shared channels, the holiday
    calendar): the office that runs the portal (a user of the top region) or a superuser."""
    return user.is_superuser or bool(
        user.is_active and user.region_id and not user.unit_id and user.region.parent_id is None
    )


class Channel(models.Model):
    """A way citizens leave messages: 我为政府网站找错, the province's platform, or a
    portal's column such as 百姓信箱, each with its reply deadline in working days."""

    name = models.CharField("渠道名称", max_length=100,
                            help_text="同一地区内不能重名；不同县（市）可各有自己的“百姓信箱”。")
    kind = models.CharField("渠道类型", max_length=20, choices=ChannelKind.choices)
    reply_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）", validators=[MinValueValidator(1)],
        help_text="收到留言后第几个工作日内应回复（收到当天不计）。",
    )
    website = models.ForeignKey(
        Website, models.PROTECT, null=True, blank=True, related_name="channels",
        verbose_name="所属网站", help_text="网站互动栏目填写；国家级、省级平台留空。",
    )
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="channels",
        verbose_name="所属地区",
        help_text="留空表示各地区共用（国家级、省级平台）；网站栏目默认取所属网站的地区。",
    )
    history = HistoricalRecords()

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "留言渠道"
        ordering = ["kind", "name"]
        constraints = [
            # Two constraints: NULL regions (the shared channels) are never equal in SQL.
            models.UniqueConstraint(fields=["region", "name"], name="channel_unique_name_in_region",
                                    violation_error_message="该地区已有同名的留言渠道。"),
            models.UniqueConstraint(fields=["name"], condition=Q(region__isnull=True),
                                    name="channel_unique_shared_name",
                                    violation_error_message="已有同名的各地区共用渠道。"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        old_days = None
        if self.pk:
            old_days = Channel.objects.filter(pk=self.pk).values_list("reply_days", flat=True).first()
        super().save(*args, **kwargs)
        if old_days is not None and old_days != self.reply_days:
            self.messages.all().recompute_deadlines()

    def get_absolute_url(self) -> str:
        return reverse("interaction:channel", args=[self.pk])

    def clean(self):
        super().clean()
        if self.website_id and not self.region_id:
            self.region = self.website.unit.region
        if self.kind == ChannelKind.PORTAL and not self.region_id:
            raise ValidationError({"region": "网站互动栏目应填写所属网站或所属地区。"})
        if self.website_id and not self.website.unit.region.is_within(self.region):
            raise ValidationError({"website": "所属网站应在渠道所属地区范围内。"})

    def serves(self, region: Region) -> bool:
        """Whether a message of `region` may come through this channel."""
        return self.region_id is None or region.is_within(self.region)

    def deadline_for(self, received: datetime.date,
                     calendar: WorkCalendar | None = None) -> Deadline:
        return (calendar or WorkCalendar()).deadline(received, self.reply_days)


class MessageQuerySet(ScopedQuerySet):
    def overdue(self, as_of: datetime.date, overdue: bool = True):
        return self.filter(overdue_q(as_of) if overdue else not_overdue_q(as_of))

    def counting_over(self, first: datetime.date, last: datetime.date | None = None):
        """Messages whose deadline counting (the day after receipt up to the deadline)
        passes over a day from `first` to `last` (default: `first` alone)."""
        return self.filter(received_at__lt=last or first, deadline__gte=first)

    def unconfirmed_years(self, calendar: WorkCalendar | None = None) -> list[int]:
        """The years without a holiday schedule that these messages' provisional deadlines
        may count over (from the earliest receipt to the latest deadline). One query, and
        the calendar's two when there are any."""
        span = self.filter(deadline_provisional=True).aggregate(
            first=Min("received_at"), last=Max("deadline"))
        if span["first"] is None:
            return []
        return (calendar or WorkCalendar()).unconfirmed_years(
            span["first"] + datetime.timedelta(days=1), span["last"])

    def recompute_deadlines(self, calendar: WorkCalendar | None = None) -> int:
        """Bring stored deadlines (and whether each is provisional) up to date after the
        calendar or a channel's time limit changed; returns how many changed. (Derived
        fields: no history entry is written.)"""
        calendar = calendar or WorkCalendar()
        changed = [message for message in self.select_related("channel")
                   if message.set_deadline(calendar)]
        Message.objects.bulk_update(changed, ["deadline", "deadline_provisional"], batch_size=500)
        return len(changed)


def replied_q(as_of: datetime.date) -> Q:
    """Replied on or before `as_of` (a later reply did not exist yet on that day)."""
    return Q(replied_at__isnull=False, replied_at__lte=as_of)


def unreplied_q(as_of: datetime.date) -> Q:
    return Q(replied_at__isnull=True) | Q(replied_at__gt=as_of)


def overdue_q(as_of: datetime.date) -> Q:
    """Replied after the deadline, or without a reply and the deadline has passed."""
    return (replied_q(as_of) & Q(replied_at__gt=F("deadline"))) | (
        unreplied_q(as_of) & Q(deadline__lt=as_of)
    )


def not_overdue_q(as_of: datetime.date) -> Q:
    return (replied_q(as_of) & Q(replied_at__lte=F("deadline"))) | (
        unreplied_q(as_of) & Q(deadline__gte=as_of)
    )


class Message(models.Model):
    """A citizen's message (网民留言) and how the responsible unit handled it."""

    channel = models.ForeignKey(
        Channel, models.PROTECT, related_name="messages", verbose_name="渠道"
    )
    external_id = models.CharField("留言ID", max_length=100, help_text="渠道平台上的留言编号")
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="messages", verbose_name="所属单位",
        help_text="负责办理的部门或单位",
    )
    received_at = models.DateField("留言时间")
    deadline = models.DateField(
        "办理期限", editable=False, help_text="按渠道的办理时限（工作日）自动计算"
    )
    deadline_provisional = models.BooleanField(
        "办理期限暂定", default=False, editable=False,
        help_text="期限跨越的年份节假日安排尚未录入，暂按周一至周五计算；录入后自动重算。",
    )
    replied_at = models.DateField("回复时间", null=True, blank=True)
    status = models.CharField(
        "办理状态", max_length=20, choices=MessageStatus.choices,
        default=MessageStatus.UNHANDLED, help_text="填写回复时间后自动记为已办结。",
    )
    note = models.TextField("备注", blank=True)
    history = HistoricalRecords()

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "网民留言"
        ordering = ["-received_at", "channel__name", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="message_unique_id"),
        ]
        indexes = [models.Index(fields=["received_at"]), models.Index(fields=["deadline"])]

    def __str__(self) -> str:
        return f"{self.channel}留言 {self.external_id}"

    def save(self, *args, **kwargs):
        if self.replied_at:
            self.status = MessageStatus.HANDLED
        self.set_deadline()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("interaction:message", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.replied_at and self.received_at and self.replied_at < self.received_at:
            errors["replied_at"] = "回复时间不能早于留言时间。"
        if not self.replied_at and self.status == MessageStatus.HANDLED:
            errors["replied_at"] = "已办结的留言请填写回复时间。"
        channel = self.channel if self.channel_id else None
        if channel and channel.region_id and self.unit_id and \
                not self.unit.region.is_within(channel.region):
            errors["unit"] = f"所属单位应在渠道“{channel}”所属地区（{channel.region}）范围内。"
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, as_of: datetime.date) -> bool:
        if self.replied_at and self.replied_at <= as_of:
            return self.replied_at > self.deadline
        return self.deadline < as_of

    def state_label(self, as_of: datetime.date) -> str:
        """办理状态 as the list shows it: 已办结, 办理中（逾期）, 未办理（逾期，期限暂定）…"""
        label = self.get_status_display()
        if not self.is_overdue(as_of):
            return label
        return f"{label}（逾期，期限暂定）" if self.deadline_provisional else f"{label}（逾期）"

    def set_deadline(self, calendar: WorkCalendar | None = None) -> bool:
        """Compute the deadline from the channel's time limit; whether it changed."""
        deadline = self.channel.deadline_for(self.received_at, calendar)
        before = (self.deadline, self.deadline_provisional)
        self.deadline, self.deadline_provisional = deadline.day, deadline.provisional
        return before != (self.deadline, self.deadline_provisional)


class HolidayOverride(models.Model):
    """The office's word on one day, for years chinese_calendar does not cover yet or for
    local holidays: it wins over the library."""

    day = models.DateField("日期", unique=True,
                           error_messages={"unique": "这一天已有调整记录，请修改原记录。"})
    is_working_day = models.BooleanField(
        "类型", choices=[(False, "休息日"), (True, "工作日")], default=False,
        help_text="休息日：这天放假（如春节）；工作日：这天上班（如调休上班的周末）。",
    )
    note = models.CharField("说明", max_length=100, blank=True, help_text="如：2027年春节")
    history = HistoricalRecords()

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "节假日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_working_day else '放假'}"

    def get_absolute_url(self) -> str:
        return reverse("interaction:holiday", args=[self.pk])


class HolidayYear(models.Model):
    """The office's word that a year's holiday schedule (节假日安排) is entered in full under
    节假日调整, for a year chinese_calendar does not cover: its deadlines are then final."""

    year = models.PositiveSmallIntegerField(
        "年度", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name="确认人")
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排确认"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"

    def affected_messages(self):
        return Message.objects.counting_over(datetime.date(self.year, 1, 1),
                                             datetime.date(self.year, 12, 31))


class MessageImportQuerySet(models.QuerySet):
    def national_in(self, year: int):
        """Imports by a region-wide importer (not a unit's) that held 我为政府网站找错
        messages received in `year`."""
        return self.filter(unit__isnull=True, national_first__lte=datetime.date(year, 12, 31),
                           national_last__gte=datetime.date(year, 1, 1))


class MessageImport(models.Model):
    """A messages workbook that was imported, and what it covers: the importer's scope and
    the days of the national-platform (我为政府网站找错) messages it held. It tells the annual
    assessment "no message in the year" (a figure) from "never entered" (暂无数据)."""

    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name="导入人")
    file_name = models.CharField("文件名", max_length=255, blank=True)
    # The importer's scope; both empty for the command line and superusers (everything).
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="导入范围（地区）")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="导入范围（单位）")
    national_first = models.DateField("国家平台留言最早留言时间", null=True, blank=True)
    national_last = models.DateField("国家平台留言最晚留言时间", null=True, blank=True)

    objects = MessageImportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "留言导入记录"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name or '留言导入'}（{timezone.localtime(self.imported_at):%Y-%m-%d %H:%M}）"

    def covers(self, region: Region) -> bool:
        """Whether the importer's scope holds all of `region`."""
        return self.unit_id is None and (self.region_id is None or region.is_within(self.region))
