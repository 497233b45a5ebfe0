"""政民互动: the channels citizens write through, their messages with working-day
deadlines, and the office's corrections to the holiday calendar."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.scope import NOTHING, ScopedQuerySet, scope_q
from sites.models import Region, Unit, Website

from .choices import ChannelKind, MessageStatus
from .workdays import WorkCalendar


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
        if manages_shared_channels(user):
            return self.visible_to(user)
        return self.filter(scope_q(user, self.region_lookup, self.unit_lookup))


def manages_shared_channels(user) -> bool:
    """Whether the user sets up the channels all regions share: the office that runs the
    portal (a user of the top region) or a superuser."""
    return user.is_superuser or bool(
        user.is_active and user.region_id and not user.unit_id and user.region.parent_id is None
    )


class Channel(models.Model):
    """A way citizens leave messages: 我为政府网站找错, the province's platform, or a
    portal's column such as 百姓信箱, each with its reply deadline in working days."""

    name = models.CharField("渠道名称", max_length=100, unique=True)
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

    def deadline_for(self, received: datetime.date, calendar: WorkCalendar | None = None):
        return (calendar or WorkCalendar()).add_working_days(received, self.reply_days)


class MessageQuerySet(ScopedQuerySet):
    def overdue(self, as_of: datetime.date, overdue: bool = True):
        return self.filter(overdue_q(as_of) if overdue else not_overdue_q(as_of))

    def recompute_deadlines(self, calendar: WorkCalendar | None = None) -> int:
        """Bring stored deadlines up to date after the calendar or a channel's time limit
        changed; returns how many changed. (A derived field: no history entry is written.)"""
        calendar = calendar or WorkCalendar()
        changed = []
        for message in self.select_related("channel"):
            deadline = message.channel.deadline_for(message.received_at, calendar)
            if deadline != message.deadline:
                message.deadline = deadline
                changed.append(message)
        Message.objects.bulk_update(changed, ["deadline"], batch_size=500)
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
        self.deadline = self.channel.deadline_for(self.received_at)
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
        """办理状态 as the list shows it: 已办结, 办理中（逾期）, …"""
        label = self.get_status_display()
        return f"{label}（逾期）" if self.is_overdue(as_of) else label


class HolidayOverride(models.Model):
    """The office's word on one day, for years chinese_calendar does not cover yet or for
    local holidays: it wins over the library."""

    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField(
        "工作日", help_text="勾选：这天上班（如调休上班的周末）；不勾选：这天放假。"
    )
    note = models.CharField("说明", max_length=100, blank=True, help_text="如：2027年春节")

    class Meta:
        verbose_name = verbose_name_plural = "节假日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_working_day else '放假'}"

    @staticmethod
    def affected_messages(day: datetime.date):
        """Messages whose deadline counting passes over `day`."""
        return Message.objects.filter(received_at__lt=day, deadline__gte=day)
