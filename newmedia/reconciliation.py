"""信息报送系统核查: compare two account lists and turn their differences into tasks.

The lists are the account registers exported from the national system (全国政务新媒体信息
报送系统) and from the provincial platform, or either of them against this portal's
directory. Reading follows the directory import (sites.directory_import): the same platform
names, the same identity rule (平台, 账号ID) where an ID is given, else (平台, 账号名称), and
all or nothing, with every problem named by sheet, row and column.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, replace

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from common.workbook import (
    ImportFailed,
    Problem,
    SheetSpec,
    choice,
    open_workbook,
    read_sheet,
    template_workbook,
)
from inspections.models import Campaign, CampaignItem
from inspections.rectification import ensure_campaign_tasks
from sites.directory_import import ACCOUNT_SPEC
from sites.models import Region, Unit

from .choices import AccountStatus
from .models import Account, DifferenceKind, Reconciliation, ReconciliationDifference

SHEET = "账号"
NATIONAL_SYSTEM = "全国政务新媒体信息报送系统"
PROVINCIAL_PLATFORM = "省级平台"
DIRECTORY = "本门户名录"

# The national system writes 正常 where the directory writes 运行.
STATUS_WORDS = {**{label: value for value, label in AccountStatus.choices},
                "正常": AccountStatus.RUNNING}

_DIRECTORY_COLUMNS = {column.header: column for column in ACCOUNT_SPEC.columns}
REGISTRY_SPEC = SheetSpec(SHEET, (
    _DIRECTORY_COLUMNS["账号名称"],
    _DIRECTORY_COLUMNS["平台"],
    _DIRECTORY_COLUMNS["账号类型"],
    _DIRECTORY_COLUMNS["账号ID"],
    replace(_DIRECTORY_COLUMNS["主办单位"], required=False, note="留空时不比对主办单位"),
    replace(_DIRECTORY_COLUMNS["所属地区"], required=False, note="地区名称，如 丘北县"),
    replace(_DIRECTORY_COLUMNS["运行状态"], parse=choice(STATUS_WORDS),
            note="运行（或 正常）、关停 或 注销；留空时不比对运行状态"),
))

TEMPLATE_NOTES = [
    "政务新媒体账号名单（信息报送系统核查）模板",
    "从全国政务新媒体信息报送系统或省级平台导出账号名单后，整理为“账号”工作表；列的顺序不限，表头必须与模板一致。",
    "账号按（平台，账号ID）识别，未填账号ID时按（平台，账号名称）识别；平台名称与名录导入相同。",
    "同名账号在两份名单中的账号ID不同时视为两个账号：两份名单应使用同一种账号ID（如原始ID）。",
    "账号类型、主办单位、运行状态留空时不参与比对。",
    "名单有任何错误时不做比对，并列出每个错误所在的工作表、行和列。",
]


# Entries and differences -----------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One account as a list records it. Empty text means the list does not say."""

    platform: str
    name: str
    account_id: str = ""
    account_type: str = ""
    unit: str = ""
    region: str = ""
    status: str = ""
    row: int | None = None  # the workbook row, for lists read from a workbook

    @property
    def status_label(self) -> str:
        return AccountStatus(self.status).label if self.status else ""


@dataclass(frozen=True)
class Difference:
    kind: str
    left: Entry | None
    right: Entry | None
    left_value: str
    right_value: str
    description: str

    @property
    def entry(self) -> Entry:
        """The entry that names the account: the first list's where it has one."""
        return self.left or self.right


def template() -> bytes:
    out = io.BytesIO()
    template_workbook([REGISTRY_SPEC], TEMPLATE_NOTES).save(out)
    return out.getvalue()


def read_registry(file, *, size: int | None = None) -> list[Entry]:
    """The accounts of a registry workbook's 账号 sheet, or ImportFailed with every problem."""
    workbook = open_workbook(file, size)
    try:
        if SHEET not in workbook.sheetnames:
            raise ImportFailed([Problem(None, None, None, (
                f"工作簿中没有“{SHEET}”工作表（现有：{'、'.join(workbook.sheetnames)}）。"
            ))])
        problems: list[Problem] = []
        rows = read_sheet(workbook, REGISTRY_SPEC, problems)
    finally:
        workbook.close()
    entries = []
    seen_names: dict[tuple, int] = {}
    seen_ids: dict[tuple, int] = {}
    for row in rows:
        values = row.values
        if not values["name"] or not values["platform"]:
            continue
        platform, implied_type = values["platform"]
        entry = Entry(
            platform=platform, name=values["name"], account_id=values["account_id"] or "",
            account_type=values["account_type"] or implied_type, unit=values["unit"] or "",
            region=values["region"] or "", status=values["status"] or "", row=row.number,
        )
        repeated = [
            row.problem(column, f"“{value}”与第{seen[(platform, value)]}行重复")
            for column, value, seen in (("账号名称", entry.name, seen_names),
                                        ("账号ID", entry.account_id, seen_ids))
            if value and (platform, value) in seen
        ]
        if repeated:
            problems.extend(repeated)
            continue
        seen_names[(platform, entry.name)] = row.number
        if entry.account_id:
            seen_ids[(platform, entry.account_id)] = row.number
        entries.append(entry)
    if problems:
        raise ImportFailed(problems)
    return entries


def directory_entries(region: Region) -> list[Entry]:
    """Every account of the directory in `region` and below, stopped ones included."""
    accounts = Account.objects.within(region).select_related("unit__region").order_by("pk")
    return [
        Entry(platform=a.platform, name=a.name, account_id=a.account_id,
              account_type=a.account_type, unit=a.unit.name, region=a.unit.region.name,
              status=a.status)
        for a in accounts
    ]


def one_account(id_a: str, id_b: str) -> bool:
    """Whether two records of one name on one platform are one account: not when each gives
    an 账号ID and the IDs differ (a wrong ID, or a second account under the same name, is
    for the office to see, not to be paired away)."""
    return not (id_a and id_b and id_a != id_b)


def match(left: list[Entry], right: list[Entry]) -> tuple[list[tuple[Entry, Entry]], list[Entry],
                                                          list[Entry]]:
    """Pair the accounts of two lists: by (平台, 账号ID) where both give an ID, then the rest
    by (平台, 账号名称) unless their IDs differ (`one_account`). Returns the pairs and the
    entries of each side left unpaired."""
    free = dict(enumerate(right))
    by_id = {(e.platform, e.account_id): i for i, e in free.items() if e.account_id}
    paired: dict[int, int] = {}
    for li, entry in enumerate(left):
        ri = by_id.pop((entry.platform, entry.account_id), None) if entry.account_id else None
        if ri is not None:
            paired[li] = ri
            del free[ri]
    by_name = {(e.platform, e.name): i for i, e in free.items()}
    for li, entry in enumerate(left):
        ri = by_name.get((entry.platform, entry.name)) if li not in paired else None
        if ri is not None and one_account(entry.account_id, right[ri].account_id):
            paired[li] = by_name.pop((entry.platform, entry.name))
            del free[ri]
    pairs = [(left[li], right[ri]) for li, ri in sorted(paired.items())]
    only_left = [entry for li, entry in enumerate(left) if li not in paired]
    return pairs, only_left, list(free.values())


def compare(left: list[Entry], right: list[Entry], *, left_label: str = "名单一",
            right_label: str = "名单二") -> list[Difference]:
    """What the two lists disagree on: accounts only one of them holds, and for accounts both
    hold, a different 账号类型, 运行状态 or 主办单位 (a value one list leaves empty is not
    compared)."""
    pairs, only_left, only_right = match(left, right)
    differences = []
    for a, b in pairs:
        for kind, word, x, y in (
            (DifferenceKind.TYPE_DIFFERS, "账号类型", a.account_type, b.account_type),
            (DifferenceKind.STATUS_DIFFERS, "运行状态", a.status_label, b.status_label),
            (DifferenceKind.UNIT_DIFFERS, "主办单位", a.unit, b.unit),
        ):
            if x and y and x != y:
                differences.append(Difference(
                    kind, a, b, x, y, f"{word}不一致：{left_label}为“{x}”，{right_label}为“{y}”"
                ))
    for kind, entries, others, here, there in (
        (DifferenceKind.ONLY_LEFT, only_left, only_right, left_label, right_label),
        (DifferenceKind.ONLY_RIGHT, only_right, only_left, right_label, left_label),
    ):
        namesakes = {(e.platform, e.name): e for e in others}
        differences += [_missing(kind, e, here, there, namesakes.get((e.platform, e.name)))
                        for e in entries]
    return differences


def _missing(kind: str, entry: Entry, here: str, there: str,
             namesake: Entry | None) -> Difference:
    """An account that only the list `here` holds; `namesake` is the account of the same name
    that `there` holds under another 账号ID."""
    present, description, notes = "有", f"{here}中有，{there}中没有", []
    if entry.status:
        present += f"（{entry.status_label}）"
        notes.append(f"{here}中为“{entry.status_label}”")
    if namesake is not None:
        notes.append(f"{there}中的同名账号账号ID为“{namesake.account_id}”，"
                     f"与本账号ID“{entry.account_id}”不同")
    if notes:
        description += f"（{'；'.join(notes)}）"
    if kind == DifferenceKind.ONLY_LEFT:
        return Difference(kind, entry, None, present, "无", description)
    return Difference(kind, None, entry, "无", present, description)


# Recording a reconciliation ----------------------------------------------------------------

class Lookup:
    """List entries or directory accounts, found by the identity rule: (平台, 账号ID) where
    the ID is given, else (平台, 账号名称) when `one_account` allows it."""

    def __init__(self, items):
        self.by_id = {(i.platform, i.account_id): i for i in items if i.account_id}
        self.by_name = {(i.platform, i.name): i for i in items}

    def find(self, platform: str, name: str, account_id: str):
        found = self.by_id.get((platform, account_id)) if account_id else None
        named = self.by_name.get((platform, name))
        if found is None and named is not None and one_account(account_id, named.account_id):
            found = named
        return found


class _Directory:
    """The accounts, regions and units of a reconciliation's region, looked up by name."""

    def __init__(self, region: Region):
        self.region = region
        self.accounts = Lookup(Account.objects.within(region).select_related("unit__region"))
        regions: dict[str, list[Region]] = {}
        for r in Region.objects.within(region):
            regions.setdefault(r.name, []).append(r)
        self.regions = {name: found[0] for name, found in regions.items() if len(found) == 1}
        self.units = {(u.region_id, u.name): u for u in Unit.objects.within(region)}

    def account(self, entry: Entry) -> Account | None:
        """The directory's account for an entry, by the identity rule of `Lookup`."""
        return self.accounts.find(entry.platform, entry.name, entry.account_id)

    def difference(self, reconciliation: Reconciliation,
                   difference: Difference) -> ReconciliationDifference:
        entries = [e for e in (difference.left, difference.right) if e is not None]
        account = next((a for a in map(self.account, entries) if a is not None), None)
        unit_name = next((e.unit for e in entries if e.unit), "")
        if account is not None:
            region, unit = account.unit.region, account.unit
        else:
            region = next((self.regions[e.region] for e in entries if e.region in self.regions),
                          self.region)
            unit = self.units.get((region.pk, unit_name))
        entry = difference.entry
        return ReconciliationDifference(
            reconciliation=reconciliation, kind=difference.kind, platform=entry.platform,
            name=entry.name, account_id=entry.account_id, left_value=difference.left_value[:200],
            right_value=difference.right_value[:200], description=difference.description[:500],
            unit_name=unit_name or (unit.name if unit else ""), region=region,
            matched_account=account, unit=unit,
        )


@transaction.atomic
def record(*, name: str, region: Region, left_label: str, left_file: str, left: list[Entry],
           right_label: str, right_file: str, right: list[Entry], user=None,
           uploads: dict[str, File] | None = None) -> Reconciliation:
    """Compare the lists and keep the comparison with each difference, matched to the
    directory's account (and so to its responsible unit) where the directory has it, and the
    uploaded workbooks (`uploads` by side, "left" or "right"): registering an account from a
    difference reads its row again."""
    reconciliation = Reconciliation.objects.create(
        name=name, region=region, left_label=left_label, left_file=left_file,
        right_label=right_label, right_file=right_file, left_count=len(left),
        right_count=len(right), created_by=user,
    )
    directory = _Directory(region)
    ReconciliationDifference.objects.bulk_create(
        directory.difference(reconciliation, difference)
        for difference in compare(left, right, left_label=left_label, right_label=right_label)
    )
    for side, upload in (uploads or {}).items():
        upload.seek(0)
        getattr(reconciliation, f"{side}_upload").save(upload.name, upload, save=False)
    reconciliation.save(update_fields=["left_upload", "right_upload"])
    return reconciliation


# The uploaded lists, kept with their reconciliation ------------------------------------------

SIDES = ("left", "right")


def kept_list_exists(reconciliation: Reconciliation) -> bool:
    return any(getattr(reconciliation, f"{side}_upload") for side in SIDES)


def kept_list(reconciliation: Reconciliation, side: str) -> list[Entry] | None:
    """The entries of the workbook uploaded as the list `side`, read again; None where none was
    kept (the directory's side)."""
    upload = getattr(reconciliation, f"{side}_upload")
    if not upload:
        return None
    with upload.open("rb") as file:
        return read_registry(file)


# Differences become rectification tasks ----------------------------------------------------

@dataclass
class TaskOutcome:
    opened: int = 0  # differences that now have a campaign item (and so a task)
    already: int = 0  # differences that had one before
    unmatched: int = 0  # differences without an account of the directory: no task possible
    campaign: Campaign | None = None

    def summary(self) -> str:
        return summary_of(
            (self.opened, f"已将 {self.opened} 条差异列入“{self.campaign}”并下发整改任务"),
            (self.already, f"{self.already} 条此前已下发"),
            (self.unmatched, f"{self.unmatched} 条在名录中没有对应账号，无法下发整改任务"
                             "（可先勾选并“登记到名录”）"),
        )


def summary_of(*parts: tuple[int, str]) -> str:
    """What an action on chosen differences did: the sentence of each count that is not 0."""
    return "；".join(sentence for count, sentence in parts if count) or "未选择差异。"


def campaign_name(day: datetime.date) -> str:
    return f"{day.year}年政务新媒体信息报送系统核查"


@transaction.atomic
def open_tasks(reconciliation: Reconciliation, differences, *, deadline: datetime.date,
               today: datetime.date | None = None) -> TaskOutcome:
    """Put each chosen difference that has a directory account into the year's campaign (专项
    核查, created in the reconciliation's region when missing) as a problem account whose 核查
    结果 is the difference, and open the rectification tasks. Running it again changes nothing."""
    today = today or timezone.localdate()
    differences = list(differences)
    outcome = TaskOutcome(
        already=sum(1 for d in differences if d.campaign_item_id),
        unmatched=sum(1 for d in differences if not d.campaign_item_id and not d.can_become_task),
    )
    ready = [d for d in differences if not d.campaign_item_id and d.can_become_task]
    if not ready:
        return outcome
    checked_on = timezone.localdate(reconciliation.created_at)
    campaign, _ = Campaign.objects.get_or_create(
        region=reconciliation.region, name=campaign_name(checked_on),
        defaults={"started_on": today, "checked_on": checked_on, "deadline": deadline,
                  "description": "核对全国政务新媒体信息报送系统、省级平台与本门户名录的账号差异。"},
    )
    # Another reconciliation may have listed the same problem of the same account already.
    items = {(i.account_id, i.result): i for i in CampaignItem.objects.filter(
        campaign=campaign, account__in=[d.matched_account_id for d in ready])}
    new = []
    for difference in ready:
        key = (difference.matched_account_id, difference.description[:200])
        if key not in items:
            items[key] = CampaignItem(campaign=campaign, account_id=key[0], unit_id=difference.unit_id,
                                      result=key[1])
            new.append(items[key])
        difference.campaign_item = items[key]
    CampaignItem.objects.bulk_create(new)
    ReconciliationDifference.objects.bulk_update(ready, ["campaign_item"])
    ensure_campaign_tasks(campaign)
    outcome.opened, outcome.campaign = len(ready), campaign
    return outcome
