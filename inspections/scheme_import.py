"""Indicator schemes (指标体系) in and out: the scheme workbook of spec §2, copies, and the
rules every scheme's tree obeys.

The import (`manage.py import_scheme` and the upload page) and the edit page share two
pieces, so a scheme read from a workbook and one typed in the browser are checked and saved
alike:

- `tree_problems` checks a whole list of indicators (names, parents, kinds, points) and
  names each problem's row and field;
- `IndicatorPlan` turns a scheme's stored indicators into that list: it counts what it
  creates, updates, leaves unchanged and deletes, and writes nothing when nothing changed.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.db import transaction
from django.db.models import Q

from common.export import is_formula_like
from common.workbook import (
    CellError,
    Column,
    ImportFailed,
    Problem,
    SheetSpec,
    choice,
    in_sheet_order,
    open_workbook,
    read_sheet,
    template_workbook,
    text,
)

from .assessments import rescore_open_checks
from .choices import CheckStatus, IndicatorKind, Target
from .models import POINTS, Indicator, Inspection, Scheme

SHEET = "指标"
NATIONAL_WEBSITE_SCHEME = "国家政府网站检查指标（2019）"
KIND_LABELS = dict(IndicatorKind.choices)
NAME_MAX = Indicator._meta.get_field("name").max_length
SCHEME_NAME_MAX = Scheme._meta.get_field("name").max_length
CENT = Decimal("0.01")
POINTS_LIMIT = Decimal(10) ** (POINTS["max_digits"] - POINTS["decimal_places"])


def plain(value: Decimal) -> str:
    """Points as offices write them: 30, 4.5 (not 30.00)."""
    return f"{value.normalize():f}"


# The workbook's columns ---------------------------------------------------------------

def _name(value) -> str:
    name = text(value)
    if len(name) > NAME_MAX:
        raise CellError(f"指标名称不能超过{NAME_MAX}个字")
    return name


def _points(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字")
    try:
        points = Decimal(str(value)) if isinstance(value, (int, float)) else Decimal(text(value))
    except InvalidOperation as error:
        raise CellError(f"“{text(value)}”不是数字") from error
    if not points.is_finite():
        raise CellError(f"“{text(value)}”不是数字")
    if isinstance(value, float) and abs(points - points.quantize(CENT)) < Decimal("1e-9"):
        points = points.quantize(CENT)  # Excel's binary rounding, e.g. 0.30000000000000004
    if points != points.quantize(CENT):
        raise CellError(f"分值“{text(value)}”最多保留两位小数")
    if abs(points) >= POINTS_LIMIT:
        raise CellError(f"分值“{text(value)}”过大")
    return points


INDICATOR_SPEC = SheetSpec(SHEET, (
    Column("指标名称", "name", required=True, parse=_name, example="政务动态",
           note="在本表中不能重复"),
    Column("上级指标", "parent", example="发布解读",
           note="一级指标留空；须为本表中的另一个指标（可以写在它的下方）"),
    Column("类型", "kind", required=True, parse=choice({v: k for k, v in KIND_LABELS.items()}),
           example="扣分", note="单项否决、扣分 或 加分；下级指标的类型与上级指标相同"),
    Column("分值", "max_points", parse=_points, example=5,
           note="扣分、加分指标的满分（不小于0，最多两位小数）：末级指标必填，单项否决指标不填；"
                "上级指标填写分值时，须等于其下级指标分值之和"),
    Column("说明", "rule", example="监测时间点前2周内未更新的，扣1分。", note="检查规则，自由文本"),
))
HEADERS = {column.key: column.header for column in INDICATOR_SPEC.columns}

TEMPLATE_NOTES = [
    "指标体系导入模板：工作表“指标”每行一个指标，按行的先后排列同级指标。",
    "导入时填写指标体系名称和检查对象（政府网站 或 政务新媒体）。名称与已有指标体系相同时，"
    "按指标名称替换其指标（新增、修改、删除）；已用于已结束检查的指标体系不能替换。",
    "整个工作簿全部通过校验才会导入；有任何错误时不做任何修改，并列出每个错误所在的行和列。",
    "重复导入同一工作簿不会产生变化。合格分数线和加分门槛不在工作簿中，请在门户的指标体系页面设置。",
]


# The rules of a tree --------------------------------------------------------------------

@dataclass
class IndicatorSpec:
    """One indicator as a workbook row or a row of the edit page describes it."""

    key: Hashable  # identifies the row among the others: a name, a stored pk, a row number
    row: int  # where to report it: the sheet's row number, the edit page's row number
    name: str
    kind: str | None
    max_points: Decimal | None = None
    rule: str = ""
    order: int = 0
    parent: Hashable | None = None  # the key of the parent's row
    parent_name: str = ""
    pk: int | None = None  # the stored indicator this row keeps, if any


@dataclass(frozen=True)
class TreeProblem:
    spec: IndicatorSpec
    field: str  # "name", "parent", "kind" or "max_points"
    message: str


def tree_problems(specs: list[IndicatorSpec]) -> list[TreeProblem]:
    """Everything wrong with these indicators as one scheme, in row order.

    Names are unique; a parent is another row (never the row itself, never a cycle); a child
    has its parent's kind; 单项否决 has no points; a 扣分 or 加分 leaf has points ≥ 0; a
    parent's points equal the sum of its children's wherever both are known (a middle level
    without points counts as the sum of its own children).
    """
    problems: list[TreeProblem] = []
    first_row: dict[str, int] = {}
    by_key: dict[Hashable, IndicatorSpec] = {}
    for spec in specs:
        if spec.name in first_row:
            problems.append(TreeProblem(spec, "name", f"“{spec.name}”与第{first_row[spec.name]}行重复"))
        else:
            first_row[spec.name] = spec.row
        by_key.setdefault(spec.key, spec)  # a repeated workbook name keeps its first row
    nodes = list(by_key.values())

    parent_of: dict[Hashable, Hashable] = {}
    for spec in nodes:
        if spec.parent is None:
            continue
        if spec.parent == spec.key:
            problems.append(TreeProblem(spec, "parent", "上级指标不能是它自己"))
        elif spec.parent not in by_key:
            problems.append(TreeProblem(spec, "parent", f"找不到上级指标“{spec.parent_name}”"))
        else:
            parent_of[spec.key] = spec.parent

    cyclic = set()
    for cycle in _cycles(nodes, parent_of):
        chain = " → ".join(by_key[key].name for key in [*cycle, cycle[0]])
        for key in cycle:
            problems.append(TreeProblem(by_key[key], "parent", f"上级指标形成循环：{chain}"))
        cyclic.update(cycle)

    children: dict[Hashable, list[IndicatorSpec]] = defaultdict(list)
    for key, parent in parent_of.items():
        children[parent].append(by_key[key])
    for spec in nodes:
        parent = by_key.get(parent_of.get(spec.key))
        if parent is not None and spec.kind and parent.kind and spec.kind != parent.kind:
            problems.append(TreeProblem(
                spec, "kind", f"类型应与上级指标“{parent.name}”相同（{KIND_LABELS[parent.kind]}）"
            ))
        problems.extend(_points_problems(spec, bool(children[spec.key])))

    def effective(spec: IndicatorSpec) -> Decimal | None:
        if spec.max_points is not None:
            return spec.max_points
        values = [effective(child) for child in children[spec.key]]
        return None if not values or None in values else sum(values, Decimal(0))

    for spec in nodes:
        if spec.key in cyclic or spec.max_points is None or not children[spec.key]:
            continue
        values = [effective(child) for child in children[spec.key]]
        if None in values:
            continue
        total = sum(values, Decimal(0))
        if total != spec.max_points:
            problems.append(TreeProblem(spec, "max_points", (
                f"分值{plain(spec.max_points)}与下级指标分值之和{plain(total)}不一致"
            )))
    return sorted(problems, key=lambda p: p.spec.row)


def _points_problems(spec: IndicatorSpec, has_children: bool) -> list[TreeProblem]:
    if spec.kind == IndicatorKind.VETO and spec.max_points is not None:
        return [TreeProblem(spec, "max_points", "单项否决指标不设分值")]
    if spec.kind in (IndicatorKind.DEDUCTION, IndicatorKind.BONUS):
        if spec.max_points is not None and spec.max_points < 0:
            return [TreeProblem(spec, "max_points", "分值不能小于0")]
        if spec.max_points is None and not has_children:
            return [TreeProblem(spec, "max_points", f"末级{KIND_LABELS[spec.kind]}指标必须填写分值")]
    return []


def _cycles(nodes: list[IndicatorSpec], parent_of: dict) -> list[list[Hashable]]:
    """Each loop of parents once, as the keys met walking up from its first row."""
    done: set = set()
    cycles = []
    for spec in nodes:
        trail: list = []
        key = spec.key
        while key is not None and key not in done and key not in trail:
            trail.append(key)
            key = parent_of.get(key)
        if key is not None and key in trail:
            cycles.append(trail[trail.index(key):])
        done.update(trail)
    return cycles


def tree_rows(indicators: Iterable[Indicator]) -> list[tuple[Indicator, int]]:
    """The indicators parents first, each followed by its subtree, siblings by their order;
    with their depth (0 for a first-level indicator)."""
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in sorted(indicators, key=lambda i: (i.order, i.pk)):
        children[indicator.parent_id].append(indicator)
    rows: list[tuple[Indicator, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for indicator in children.get(parent_id, ()):
            rows.append((indicator, depth))
            walk(indicator.pk, depth + 1)

    walk(None, 0)
    return rows


# Writing a scheme's indicators ----------------------------------------------------------

@dataclass
class IndicatorCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def summary(self) -> str:
        return (f"指标：新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}，"
                f"删除 {self.deleted}")


class IndicatorPlan:
    """What turns a scheme's stored indicators into `specs` (checked by tree_problems):
    rows with a pk keep that indicator, rows without one are created, stored indicators
    that no row keeps are deleted."""

    FIELDS = ("name", "kind", "max_points", "rule", "order")

    def __init__(self, stored: Iterable[Indicator], specs: list[IndicatorSpec]):
        self.stored = {indicator.pk: indicator for indicator in stored}
        self.specs = specs
        self.by_key = {spec.key: spec for spec in specs}
        kept = {spec.pk for spec in specs if spec.pk is not None}
        self.removed = [i for pk, i in self.stored.items() if pk not in kept]
        self.changed = [spec for spec in specs if spec.pk is not None and self._differs(spec)]
        self.counts = IndicatorCounts(
            created=sum(spec.pk is None for spec in specs),
            updated=len(self.changed),
            unchanged=len(kept) - len(self.changed),
            deleted=len(self.removed),
        )

    def _differs(self, spec: IndicatorSpec) -> bool:
        stored = self.stored[spec.pk]
        parent = self.by_key.get(spec.parent)  # None too for a parent tree_problems reports
        parent_pk = parent.pk if parent is not None else None
        return (
            (parent is not None and parent_pk is None)  # moved under a new indicator
            or stored.parent_id != parent_pk
            or any(getattr(stored, name) != getattr(spec, name) for name in self.FIELDS)
        )

    @property
    def has_changes(self) -> bool:
        return bool(self.counts.created or self.counts.updated or self.counts.deleted)

    def removed_in_use(self) -> list[str]:
        """Names of indicators to delete that scores or findings still point at."""
        if not self.removed:
            return []
        return list(
            Indicator.objects.filter(pk__in=[i.pk for i in self.removed])
            .filter(Q(scores__isnull=False) | Q(findings__isnull=False))
            .order_by("order", "pk").distinct().values_list("name", flat=True)
        )

    def apply(self, scheme: Scheme) -> IndicatorCounts:
        if not self.has_changes:
            return self.counts
        with transaction.atomic():
            removed = [i.pk for i in self.removed]
            # A kept indicator still stored under a removed one would go with it (CASCADE).
            Indicator.objects.filter(parent_id__in=removed).exclude(pk__in=removed).update(parent=None)
            Indicator.objects.filter(pk__in=removed).delete()
            # A rename may take a name that another row gives up in this same change.
            for spec in self.changed:
                if spec.name != self.stored[spec.pk].name:
                    Indicator.objects.filter(pk=spec.pk).update(name=f"\u2063{spec.pk}")
            new = {spec.key: Indicator(scheme=scheme, name=spec.name, kind=spec.kind)
                   for spec in self.specs if spec.pk is None}
            Indicator.objects.bulk_create(new.values())
            pks = {spec.key: spec.pk for spec in self.specs if spec.pk is not None}
            pks.update({key: indicator.pk for key, indicator in new.items()})
            rows = []
            for spec in [*self.changed, *(s for s in self.specs if s.pk is None)]:
                indicator = self.stored[spec.pk] if spec.pk is not None else new[spec.key]
                for name in self.FIELDS:
                    setattr(indicator, name, getattr(spec, name))
                indicator.parent_id = pks[spec.parent] if spec.parent is not None else None
                rows.append(indicator)
            Indicator.objects.bulk_update(rows, [*self.FIELDS, "parent"])
            rescore_open_checks(scheme)
        return self.counts


# The workbook ---------------------------------------------------------------------------

@dataclass
class SchemeImportResult:
    scheme: Scheme
    scheme_created: bool
    counts: IndicatorCounts = field(default_factory=IndicatorCounts)

    def summary_lines(self) -> list[str]:
        head = "新建指标体系" if self.scheme_created else "指标体系"
        return [f"{head}“{self.scheme.name}”（{self.scheme.get_target_display()}）",
                self.counts.summary()]


def import_scheme(file, *, name: str, target: str, size: int | None = None) -> SchemeImportResult:
    """Check the whole workbook, then create the scheme `name` or replace its indicators, in
    one transaction; or raise ImportFailed listing every problem, having written nothing."""
    problems: list[Problem] = []
    name = (name or "").strip()
    scheme = _scheme_to_replace(name, target, problems)
    workbook = open_workbook(file, size)
    try:
        if SHEET not in workbook.sheetnames:
            raise ImportFailed([*problems, Problem(None, None, None, f"工作簿中没有“{SHEET}”工作表。")])
        sheet_problems: list[Problem] = []
        rows = read_sheet(workbook, INDICATOR_SPEC, sheet_problems)
    finally:
        workbook.close()
    problems += sheet_problems
    if not rows and not sheet_problems:
        problems.append(Problem(SHEET, None, None, "工作表中没有指标"))
    specs = [
        IndicatorSpec(
            key=row.values["name"], row=row.number, name=row.values["name"],
            kind=row.values["kind"], max_points=row.values["max_points"],
            rule=row.values["rule"] or "", order=order,
            parent=row.values["parent"] or None, parent_name=row.values["parent"] or "",
        )
        for order, row in enumerate(rows, start=1) if row.values["name"]
    ]
    problems += [Problem(SHEET, p.spec.row, HEADERS[p.field], p.message) for p in tree_problems(specs)]
    stored = list(scheme.indicators.all()) if scheme is not None else []
    by_name = {indicator.name: indicator.pk for indicator in stored}
    for spec in specs:
        spec.pk = by_name.get(spec.name)
    _keep_stored_orders(specs, stored)
    plan = IndicatorPlan(stored, specs)
    problems += [
        Problem(SHEET, None, None, f"指标“{used}”已有检查得分或问题记录，不能删除；请在工作表中保留该指标")
        for used in plan.removed_in_use()
    ]
    if problems:
        raise ImportFailed(in_sheet_order(problems, [INDICATOR_SPEC]))
    with transaction.atomic():
        created = scheme is None
        if created:
            scheme = Scheme.objects.create(name=name, target=target)
        return SchemeImportResult(scheme, created, plan.apply(scheme))


def _keep_stored_orders(specs: list[IndicatorSpec], stored: list[Indicator]) -> None:
    """Rows are ordered by their place in the sheet; a group of siblings that is already
    stored in that order keeps its numbers, so re-importing an export changes nothing."""
    by_pk = {indicator.pk: indicator for indicator in stored}
    siblings: dict[Hashable, list[IndicatorSpec]] = defaultdict(list)
    for spec in specs:
        siblings[spec.parent].append(spec)
    for group in siblings.values():
        if any(spec.pk is None for spec in group):
            continue
        keys = [(by_pk[spec.pk].order, spec.pk) for spec in group]
        if all(a < b for a, b in pairwise(keys)):
            for spec, (order, _) in zip(group, keys, strict=True):
                spec.order = order


def _scheme_to_replace(name: str, target: str, problems: list[Problem]) -> Scheme | None:
    """The existing scheme of that name, if it may be replaced; a name, target or lock that
    rules the import out is added to `problems`."""
    if target not in Target.values:
        problems.append(Problem(None, None, None, (
            f"检查对象“{target}”无效，应为 websites（政府网站）或 newmedia（政务新媒体）"
        )))
    if not name:
        problems.append(Problem(None, None, None, "请填写指标体系名称"))
        return None
    if len(name) > SCHEME_NAME_MAX:
        problems.append(Problem(None, None, None, f"指标体系名称不能超过{SCHEME_NAME_MAX}个字"))
        return None
    scheme = Scheme.objects.filter(name=name).first()
    if scheme is None:
        return None
    closed = closed_checks(scheme)
    if closed:
        problems.append(Problem(None, None, None, (
            f"指标体系“{name}”已用于已结束的检查（{'、'.join(str(c) for c in closed)}），"
            "不能替换其指标；请换一个名称导入为新的指标体系"
        )))
        return None  # the rows are still checked, but not against a scheme that cannot change
    if target in Target.values and scheme.target != target:
        problems.append(Problem(None, None, None, (
            f"已有指标体系“{name}”的检查对象是{scheme.get_target_display()}，"
            f"不能导入为{Target(target).label}指标体系；请换一个名称"
        )))
    return scheme


def closed_checks(scheme: Scheme) -> list[Inspection]:
    """The closed checks that lock the scheme (Scheme.is_locked), whatever the user's scope."""
    return list(scheme.inspections.filter(status=CheckStatus.CLOSED).order_by("year", "quarter"))


def scheme_workbook(scheme: Scheme) -> bytes:
    """The scheme in the import layout: sheet 指标 with one row per indicator, parents
    first, and a 说明 sheet. Importing it under any name gives the same tree."""
    notes = [
        f"指标体系：{scheme.name}（{scheme.get_target_display()}）",
        f"合格分数线：{plain(scheme.pass_mark)}分；加分门槛：{plain(scheme.bonus_threshold)}分",
        *([f"说明：{scheme.description}"] if scheme.description else []),
        "",
        *TEMPLATE_NOTES,
    ]
    workbook = template_workbook([INDICATOR_SPEC], notes)
    sheet = workbook[SHEET]
    sheet.delete_rows(2)
    indicators = list(scheme.indicators.all())
    names = {indicator.pk: indicator.name for indicator in indicators}
    for number, (indicator, _) in enumerate(tree_rows(indicators), start=2):
        points = indicator.max_points
        values = [
            indicator.name,
            names.get(indicator.parent_id, ""),
            indicator.get_kind_display(),
            None if points is None else int(points) if points == int(points) else float(points),
            indicator.rule,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if is_formula_like(value):
                cell.data_type = "s"  # text, never a formula Excel would run
    for letter, width in zip("ABCDE", (28, 16, 10, 8, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template() -> bytes:
    """The upload page's template: the national website scheme, for an office to adapt."""
    scheme = (Scheme.objects.filter(name=NATIONAL_WEBSITE_SCHEME).first()
              or Scheme.objects.default_for(Target.WEBSITES))
    if scheme is not None:
        return scheme_workbook(scheme)
    out = io.BytesIO()
    template_workbook([INDICATOR_SPEC], TEMPLATE_NOTES).save(out)
    return out.getvalue()


# Copies ---------------------------------------------------------------------------------

def copy_name(scheme: Scheme) -> str:
    """"NAME（副本）", or （副本2）, （副本3）… when taken."""
    taken = set(Scheme.objects.filter(name__startswith=scheme.name[:80]).values_list("name", flat=True))
    number = 1
    while True:
        suffix = "（副本）" if number == 1 else f"（副本{number}）"
        name = scheme.name[: SCHEME_NAME_MAX - len(suffix)] + suffix
        if name not in taken:
            return name
        number += 1


@transaction.atomic
def copy_scheme(source: Scheme, name: str) -> Scheme:
    """A new scheme `name` with the source's settings and an identical tree, based on it."""
    scheme = Scheme.objects.create(
        name=name, target=source.target, pass_mark=source.pass_mark,
        bonus_threshold=source.bonus_threshold, description=source.description, based_on=source,
    )
    specs = [
        IndicatorSpec(key=i.pk, row=number, name=i.name, kind=i.kind, max_points=i.max_points,
                      rule=i.rule, order=i.order, parent=i.parent_id)
        for number, (i, _) in enumerate(tree_rows(source.indicators.all()), start=1)
    ]
    IndicatorPlan([], specs).apply(scheme)
    return scheme
