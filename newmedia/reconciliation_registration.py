"""信息报送系统核查: an account that only a list holds (a registration the office did not know:
a zombie, or an account opened without 备案) is registered in the directory from that list's
row, so that its difference can become a rectification task like any other."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from common.workbook import ImportFailed, Problem, Row
from sites.directory_import import ACCOUNT_SHEET, ACCOUNT_SPEC, AccountPlan
from sites.models import Unit

from .choices import Filing
from .models import Account, DifferenceKind, Reconciliation, ReconciliationDifference
from .reconciliation import SHEET, SIDES, Entry, Lookup, kept_list, one_account, summary_of


def is_national_system(label: str) -> bool:
    """Whether a list's source is the national system (全国政务新媒体信息报送系统, or 全国系统
    for short): the register in which every 备案 (filing) is recorded."""
    return label.strip().startswith("全国")


@dataclass
class RegistrationOutcome:
    added: int = 0  # accounts added to the directory
    found: int = 0  # accounts the directory has gained another way since the comparison
    already: int = 0  # chosen differences that had a directory account before
    units_created: int = 0

    def summary(self) -> str:
        return summary_of(
            (self.added, f"已按名单将 {self.added} 个账号登记到名录"),
            (self.units_created, f"新增主办单位 {self.units_created} 个"),
            (self.found, f"{self.found} 个账号名录中已有，已与差异对应"),
            (self.already, f"{self.already} 条差异此前已有名录中的账号"),
        )


def registration_units(reconciliation: Reconciliation, user):
    """The units an account may be registered to when its list row names none."""
    return Unit.objects.visible_to(user).within(reconciliation.region).select_related("region")


@transaction.atomic
def register_accounts(reconciliation: Reconciliation, differences, *, user,
                      unit: Unit | None = None, today: datetime.date | None = None,
                      ) -> RegistrationOutcome:
    """Register in the directory the accounts of the chosen differences it lacks, from the row
    of the kept list that holds each, checked and written as the directory import does (units
    it names are created); `unit` takes the rows that name no 主办单位 or 所属地区. The account
    is 已备案 when the national system lists it, else 未备案. Every difference of the
    reconciliation naming a registered account is matched to it, so it can become a task.
    All or nothing: ImportFailed names each problem by list, row and column."""
    differences = list(differences)
    pending = [d for d in differences if d.matched_account_id is None]
    outcome = RegistrationOutcome(already=len(differences) - len(pending))
    if not pending:
        return outcome
    rows = _ListRows(reconciliation, unit)
    for difference in pending:
        rows.add(difference)
    plan = AccountPlan([rows.rows[key] for key in sorted(rows.rows)], user=user, today=today)
    problems = rows.problems + plan.problems
    if not problems:
        problems = rows.check(plan.rows)
    if problems:
        problems.sort(key=lambda p: (p.sheet or "", p.row or 0))  # in the lists' order
        raise ImportFailed([rows.named(problem) for problem in problems])
    accounts, result = plan.apply()
    outcome.added = result.sheets[ACCOUNT_SHEET].created
    outcome.found = len(accounts) - outcome.added
    outcome.units_created = result.units_created
    _match(reconciliation, [account for _, account in accounts])
    return outcome


class _ListRows:
    """Directory-import rows made from the kept lists' rows that hold chosen differences."""

    def __init__(self, reconciliation: Reconciliation, unit: Unit | None):
        self.reconciliation = reconciliation
        self.unit = unit
        self.labels = {"left": reconciliation.left_label, "right": reconciliation.right_label}
        self.files = {"left": reconciliation.left_file, "right": reconciliation.right_file}
        self.lists = {side: Lookup(entries) for side in SIDES
                      if (entries := kept_list(reconciliation, side)) is not None}
        self.rows: dict[tuple[str, int], Row] = {}  # one row per list row, however many chose it
        self.problems: list[Problem] = []

    def add(self, difference: ReconciliationDifference) -> None:
        sides = {DifferenceKind.ONLY_LEFT: ("left",),
                 DifferenceKind.ONLY_RIGHT: ("right",)}.get(difference.kind, SIDES)
        found = [(side, self.lists[side].find(difference.platform, difference.name,
                                              difference.account_id))
                 for side in sides if side in self.lists]
        found = [(side, entry) for side, entry in found if entry is not None]
        if not found:
            self.problems.append(Problem(None, None, None, (
                f"“{difference.name}”（{difference.get_platform_display()}）：本次核查未保存"
                "列有该账号的名单，无法按名单登记，请在名录中直接登记"
            )))
            return
        national = [(side, entry) for side, entry in found if is_national_system(self.labels[side])]
        side, entry = (national or found)[0]
        if (side, entry.row) not in self.rows:
            self.rows[side, entry.row] = self._row(side, entry, bool(national))

    def _row(self, side: str, entry: Entry, filed: bool) -> Row:
        values = dict.fromkeys((column.key for column in ACCOUNT_SPEC.columns), None)
        values.update(
            name=entry.name, platform=(entry.platform, ""), account_type=entry.account_type,
            account_id=entry.account_id, unit=entry.unit, region=entry.region,
            filing=Filing.FILED if filed else Filing.UNFILED, status=entry.status or None,
        )
        row = Row(side, entry.row, values)
        if entry.unit and entry.region:
            return row
        if self.unit is None:
            missing = "主办单位" if not entry.unit else "所属地区"
            self.problems.append(row.problem(missing, (
                f"名单未填{missing}，请在“主办单位”中选择该账号登记到哪个单位"
            )))
        else:
            values.update(unit=self.unit.name, region=self.unit.region)
        return row

    def check(self, planned: list[tuple[Row, Account | None]]) -> list[Problem]:
        """What the directory import allows but a reconciliation does not: an account outside
        the reconciliation's region, or the directory's namesake under another 账号ID."""
        paths = dict(Account.objects.filter(pk__in=[a.pk for _, a in planned if a])
                     .values_list("pk", "unit__region__path"))
        problems = []
        for row, account in planned:
            path = paths[account.pk] if account else row.values["region"].path
            if not path.startswith(self.reconciliation.region.path):
                problems.append(row.problem("所属地区", (
                    f"该账号不在本次核查的地区（{self.reconciliation.region}）内"
                )))
            elif account and not one_account(row.values["account_id"], account.account_id):
                problems.append(row.problem("账号ID", (
                    f"名录中的同名账号账号ID为“{account.account_id}”，与名单不同，"
                    "请核实后修改名录或名单"
                )))
        return problems

    def named(self, problem: Problem) -> Problem:
        """A problem of a list's row, named by the list: 全国系统名单（全国.xlsx），工作表“账号”，第5行…"""
        if problem.sheet not in self.labels:
            return problem
        where = f"{self.labels[problem.sheet]}名单（{self.files[problem.sheet]}）"
        return Problem(None, None, None,
                       f"{where}，{Problem(SHEET, problem.row, problem.column, problem.message)}")


def _match(reconciliation: Reconciliation, accounts: list[Account]) -> None:
    """Match every difference of the reconciliation without a directory account that names
    one of `accounts` to it, with its unit and region."""
    lookup = Lookup(Account.objects.filter(pk__in=[a.pk for a in accounts])
                    .select_related("unit__region"))
    matched = []
    for difference in reconciliation.differences.filter(matched_account=None):
        account = lookup.find(difference.platform, difference.name, difference.account_id)
        if account is not None:
            difference.matched_account, difference.unit = account, account.unit
            difference.region = account.unit.region
            matched.append(difference)
    ReconciliationDifference.objects.bulk_update(matched, ["matched_account", "unit", "region"])
