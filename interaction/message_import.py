"""The messages workbook (sheet 留言): `manage.py import_messages` and the upload page.

Rows are identified by (渠道, 留言ID). Everything is checked first; only a workbook without
a single problem is written, in one transaction, and importing it again changes nothing.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from common.workbook import (
    Column,
    ImportFailed,
    Problem,
    Row,
    SheetCounts,
    SheetSpec,
    choice,
    date,
    in_sheet_order,
    open_workbook,
    read_sheet,
    template_workbook,
)
from sites.models import Region, Unit

from .choices import ChannelKind, MessageStatus
from .models import Channel, Message, MessageImport
from .workdays import WorkCalendar, missing_schedule_note

SHEET = "留言"
STATUS_WORDS = {label: value for value, label in MessageStatus.choices}

SPEC = SheetSpec(SHEET, (
    Column("渠道", "channel", required=True, example="我为政府网站找错",
           note="门户中已有的留言渠道名称，如 我为政府网站找错、省政府网站曝光平台、某网站的百姓信箱；"
                "几个地区有同名渠道时按本行的所属地区区分"),
    Column("留言ID", "external_id", required=True, example="2508",
           note="渠道平台上的留言编号；与渠道一起识别一条留言"),
    Column("所属单位", "unit", required=True, example="丘北县人民政府办公室",
           note="负责办理的部门或单位；不存在时在所属地区下新建"),
    Column("所属地区", "region", required=True, example="丘北县"),
    Column("留言时间", "received_at", required=True, parse=date, example="2021-10-08",
           note="如 2021-10-08、2021.10.8、2021年10月8日"),
    Column("回复时间", "replied_at", parse=date, example="2021-10-11", note="未回复的留空"),
    Column("办理状态", "status", parse=choice(STATUS_WORDS), example="已办结",
           note="已办结、办理中 或 未办理；可留空：有回复时间即为已办结，"
                "否则新留言为未办理、已有留言保持原状态"),
))

TEMPLATE_NOTES = [
    "政民互动留言导入模板",
    "工作表“留言”每行一条留言；列的顺序不限，表头必须与模板一致。",
    "办理期限按渠道的办理时限（工作日，法定节假日和调休按国家公布的安排）自动计算，无需填写。",
    "整个工作簿全部通过校验才会导入；有任何错误时不做任何修改，并列出每个错误所在的工作表、行和列。",
    "按（渠道，留言ID）识别留言：重复导入同一工作簿不会产生变化，修改后重新导入会更新已有留言。",
]


@dataclass
class MessageImportResult:
    sheets: dict[str, SheetCounts] = field(default_factory=lambda: {SHEET: SheetCounts()})
    units_created: int = 0
    provisional: int = 0  # rows whose deadline is provisional
    unconfirmed_years: set[int] = field(default_factory=set)

    def summary_lines(self) -> list[str]:
        lines = [counts.line(name) for name, counts in self.sheets.items()]
        if self.units_created:
            lines.append(f"所属单位：新增 {self.units_created}")
        if self.provisional:
            lines.append(f"{self.provisional} 条留言的办理期限暂定："
                         f"{missing_schedule_note(self.unconfirmed_years)}")
        return lines


def template() -> bytes:
    out = io.BytesIO()
    template_workbook([SPEC], TEMPLATE_NOTES).save(out)
    return out.getvalue()


def import_messages(file, *, size: int | None = None, user=None,
                    today: datetime.date | None = None) -> MessageImportResult:
    """Check the whole workbook, then write it in one transaction, or raise ImportFailed.

    `user` is None for the command line (everything); the upload page passes the admin,
    whose scope limits the channels, regions, units and existing messages rows may name.
    """
    file_name = Path(getattr(file, "name", "") or "").name
    workbook = open_workbook(file, size)
    try:
        if SHEET not in workbook.sheetnames:
            raise ImportFailed([Problem(None, None, None, f"工作簿中没有“{SHEET}”工作表。")])
        problems: list[Problem] = []
        rows = read_sheet(workbook, SPEC, problems)
    finally:
        workbook.close()
    planner = _Planner(user, problems, today or timezone.localdate())
    planner.plan(rows)
    if problems:
        raise ImportFailed(in_sheet_order(problems, [SPEC]))
    with transaction.atomic():
        return planner.apply(file_name)


UPDATED_FIELDS = ["unit", "received_at", "replied_at", "deadline", "deadline_provisional",
                  "status"]


def _same(message: Message, fresh: dict) -> bool:
    # The unit is compared by key: reading message.unit would cost a query per row.
    return all(
        (message.unit_id == value.pk if name == "unit" else getattr(message, name) == value)
        for name, value in fresh.items()
    )


class _Planner:
    def __init__(self, user, problems: list[Problem], today: datetime.date):
        self.user = user
        self.problems = problems
        self.today = today
        self.result = MessageImportResult()
        channels = Channel.objects.select_related("region")
        regions = Region.objects.all()
        units = Unit.objects.select_related("region")
        if user is not None:
            channels, regions = channels.visible_to(user), regions.visible_to(user)
            self.visible_units = set(units.visible_to(user).values_list("pk", flat=True))
        # Names are unique within a region only: the row's region tells two 百姓信箱 apart.
        self.channels: dict[str, list[Channel]] = defaultdict(list)
        for channel in channels:
            self.channels[channel.name].append(channel)
        self.regions_by_name: dict[str, list[Region]] = defaultdict(list)
        for region in regions:
            self.regions_by_name[region.name].append(region)
        self.units = {(unit.region_id, unit.name): unit for unit in units}
        self.planned: list[tuple[Row, Message | None]] = []

    def plan(self, rows: list[Row]) -> None:
        checked = [row for row in rows if self._check_row(row)]
        keys = [(r.values["channel"], r.values["external_id"]) for r in checked]
        existing = {
            (m.channel_id, m.external_id): m
            for m in Message.objects.filter(
                channel__in={c for c, _ in keys}, external_id__in={i for _, i in keys},
            )
        }
        visible = None if self.user is None else set(
            Message.objects.filter(pk__in=[m.pk for m in existing.values()])
            .visible_to(self.user).values_list("pk", flat=True)
        )
        seen: dict[tuple, int] = {}
        for row, (channel, external_id) in zip(checked, keys, strict=True):
            key = (channel.pk, external_id)
            if key in seen:
                row_problem = f"渠道“{channel.name}”的留言ID“{external_id}”与第{seen[key]}行重复"
                self.problems.append(row.problem("留言ID", row_problem))
                continue
            seen[key] = row.number
            message = existing.get(key)
            if message is not None and visible is not None and message.pk not in visible:
                self.problems.append(row.problem("留言ID", "该留言已登记在您管理范围以外的单位"))
                continue
            self.planned.append((row, message))

    def _check_row(self, row: Row) -> bool:
        """Resolve the row's region and channel and check its dates and status; False when
        anything is wrong or missing (each problem is recorded)."""
        values = row.values
        before = len(self.problems)
        region = self._region(row)
        values["channel"] = self._channel(row, region)
        if region and values["unit"]:
            unit = self.units.get((region.pk, values["unit"]))
            if unit is not None and self.user is not None and unit.pk not in self.visible_units:
                self.problems.append(row.problem("所属单位", "该单位不在您的管理范围内"))
        self._check_dates(row)
        return len(self.problems) == before and None not in (values["channel"],
                                                             values["external_id"])

    def _channel(self, row: Row, region: Region | None) -> Channel | None:
        """The channel the row names: among the channels of that name, the one serving the
        row's region."""
        name = row.values["channel"]
        if not name:
            return None
        candidates = self.channels.get(name)
        if not candidates:
            self.problems.append(row.problem("渠道", (
                f"未知渠道“{name}”，可用的渠道：{'、'.join(sorted(self.channels)) or '无'}"
            )))
            return None
        if region is None:  # the region's problem is recorded already
            return None
        serving = sorted((channel for channel in candidates if channel.serves(region)),
                         key=lambda channel: channel.region.path if channel.region_id else "")
        if len(serving) == 1:
            return serving[0]
        if serving:
            owners = "、".join(c.region.name if c.region_id else "各地区共用" for c in serving)
            self.problems.append(row.problem("渠道", (
                f"渠道名称“{name}”不唯一：{owners}都有同名渠道，无法确定“{region.name}”的留言属于哪一个，"
                "请先在留言渠道中修改名称"
            )))
        else:
            owners = "、".join(c.region.name for c in candidates)
            self.problems.append(row.problem("所属地区", (
                f"“{region.name}”不在渠道“{name}”所属地区（{owners}）范围内"
            )))
        return None

    def _region(self, row: Row) -> Region | None:
        name = row.values["region"]
        if not name:
            return None
        candidates = self.regions_by_name.get(name, [])
        if len(candidates) != 1:
            message = f"未知地区“{name}”" if not candidates else f"地区名称“{name}”不唯一"
            self.problems.append(row.problem("所属地区", message))
            return None
        row.values["region"] = candidates[0]
        return candidates[0]

    def _check_dates(self, row: Row) -> None:
        received, replied, status = (row.values[k] for k in ("received_at", "replied_at", "status"))
        for column, day in (("留言时间", received), ("回复时间", replied)):
            if day and day > self.today:
                self.problems.append(row.problem(column, f"{day:%Y-%m-%d}晚于今天"))
        if received and replied and replied < received:
            self.problems.append(row.problem("回复时间", "回复时间早于留言时间"))
        if replied and status and status != MessageStatus.HANDLED:
            self.problems.append(row.problem("办理状态", (
                f"已填写回复时间，办理状态应为已办结，不能是{MessageStatus(status).label}"
            )))
        if status == MessageStatus.HANDLED and not replied:
            self.problems.append(row.problem("回复时间", "办理状态为已办结时应填写回复时间"))

    # Writing

    def apply(self, file_name: str) -> MessageImportResult:
        calendar = WorkCalendar()
        counts = self.result.sheets[SHEET]
        created, updated = [], []
        for row, message in self.planned:
            values = row.values
            deadline = values["channel"].deadline_for(values["received_at"], calendar)
            fresh = {
                "unit": self._unit(values["region"], values["unit"]),
                "received_at": values["received_at"],
                "replied_at": values["replied_at"],
                "deadline": deadline.day,
                "deadline_provisional": deadline.provisional,
                "status": self._status(values, message),
            }
            if deadline.provisional:
                self.result.provisional += 1
                self.result.unconfirmed_years.update(deadline.unconfirmed_years)
            if message is None:
                created.append(Message(channel=values["channel"],
                                       external_id=values["external_id"], **fresh))
            elif not _same(message, fresh):
                for name, value in fresh.items():
                    setattr(message, name, value)
                updated.append(message)
            else:
                counts.unchanged += 1
        if created:
            bulk_create_with_history(created, Message, batch_size=500, default_user=self.user)
        if updated:
            bulk_update_with_history(updated, Message, UPDATED_FIELDS, batch_size=500,
                                     default_user=self.user)
        counts.created, counts.updated = len(created), len(updated)
        self._record(file_name)
        return self.result

    def _record(self, file_name: str) -> None:
        """Remember what the workbook covers (models.MessageImport)."""
        national = [row.values["received_at"] for row, _ in self.planned
                    if row.values["channel"].kind == ChannelKind.NATIONAL]
        everything = self.user is None or self.user.is_superuser
        MessageImport.objects.create(
            imported_by=self.user, file_name=file_name,
            region_id=None if everything else self.user.region_id,
            unit_id=None if everything else self.user.unit_id,
            national_first=min(national, default=None), national_last=max(national, default=None),
        )

    @staticmethod
    def _status(values: dict, message: Message | None) -> str:
        if values["replied_at"]:
            return MessageStatus.HANDLED
        if values["status"]:
            return values["status"]
        if message is not None and message.status != MessageStatus.HANDLED:
            return message.status
        return MessageStatus.UNHANDLED

    def _unit(self, region: Region, name: str) -> Unit:
        key = (region.pk, name)
        if key not in self.units:
            unit = Unit(region=region, name=name)
            unit._history_user = self.user
            unit.save()
            self.units[key] = unit
            self.result.units_created += 1
        return self.units[key]
