"""The directory workbook (名录, spec §1): regions, websites and new-media accounts.

One implementation for `manage.py import_directory` and the upload page. Everything is
checked first; only a workbook without a single problem is written, in one transaction.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from common.workbook import (
    CellError,
    Column,
    ImportFailed,
    Problem,
    Row,
    SheetCounts,
    SheetSpec,
    choice,
    in_sheet_order,
    open_workbook,
    read_sheet,
    template_workbook,
    text,
)
from newmedia.choices import ALIAS_ACCOUNT_TYPES, AccountStatus, Filing, Platform, platform_from_name
from newmedia.models import Account

from .choices import RegionLevel, WebsiteKind, WebsiteStatus
from .models import SITE_CODE_RE, Region, Unit, Website

REGION_SHEET, WEBSITE_SHEET, ACCOUNT_SHEET = "地区", "政府网站", "政务新媒体"

# Fields whose change an import dates on the import day (停止运行日期, 备案日期), by setter.
DATED_CHANGES = {"status": "set_status", "filing": "set_filing"}


def _region_code(value) -> str:
    code = text(value)
    if not (len(code) == 6 and code.isdigit()):
        raise CellError(f"“{code}”不是6位数字的区划代码")
    return code


def _site_code(value) -> str:
    code = text(value)
    if not re.match(SITE_CODE_RE, code):
        raise CellError(f"“{code}”不是有效的网站标识码（10位数字，或“bm”加8位数字）")
    return code


def _url(value) -> str:
    url = text(value)
    if "://" not in url:
        url = "http://" + url
    if not url.startswith(("http://", "https://")) or " " in url or "." not in url:
        raise CellError(f"“{text(value)}”不是有效的网址")
    return url


def _platform(value) -> tuple[str, str]:
    name = text(value)
    platform = platform_from_name(name)
    if platform is None:
        raise CellError(
            f"未知平台“{name}”，应为：{'、'.join(label for _, label in Platform.choices)}"
            "（也可写 微信、新浪微博、头条号 等常用名称）"
        )
    return platform, ALIAS_ACCOUNT_TYPES.get(name, "")


REGION_SPEC = SheetSpec(REGION_SHEET, (
    Column("地区名称", "name", required=True, example="丘北县"),
    Column("上级地区", "parent", example="文山州", note="顶级地区留空"),
    Column("区划代码", "code", parse=_region_code, example="532626", note="6位数字"),
))
WEBSITE_SPEC = SheetSpec(WEBSITE_SHEET, (
    Column("网站标识码", "site_code", required=True, parse=_site_code, example="5326260001",
           note="10位数字，或“bm”加8位数字；用于识别网站"),
    Column("网站名称", "name", required=True, example="丘北县人民政府"),
    Column("首页网址", "url", required=True, parse=_url, example="http://www.ynqb.gov.cn"),
    Column("主办单位", "unit", required=True, example="丘北县人民政府办公室",
           note="不存在时在所属地区下新建"),
    Column("所属地区", "region", required=True, example="丘北县"),
    Column("网站类型", "kind", required=True, example="门户网站", note="门户网站 或 部门网站",
           parse=choice({label: value for value, label in WebsiteKind.choices})),
    Column("运行状态", "status", example="运行", note="运行 或 关停；默认 运行",
           parse=choice({label: value for value, label in WebsiteStatus.choices})),
))
ACCOUNT_SPEC = SheetSpec(ACCOUNT_SHEET, (
    Column("账号名称", "name", required=True, example="丘北发布"),
    Column("平台", "platform", required=True, parse=_platform, example="微信公众号",
           note="微信公众号、微博、抖音、今日头条、快手、小程序、客户端 或 其他；"
                "也接受 微信、微信订阅号、微信服务号、新浪微博、抖音短视频、头条号"),
    Column("账号类型", "account_type", example="订阅号", note="如 订阅号、服务号"),
    Column("账号ID", "account_id", example="gh_0123456789ab",
           note="填写时按（平台，账号ID）识别账号，否则按（平台，账号名称）"),
    Column("主办单位", "unit", required=True, example="丘北县人民政府办公室"),
    Column("所属地区", "region", required=True, example="丘北县"),
    Column("备案状态", "filing", example="已备案", note="已备案 或 未备案；默认 已备案",
           parse=choice({label: value for value, label in Filing.choices})),
    Column("运行状态", "status", example="运行", note="运行、关停 或 注销；默认 运行",
           parse=choice({label: value for value, label in AccountStatus.choices})),
))
SPECS = (REGION_SPEC, WEBSITE_SPEC, ACCOUNT_SPEC)

TEMPLATE_NOTES = [
    "政府网站与政务新媒体名录导入模板",
    "可只保留需要的工作表（地区、政府网站、政务新媒体，至少一个）；列的顺序不限，表头必须与模板一致。",
    "整个工作簿全部通过校验才会导入；有任何错误时不做任何修改，并列出每个错误所在的工作表、行和列。",
    "重复导入同一工作簿不会产生变化。",
]


@dataclass
class DirectoryImportResult:
    sheets: dict[str, SheetCounts] = field(default_factory=dict)
    units_created: int = 0

    def summary_lines(self) -> list[str]:
        lines = [counts.line(name) for name, counts in self.sheets.items()]
        if self.units_created:
            lines.append(f"主办单位：新增 {self.units_created}")
        return lines


def template() -> bytes:
    out = io.BytesIO()
    template_workbook(list(SPECS), TEMPLATE_NOTES).save(out)
    return out.getvalue()


def import_directory(file, *, size: int | None = None, user=None,
                     today: datetime.date | None = None) -> DirectoryImportResult:
    """Check the whole workbook, then write it in one transaction, or raise ImportFailed.

    `user` is None for the command line (the whole directory); the upload page passes the
    admin, whose scope limits which regions, websites and accounts rows may name.
    """
    workbook = open_workbook(file, size)
    try:
        present = [spec for spec in SPECS if spec.name in workbook.sheetnames]
        if not present:
            raise ImportFailed([Problem(None, None, None, (
                "工作簿中没有“地区”“政府网站”“政务新媒体”中的任何一个工作表。"
            ))])
        problems: list[Problem] = []
        rows = {spec.name: read_sheet(workbook, spec, problems) for spec in present}
    finally:
        workbook.close()
    planner = _Planner(user, problems, today or timezone.localdate(), [s.name for s in present])
    planner.plan_regions(rows.get(REGION_SHEET, []))
    planner.plan_websites(rows.get(WEBSITE_SHEET, []))
    planner.plan_accounts(rows.get(ACCOUNT_SHEET, []))
    if problems:
        raise ImportFailed(in_sheet_order(problems, SPECS))
    with transaction.atomic():
        return planner.apply()


class AccountPlan:
    """Rows holding the 政务新媒体 sheet's values (所属地区 may already be a Region), checked
    against the directory as an import checks them: `problems`, and in `rows` each row with
    the directory's account or None. `apply` then adds the accounts the directory lacks, with
    their units as an import creates them, and leaves the others as they are."""

    def __init__(self, rows: list[Row], *, user, today: datetime.date | None = None):
        self.problems: list[Problem] = []
        self._planner = _Planner(user, self.problems, today or timezone.localdate(),
                                 [ACCOUNT_SHEET])
        self._planner.plan_accounts(rows)
        self.rows = list(self._planner.account_rows)

    @transaction.atomic
    def apply(self) -> tuple[list[tuple[Row, Account]], DirectoryImportResult]:
        assert not self.problems, "a plan with problems is not applied"
        self._planner.account_rows = [(row, account) for row, account in self.rows if not account]
        result = self._planner.apply()
        keys = {(row.values["platform"], row.values["name"]) for row, _ in self._planner.account_rows}
        created = {(a.platform, a.name): a for a in Account.objects.filter(
            platform__in={platform for platform, _ in keys}, name__in={name for _, name in keys})}
        return [(row, account or created[row.values["platform"], row.values["name"]])
                for row, account in self.rows], result


def _key(region) -> tuple:
    """Identity of a region, whether in the database or only planned by this workbook."""
    return ("new", id(region)) if isinstance(region, dict) else ("db", region.pk)


def _parent_key(region) -> tuple | None:
    if isinstance(region, dict):
        return _key(region["parent"]) if region["parent"] is not None else None
    return ("db", region.parent_id) if region.parent_id else None


def _level(region) -> str:
    return region["level"] if isinstance(region, dict) else region.level


def _unit_scope(user) -> set[tuple[int, str]] | None:
    """(region, name) of the units a unit-scoped admin may name; None when the user's scope
    is a region (or everything), where any unit of a visible region will do."""
    if user is None or user.is_superuser or not user.unit_id:
        return None
    return set(Unit.objects.visible_to(user).values_list("region_id", "name"))


class _Planner:
    """Checks rows against the database and the rest of the workbook, then applies them."""

    def __init__(self, user, problems: list[Problem], today: datetime.date, sheets: list[str]):
        self.user = user
        self.problems = problems
        self.today = today
        self.result = DirectoryImportResult({name: SheetCounts() for name in sheets})
        self.unit_scope = _unit_scope(user)
        if user is None:
            regions = Region.objects.all()
        elif self.unit_scope is not None:
            # A unit's child units may sit in regions below the unit's own.
            regions = Region.objects.filter(pk__in={pk for pk, _ in self.unit_scope})
        else:
            regions = Region.objects.visible_to(user)
        self.regions_by_name: dict[str, list] = defaultdict(list)
        for region in regions:
            self.regions_by_name[region.name].append(region)
        self.codes = {
            code: ("db", pk)
            for pk, code in Region.objects.exclude(code="").values_list("pk", "code")
        }
        self.new_regions: list[dict] = []
        self.region_updates: list[tuple[Region, str]] = []
        self.website_rows: list[tuple[Row, Website | None]] = []
        self.account_rows: list[tuple[Row, Account | None]] = []

    # Regions: rows may name a parent defined further down, so place them in passes.

    def plan_regions(self, rows: list[Row]) -> None:
        pending = [r for r in rows if r.values.get("name")]
        while pending:
            placed = [r for r in pending if self._place_region(r, final=False)]
            if not placed:
                for row in pending:
                    self._place_region(row, final=True)
                return
            pending = [r for r in pending if r not in placed]

    def _place_region(self, row: Row, final: bool) -> bool:
        """Plan one row; False while its parent is not known yet."""
        name, parent_name = row.values["name"], row.values.get("parent")
        code = row.values.get("code") or ""
        parent = None
        if parent_name:
            candidates = self.regions_by_name.get(parent_name, [])
            if not candidates:
                if final:
                    self.problems.append(row.problem("上级地区", f"未知地区“{parent_name}”"))
                return False
            if len(candidates) > 1:
                self.problems.append(row.problem("上级地区", f"地区名称“{parent_name}”不唯一"))
                return True
            parent = candidates[0]
        level = Region.level_below(_level(parent) if parent is not None else None, name)
        if level is None:
            self.problems.append(row.problem("上级地区", (
                f"“{parent_name}”是{RegionLevel(_level(parent)).label}级地区，其下不能再设地区"
            )))
            return True
        parent_key = _key(parent) if parent is not None else None
        same = [r for r in self.regions_by_name.get(name, []) if _parent_key(r) == parent_key]
        mine = _key(same[0]) if same else None
        if same and isinstance(same[0], dict):
            self.problems.append(row.problem("地区名称", f"地区“{name}”在本表中重复"))
        elif code and self.codes.get(code, mine) != mine:
            self.problems.append(row.problem("区划代码", f"区划代码“{code}”已被其他地区使用"))
        elif same:
            if code and code != same[0].code:
                self.region_updates.append((same[0], code))
            else:
                self.result.sheets[REGION_SHEET].unchanged += 1
        elif parent is None and self._top_region_taken():
            self.problems.append(row.problem("上级地区", "已有顶级地区，请填写上级地区"))
        else:
            planned = {"name": name, "parent": parent, "code": code, "level": level}
            self.new_regions.append(planned)
            self.regions_by_name[name].append(planned)
            if code:
                self.codes[code] = _key(planned)
        return True

    def _top_region_taken(self) -> bool:
        if self.user is not None and not self.user.is_superuser:
            return True  # an office admin works inside the tree they were given
        return Region.objects.filter(parent=None).exists() or any(
            planned["parent"] is None for planned in self.new_regions
        )

    def _place_in_region(self, row: Row) -> None:
        """Resolve the row's 所属地区, and check its 主办单位 against the user's unit scope."""
        row.values["region"] = region = self._region_of(row)
        unit = row.values.get("unit")
        if self.unit_scope is None or region is None or not unit:
            return
        if isinstance(region, dict) or (region.pk, unit) not in self.unit_scope:
            self.problems.append(row.problem(
                "主办单位", f"“{unit}”不是您所在的单位或其下级单位"
            ))

    def _region_of(self, row: Row):
        name = row.values.get("region")
        if isinstance(name, Region):  # chosen in a form rather than named (add_accounts)
            return name
        if not name:
            return None
        candidates = self.regions_by_name.get(name, [])
        if not candidates:
            self.problems.append(row.problem("所属地区", f"未知地区“{name}”"))
            return None
        if len(candidates) > 1:
            self.problems.append(row.problem("所属地区", f"地区名称“{name}”不唯一"))
            return None
        return candidates[0]

    # Websites

    def plan_websites(self, rows: list[Row]) -> None:
        codes = [r.values["site_code"] for r in rows if r.values.get("site_code")]
        existing = {w.site_code: w for w in Website.objects.filter(site_code__in=codes)}
        visible = set(existing) if self.user is None else set(
            Website.objects.filter(site_code__in=codes).visible_to(self.user)
            .values_list("site_code", flat=True)
        )
        seen: dict[tuple, int] = {}
        for row in rows:
            self._place_in_region(row)
            code = row.values.get("site_code")
            if not code or self._repeated(row, seen, code, "网站标识码"):
                continue
            if code in existing and code not in visible:
                self.problems.append(row.problem(
                    "网站标识码", f"网站标识码“{code}”已登记在您管理范围以外的单位"
                ))
                continue
            self.website_rows.append((row, existing.get(code)))

    # Accounts

    def plan_accounts(self, rows: list[Row]) -> None:
        existing = list(Account.objects.all())
        by_id = {(a.platform, a.account_id): a for a in existing if a.account_id}
        by_name = {(a.platform, a.name): a for a in existing}
        visible = None if self.user is None else set(
            Account.objects.visible_to(self.user).values_list("pk", flat=True)
        )
        seen_names: dict[tuple, int] = {}
        seen_ids: dict[tuple, int] = {}
        for row in rows:
            self._place_in_region(row)
            if not row.values.get("platform") or not row.values.get("name"):
                continue
            platform, implied_type = row.values["platform"]
            row.values["platform"] = platform
            row.values["account_type"] = row.values.get("account_type") or implied_type or None
            name, account_id = row.values["name"], row.values.get("account_id") or ""
            if self._repeated(row, seen_names, name, "账号名称", platform):
                continue
            if account_id and self._repeated(row, seen_ids, account_id, "账号ID", platform):
                continue
            account = by_id.get((platform, account_id)) if account_id else None
            named = by_name.get((platform, name))
            if account is not None and named is not None and named.pk != account.pk:
                self.problems.append(row.problem("账号名称", (
                    f"该平台已有另一个名为“{name}”的账号，与账号ID“{account_id}”不是同一账号"
                )))
                continue
            account = account or named
            if account is not None and visible is not None and account.pk not in visible:
                self.problems.append(row.problem("账号名称", "该账号已登记在您管理范围以外的单位"))
                continue
            self.account_rows.append((row, account))

    def _repeated(self, row: Row, seen: dict, value: str, column: str, *scope) -> bool:
        key = (*scope, value)
        if key in seen:
            self.problems.append(row.problem(column, f"“{value}”与第{seen[key]}行重复"))
            return True
        seen[key] = row.number
        return False

    # Writing

    def apply(self) -> DirectoryImportResult:
        self._apply_regions()
        self.units = {(u.region_id, u.name): u for u in Unit.objects.all()}
        for row, website in self.website_rows:
            self._save(WEBSITE_SHEET, website or Website(site_code=row.values["site_code"]), {
                "name": row.values["name"],
                "url": row.values["url"],
                "kind": row.values["kind"],
                "unit_id": self._unit(row).pk,
                "status": row.values["status"],
            })
        for row, account in self.account_rows:
            self._save(ACCOUNT_SHEET, account or Account(platform=row.values["platform"]), {
                "name": row.values["name"],
                "account_type": row.values["account_type"],
                "account_id": row.values["account_id"],
                "unit_id": self._unit(row).pk,
                "filing": row.values["filing"],
                "status": row.values["status"],
            })
        return self.result

    def _apply_regions(self) -> None:
        counts = self.result.sheets.get(REGION_SHEET)
        for planned in self.new_regions:  # parents are always planned before children
            parent = planned["parent"]
            region = Region(
                name=planned["name"], code=planned["code"],
                parent=parent["obj"] if isinstance(parent, dict) else parent,
            )
            region.level = planned["level"]
            self._history_save(region)
            planned["obj"] = region
            counts.created += 1
        for region, code in self.region_updates:
            region.code = code
            self._history_save(region)
            counts.updated += 1

    def _unit(self, row: Row) -> Unit:
        region = row.values["region"]
        region = region["obj"] if isinstance(region, dict) else region
        key = (region.pk, row.values["unit"])
        if key not in self.units:
            unit = Unit(region=region, name=row.values["unit"])
            self._history_save(unit)
            self.units[key] = unit
            self.result.units_created += 1
        return self.units[key]

    def _save(self, sheet: str, obj, values: dict) -> None:
        """Create or update one website or account.

        A blank cell, or an optional column the sheet leaves out, keeps what is stored: a
        sheet without 备案状态 must not turn 未备案 accounts into 已备案 ones. A new row takes
        the model's defaults, which are spec §1's (运行, 已备案).
        """
        counts = self.result.sheets[sheet]
        values = {name: value for name, value in values.items() if value is not None}
        if obj.pk is None:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.closed_on = None if obj.is_running else self.today
            counts.created += 1
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if not changed:
                counts.unchanged += 1
                return
            for name in changed:
                if name in DATED_CHANGES:
                    getattr(obj, DATED_CHANGES[name])(values[name], self.today)
                else:
                    setattr(obj, name, values[name])
            counts.updated += 1
        self._history_save(obj)

    def _history_save(self, obj) -> None:
        obj._history_user = self.user
        obj.save()
