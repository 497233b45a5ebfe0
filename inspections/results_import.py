"""The results workbook (检查结果, spec §3): one quarter's scores and problems per target.

One implementation for `manage.py import_results` and the upload page. The sheets present
decide which checks it fills; each row is one checked target. Totals and verdicts are
computed with the browser's rules (inspections.scoring), never read: a 得分 or 结论 in the
workbook is only checked against them. Everything is checked first; only a workbook without
a single problem is written, in one transaction and in bulk (a vendor's workbook holds
thousands of accounts).
"""

from __future__ import annotations

import datetime
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import JSONField, Q
from django.utils import timezone

from common.models import refresh_planner_statistics
from common.workbook import (
    CellError,
    Column,
    ImportFailed,
    Problem,
    Row,
    SheetCounts,
    SheetSpec,
    choice,
    date_list,
    in_sheet_order,
    number,
    open_workbook,
    read_sheet,
    split_list,
    template_workbook,
    text,
)
from newmedia.choices import Platform, platform_from_name
from newmedia.models import Account
from sites.models import Region, Website
from sites.roles import Role

from .choices import QUARTER_WORDS, CheckMode, CheckStatus, IndicatorKind, Target
from .models import Assessment, Finding, Inspection, Scheme, Score
from .rectification import TransitionError, ensure_inspection_tasks, release
from .sampling import population
from .scoring import CENT, Result, SchemeTree, compute, points_problems

WEBSITE_SHEET, ACCOUNT_SHEET = "政府网站", "政务新媒体"
SHEET_TARGETS = {WEBSITE_SHEET: Target.WEBSITES, ACCOUNT_SHEET: Target.NEWMEDIA}
VERDICTS = {"合格": True, "不合格": False}
NOT_APPLICABLE = "不适用"
MAX_POINTS_CELL = Decimal("9999.99")  # what Score.points can hold


def _platform(value) -> str:
    name = text(value)
    platform = platform_from_name(name)
    if platform is None:
        raise CellError(
            f"未知平台“{name}”，应为：{'、'.join(label for _, label in Platform.choices)}"
            "（也可写 微信、新浪微博、头条号 等常用名称）"
        )
    return platform


def _points(cell) -> Decimal:
    """A score cell in cents; Excel's float noise (16.699999999999999) rounds away."""
    value = number(cell)
    if not math.isfinite(value):
        raise CellError(f"“{text(cell)}”不是数字")
    points = Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
    if abs(points) > MAX_POINTS_CELL:
        raise CellError(f"“{text(cell)}”超出了得分的范围")
    return points


WEBSITE_KEYS = (
    Column("网站标识码", "site_code", example="5326260001",
           note="与网站名称至少填写一项；填写时按网站标识码识别网站"),
    Column("网站名称", "name", example="丘北县人民政府",
           note="未填网站标识码时按名称识别，名称在名录中须唯一"),
)
WEBSITE_TAIL = (
    Column("单项否决", "vetoes", parse=split_list, example="",
           note="发现的单项否决指标名称，多个用“；”分隔；没有则留空。有单项否决的网站为不合格，可不填得分"),
    Column("存在问题", "problems", example="政策解读栏目部分解读材料未关联政策文件",
           note="发现的问题（文字）；每个单项否决指标记为一条问题，没有单项否决时记为一条问题"),
    Column("得分", "total", parse=_points,
           note="可选：填写时与按各指标得分计算的总分核对（保留两位小数），不一致即报错"),
)
ACCOUNT_SPEC = SheetSpec(ACCOUNT_SHEET, (
    Column("账号名称", "name", required=True, example="丘北发布"),
    Column("平台", "platform", required=True, parse=_platform, example="微信公众号",
           note="按（平台，账号名称）识别账号；平台也接受 微信、新浪微博、抖音短视频、头条号 等常用名称"),
    Column("问题类型", "indicators", parse=split_list, example="安全、泄密事故等严重问题",
           note="发现问题的指标名称，多个用“；”分隔；没有则留空。国家指标中均为单项否决指标，即为不合格"),
    Column("问题描述", "description", example="发布的信息存在严重表述错误"),
    Column("发布时间", "post_dates", parse=date_list, example="2021-11-03；2021-11-20",
           note="有问题的信息的发布日期，多个用“；”分隔，如 2021-07-02 或 2021年7月2日"),
    Column("结论", "verdict", parse=choice(VERDICTS), example="不合格",
           note="可选：合格 或 不合格；填写时与计算结果核对，不一致即报错"),
    Column("得分", "total", parse=_points, example="",
           note="可选：填写时与计算结果核对；只有单项否决指标的指标体系不计总分，应留空"),
))


def website_spec(tree: SchemeTree) -> SheetSpec:
    """Besides the listed columns, one column per scored indicator, at any level."""
    scored = {node.name for node in tree.nodes.values() if node.kind != IndicatorKind.VETO}
    return SheetSpec(WEBSITE_SHEET, WEBSITE_KEYS + WEBSITE_TAIL, extra_columns=scored.__contains__)


TEMPLATE_NOTES = [
    "检查结果导入模板",
    "可只保留需要的工作表：“政府网站”填入该季度的政府网站检查，“政务新媒体”填入政务新媒体检查；"
    "该季度的检查不存在时自动新建。每行是一个检查对象，须已在名录中。",
    "列的顺序不限，表头必须与模板一致。政府网站的得分列以指标名称为表头，可用指标体系中任一级的计分指标"
    "（如“发布解读”或其下的“政策解读”），但同一指标与其下级指标不能同时填写。",
    "总分与结论由系统按指标体系计算：有单项否决即不合格；总分为各项得分之和（扣分指标得分超过加分门槛才计加分），"
    "低于合格分数线为不合格；其余为合格，没有填写得分的也为合格。填写的“得分”“结论”只用于核对。",
    "不考核的一级扣分指标（如没有对外服务职能的部门不考核“办事服务”），在该指标的列中填写“不适用”："
    "该项不计分，扣分指标得分按比例折算为满分（如 75 分 × 4/3）。工作簿中有该指标（或其下级指标）的列时，"
    "以本行填写的为准，填写得分即取消“不适用”；工作簿中没有该指标的列时，保留原有的“不适用”设置。",
    "整个工作簿全部通过校验才会导入；有任何错误时不做任何修改，并列出每个错误所在的工作表、行和列。"
    "重复导入同一工作簿不会产生变化；修改后重新导入，会替换该对象的得分和存在问题。",
]


def template() -> bytes:
    """The template, with the default website scheme's first-level groups as score columns
    and an example row whose 得分 is what the portal computes for it."""
    specs = [_website_template_spec(), ACCOUNT_SPEC]
    notes = [*TEMPLATE_NOTES, ""]
    for target in (Target.WEBSITES, Target.NEWMEDIA):
        scheme = Scheme.objects.default_for(target)
        if scheme is not None:
            notes += _scheme_notes(scheme, SchemeTree.of(scheme))
    out = io.BytesIO()
    template_workbook(specs, notes).save(out)
    return out.getvalue()


def _website_template_spec() -> SheetSpec:
    scheme = Scheme.objects.default_for(Target.WEBSITES)
    if scheme is None:
        return SheetSpec(WEBSITE_SHEET, WEBSITE_KEYS + WEBSITE_TAIL)
    tree = SchemeTree.of(scheme)
    kinds = dict(IndicatorKind.choices)
    groups = tree.scored_groups()
    # Nearly full marks and a little bonus, so that the example shows the bonus counted.
    examples = {g.id: max(Decimal(0), (g.max_points or Decimal(0)) - 2) if g.kind == IndicatorKind.DEDUCTION
                else min(Decimal(5), g.max_points or Decimal(0)) for g in groups}
    columns = tuple(
        Column(g.name, f"indicator_{g.id}", example=_cell(examples[g.id]),
               note=f"{kinds[g.kind]}指标，分值{_plain(g.max_points or Decimal(0))}分；"
                    + ("不考核的填“不适用”；" if g.kind == IndicatorKind.DEDUCTION else "")
                    + "也可删去此列，改填其下级指标的得分")
        for g in groups
    )
    total = compute(tree, examples).total
    tail = tuple(replace(c, example=_cell(total)) if c.key == "total" else c for c in WEBSITE_TAIL)
    return SheetSpec(WEBSITE_SHEET, WEBSITE_KEYS + columns + tail)


def _scheme_notes(scheme: Scheme, tree: SchemeTree) -> list[str]:
    kinds = dict(IndicatorKind.choices)
    lines = [f"默认指标体系“{scheme.name}”（合格分数线 {_plain(scheme.pass_mark)} 分）的指标："]
    for node_id in tree.roots:
        for indicator_id in [node_id, *tree.descendants(node_id)]:
            node = tree.nodes[indicator_id]
            depth = "    " if node.parent_id else "  "
            points = f"，{_plain(node.max_points)}分" if node.max_points is not None else ""
            lines.append(f"{depth}{node.name}（{kinds[node.kind]}{points}）")
    return lines


@dataclass
class ResultCounts(SheetCounts):
    # Running targets of a full check that still have no result (they may be entered online).
    missing: int = 0
    # Findings of re-imported targets that the workbook no longer lists: said, not silent.
    removed_findings: int = 0

    def line(self, sheet: str) -> str:
        extra = f"（另有 {self.missing} 个运行中的对象尚无检查结果）" if self.missing else ""
        if self.removed_findings:
            extra += (f"（删去工作簿中已没有的存在问题 {self.removed_findings} 条，"
                      "原记录保留在变更历史中）")
        return super().line(sheet) + extra


@dataclass
class ResultsImportResult:
    sheets: dict[str, ResultCounts] = field(default_factory=dict)
    created_checks: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        lines = [counts.line(name) for name, counts in self.sheets.items()]
        return lines + [f"新建检查批次：{name}" for name in self.created_checks]


def import_results(file, *, year: int, quarter: int, schemes=(), mode: str = CheckMode.FULL,
                   size: int | None = None, user=None) -> ResultsImportResult:
    """Check the whole workbook, then write it in one transaction, or raise ImportFailed.

    `schemes` names at most one scheme per target, for checks this import creates. `user`
    is None for the command line; the upload page passes the signed-in admin or inspector.
    """
    workbook = open_workbook(file, size)
    try:
        sheets = [name for name in SHEET_TARGETS if name in workbook.sheetnames]
        if not sheets:
            raise ImportFailed([Problem(None, None, None, (
                "工作簿中没有“政府网站”“政务新媒体”中的任何一个工作表。"
            ))])
        checks = _plan_checks(sheets, year=year, quarter=quarter, schemes=schemes, mode=mode,
                              user=user)
        problems: list[Problem] = []
        rows = {}
        for check in checks:
            if check.sheet == WEBSITE_SHEET:
                _require_website_key(workbook, problems)
            rows[check.sheet] = read_sheet(workbook, check.spec, problems)
    finally:
        workbook.close()
    planners = [_SheetPlanner(check, problems, user) for check in checks]
    for planner in planners:
        planner.plan(rows[planner.check.sheet])
    if problems:
        raise ImportFailed(in_sheet_order(problems, [check.spec for check in checks]))
    result = ResultsImportResult()
    with transaction.atomic():
        for planner in planners:
            planner.apply(result)
    return result


# Checks -------------------------------------------------------------------------------

@dataclass
class _Check:
    sheet: str
    inspection: Inspection  # not saved yet when this import creates it
    tree: SchemeTree

    @property
    def spec(self) -> SheetSpec:
        return website_spec(self.tree) if self.sheet == WEBSITE_SHEET else ACCOUNT_SPEC


def _plan_checks(sheets: list[str], *, year: int, quarter: int, schemes, mode: str,
                 user) -> list[_Check]:
    """The check each sheet fills, existing or to be created; raise on any problem, since
    rows cannot be read without knowing their scheme."""
    problems: list[Problem] = []

    def fail(message: str, sheet: str | None = None) -> None:
        problems.append(Problem(sheet, None, None, message))

    if quarter not in QUARTER_WORDS:
        fail(f"季度应为 1 至 4，而不是“{quarter}”。")
    if not 2015 <= year <= 2100:
        fail(f"年度“{year}”不在 2015 至 2100 之间。")
    if mode not in CheckMode.values:
        fail(f"检查方式应为 {'、'.join(CheckMode.values)}，而不是“{mode}”。")
    top = Region.objects.filter(parent=None).order_by("pk").first()
    if top is None:
        fail("名录中还没有地区，请先导入名录。")
    elif user is not None and not user.is_superuser and user.region_id != top.pk:
        fail(f"检查结果按{top.name}的检查批次导入，只有所属地区为{top.name}的用户可以导入。")
    named = _named_schemes(schemes, fail)
    if problems:
        raise ImportFailed(problems)
    checks = []
    for sheet in sheets:
        target = SHEET_TARGETS[sheet]
        inspection = _inspection(top, year, quarter, target, named.get(target), mode, user,
                                 lambda message, sheet=sheet: fail(message, sheet))
        if inspection is not None:
            checks.append(_Check(sheet, inspection, SchemeTree.of(inspection.scheme)))
    if problems:
        raise ImportFailed(problems)
    return checks


def _named_schemes(names, fail) -> dict[str, Scheme]:
    found = {s.name: s for s in Scheme.objects.filter(name__in=list(names))}
    by_target: dict[str, list[Scheme]] = defaultdict(list)
    for name in dict.fromkeys(names):
        if name not in found:
            fail(f"指定的指标体系“{name}”不存在。")
        else:
            by_target[found[name].target].append(found[name])
    for target, chosen in by_target.items():
        if len(chosen) > 1:
            fail(f"为{Target(target).label}指定了多个指标体系：{'、'.join(s.name for s in chosen)}，"
                 "每类检查对象只能指定一个。")
    return {target: chosen[0] for target, chosen in by_target.items()}


def _inspection(top: Region, year: int, quarter: int, target: str, scheme: Scheme | None,
                mode: str, user, fail) -> Inspection | None:
    inspection = Inspection.objects.select_related("scheme").filter(
        region=top, year=year, quarter=quarter, target=target
    ).first()
    is_admin = user is None or user.has_role(Role.ADMIN)
    if inspection is not None:
        if inspection.is_closed:
            fail(f"{inspection}已结束，不能再导入检查结果。")
        elif inspection.status == CheckStatus.DRAFT:  # its targets and scheme may still change
            fail(f"{inspection}尚未开始评分（草稿），请管理员在检查页面点击“开始评分”后再导入检查结果。")
        if scheme is not None and scheme.pk != inspection.scheme_id:
            fail(f"{inspection}使用指标体系“{inspection.scheme}”，与指定的“{scheme}”不一致。")
        if inspection.mode != mode:
            fail(f"{inspection}的检查方式为“{inspection.get_mode_display()}”，"
                 f"与指定的“{CheckMode(mode).label}”不一致。")
        if not is_admin and not inspection.inspectors.filter(pk=user.pk).exists():
            fail(f"您不是{inspection}的检查员，不能导入它的检查结果。")
        return inspection
    inspection = Inspection(
        region=top, year=year, quarter=quarter, target=target, mode=mode,
        status=CheckStatus.SCORING, created_by=user,
        window_start=datetime.date(year, quarter * 3 - 2, 1),
    )
    inspection.window_end = inspection.quarter_end
    if not is_admin:
        fail(f"{inspection}尚未建立，只有管理员可以新建检查。")
    inspection.scheme = scheme or Scheme.objects.default_for(target)
    if inspection.scheme is None:
        fail(f"没有{Target(target).label}的默认指标体系，请指定指标体系。")
        return None
    return inspection


def _require_website_key(workbook, problems: list[Problem]) -> None:
    header = next(workbook[WEBSITE_SHEET].iter_rows(max_row=1, values_only=True), None)
    names = {text(cell) for cell in header or ()}
    if header and not names & {"网站标识码", "网站名称"}:
        problems.append(Problem(WEBSITE_SHEET, 1, None, "缺少必填列：网站标识码 或 网站名称"))


# Rows ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Target:
    pk: int
    label: str
    unit_id: int
    region_path: str


FindingKey = tuple  # (indicator id or None, description, post dates as ISO strings)


@dataclass(frozen=True)
class _Stored:
    """What planning read of a target's stored assessment: the version the write must still
    find (compare-and-swap), and its 不适用 groups, kept where the workbook has no column."""

    version: int
    not_applicable: frozenset[int]


@dataclass
class _Planned:
    target: _Target
    row: int
    points: dict[int, Decimal]
    not_applicable: list[int]
    findings: list[FindingKey]
    result: Result
    stored: _Stored | None


class _SheetPlanner:
    """Checks one sheet's rows against the directory and the scheme, then writes them."""

    def __init__(self, check: _Check, problems: list[Problem], user):
        self.check = check
        self.inspection = check.inspection
        self.tree = check.tree
        self.problems = problems
        self.user = user
        self.is_websites = self.inspection.target == Target.WEBSITES
        self.target_field = "website_id" if self.is_websites else "account_id"
        self.planned: list[_Planned] = []
        self.stored: dict[int, _Stored] = {
            target: _Stored(version, frozenset(int(i) for i in not_applicable))
            for target, version, not_applicable in (
                Assessment.objects.filter(inspection=self.inspection).values_list(
                    self.target_field, "version", "not_applicable")
                if self.inspection.pk else ()
            )
        }

    def problem(self, row: Row, column: str | None, message: str) -> None:
        self.problems.append(row.problem(column, message))

    # Planning

    def plan(self, rows: list[Row]) -> None:
        find = self._website_finder() if self.is_websites else self._account_finder()
        seen: dict[int, int] = {}
        for row in rows:
            before = len(self.problems)
            found = find(row)
            if found is not None:
                target, column = found
                if not target.region_path.startswith(self.inspection.region.path):
                    self.problem(row, column, (
                        f"“{target.label}”不属于{self.inspection.region}，不在本次检查范围内"
                    ))
                elif target.pk in seen:
                    self.problem(row, column, f"“{target.label}”与第{seen[target.pk]}行重复")
                else:
                    seen[target.pk] = row.number
            stored = self.stored.get(found[0].pk) if found is not None else None
            kept = stored.not_applicable if stored is not None else frozenset()
            if self.is_websites:
                points, not_applicable = self._scores(row, kept)
                vetoes = self._indicators(row, "vetoes", "单项否决", veto_only=True)
                findings = self._website_findings(row, vetoes)
            else:
                points, not_applicable = {}, sorted(kept)  # no group columns: kept as stored
                indicators = self._indicators(row, "indicators", "问题类型", veto_only=False)
                vetoes = [i for i in indicators if self.tree.nodes[i].kind == IndicatorKind.VETO]
                findings = self._account_findings(row, indicators)
            if found is None or len(self.problems) > before:
                continue  # the totals of a row with a problem mean nothing
            result = compute(self.tree, points, vetoes, not_applicable)
            self._check_claims(row, result)
            self.planned.append(_Planned(found[0], row.number, points, not_applicable, findings,
                                         result, stored))

    def _website_finder(self):
        by_code: dict[str, _Target] = {}
        by_name: dict[str, list[tuple[str, _Target]]] = defaultdict(list)
        for pk, code, name, unit_id, path in Website.objects.values_list(
            "pk", "site_code", "name", "unit_id", "unit__region__path"
        ):
            target = _Target(pk, name, unit_id, path)
            by_code[code] = target
            by_name[name].append((code, target))

        def find(row: Row):
            code, name = row.values["site_code"], row.values["name"]
            if code:
                if code not in by_code:
                    self.problem(row, "网站标识码", f"名录中没有网站标识码为“{code}”的网站")
                    return None
                return by_code[code], "网站标识码"
            if not name:
                self.problem(row, "网站标识码", "网站标识码和网站名称至少填写一项")
                return None
            matches = by_name.get(name, [])
            if not matches:
                self.problem(row, "网站名称", f"名录中没有名为“{name}”的网站")
                return None
            if len(matches) > 1:
                codes = "、".join(sorted(code for code, _ in matches))
                self.problem(row, "网站名称", (
                    f"名为“{name}”的网站不止一个（网站标识码 {codes}），请填写网站标识码"
                ))
                return None
            return matches[0][1], "网站名称"

        return find

    def _account_finder(self):
        by_key = {
            (platform, name): _Target(pk, name, unit_id, path)
            for pk, platform, name, unit_id, path in Account.objects.values_list(
                "pk", "platform", "name", "unit_id", "unit__region__path"
            )
        }
        labels = dict(Platform.choices)

        def find(row: Row):
            name, platform = row.values["name"], row.values["platform"]
            if not name or not platform:
                return None  # already reported by the cell parsers
            if (platform, name) not in by_key:
                self.problem(row, "账号名称", f"名录中没有{labels[platform]}账号“{name}”")
                return None
            return by_key[(platform, name)], "账号名称"

        return find

    def _scores(self, row: Row, kept: frozenset[int]) -> tuple[dict[int, Decimal], list[int]]:
        """The row's points, and its groups marked 不适用: those whose cell says so, and the
        stored ones (`kept`) of groups the workbook has no column for (it states only the
        result of its columns)."""
        points: dict[int, Decimal] = {}
        marked: set[int] = set()
        stated = {self.tree.group_of(self.tree.by_name[header]) for header in row.extra}
        for header, raw in row.extra.items():
            indicator_id = self.tree.by_name[header]
            if text(raw) == "":
                continue
            if text(raw) == NOT_APPLICABLE:
                if indicator_id in self._applicable_groups():
                    marked.add(indicator_id)
                else:
                    self.problem(row, header, (
                        f"只有一级扣分指标可以填写“{NOT_APPLICABLE}”，“{header}”不是"))
                continue
            try:
                points[indicator_id] = _points(raw)
            except CellError as error:
                self.problem(row, header, str(error))
        not_applicable = sorted(marked | (kept - stated))
        for indicator_id, message in points_problems(self.tree, points, not_applicable).items():
            self.problem(row, self.tree.nodes[indicator_id].name, message)
        return points, not_applicable

    def _applicable_groups(self) -> set[int]:
        """The groups that may be marked 不适用: the first-level deduction groups."""
        return {g.id for g in self.tree.groups(IndicatorKind.DEDUCTION)}

    def _indicators(self, row: Row, key: str, column: str, *, veto_only: bool) -> list[int]:
        found: list[int] = []
        for name in row.values[key] or ():
            indicator_id = self.tree.by_name.get(name)
            if indicator_id is None:
                kind = "单项否决指标" if veto_only else "指标"
                self.problem(row, column, f"指标体系“{self.inspection.scheme}”中没有{kind}“{name}”")
            elif veto_only and self.tree.nodes[indicator_id].kind != IndicatorKind.VETO:
                self.problem(row, column, f"“{name}”不是单项否决指标，其得分请填在以它为表头的列中")
            elif indicator_id not in found:
                found.append(indicator_id)
        return found

    def _website_findings(self, row: Row, vetoes: list[int]) -> list[FindingKey]:
        description = row.values["problems"] or ""
        if vetoes:
            return [(i, description or self.tree.nodes[i].name, ()) for i in vetoes]
        return [(None, description, ())] if description else []

    def _account_findings(self, row: Row, indicators: list[int]) -> list[FindingKey]:
        description = row.values["description"] or ""
        dates = tuple(day.isoformat() for day in row.values["post_dates"] or ())
        if indicators:
            return [(i, description or self.tree.nodes[i].name, dates) for i in indicators]
        if description:
            return [(None, description, dates)]
        if dates:
            self.problem(row, "发布时间", "填写发布时间时，须填写问题类型或问题描述")
        return []

    def _check_claims(self, row: Row, result: Result) -> None:
        """得分 and 结论 are the workbook's claims: they must agree with the computed result."""
        given = row.values.get("total")
        if given is not None:
            if result.total is None:
                self.problem(row, "得分", (
                    f"得分“{_plain(given)}”与计算结果不一致：本行没有填写指标得分，不计总分"
                ))
            elif given != result.total.quantize(CENT, ROUND_HALF_UP):
                self.problem(row, "得分", (
                    f"得分“{_plain(given)}”与按指标得分计算的总分“{_plain(result.total)}”不一致"
                ))
        verdict = row.values.get("verdict")
        if verdict is not None and verdict != result.passed:
            self.problem(row, "结论", (
                f"结论“{_verdict(verdict)}”与计算结果“{_verdict(result.passed)}”不一致"
                f"（{self._reason(result)}）"
            ))

    def _reason(self, result: Result) -> str:
        if result.vetoed:
            return "存在单项否决指标"
        if result.total is None:
            return "没有单项否决指标，也没有填写指标得分"
        relation = "低于" if result.total < self.tree.pass_mark else "不低于"
        return f"总分{_plain(result.total)}{relation}合格分数线{_plain(self.tree.pass_mark)}"

    # Writing

    def apply(self, result: ResultsImportResult) -> None:
        counts = result.sheets.setdefault(self.check.sheet, ResultCounts())
        inspection = self.inspection
        full = inspection.mode == CheckMode.FULL
        targets = population(inspection) if inspection.pk is None or full else []
        if inspection.pk is None:
            inspection.population_size = len(targets)
            if inspection.mode == CheckMode.SAMPLE:
                inspection.sample_size = len(self.planned)
            inspection.save()
            result.created_checks.append(str(inspection))
        writer = _Writer(inspection, self.target_field, self.user, self.check.sheet)
        for planned in self.planned:
            outcome = writer.plan(planned)
            setattr(counts, outcome, getattr(counts, outcome) + 1)
        writer.write()
        counts.removed_findings += sum(isinstance(obj, Finding) for obj in writer.deleted)
        ensure_inspection_tasks(inspection)  # every finding opens a rectification task (整改)
        if full:
            assessed = set(inspection.assessments.filter(scored_at__isnull=False)
                           .values_list(self.target_field, flat=True))
            counts.missing = sum(1 for t in targets if t.pk not in assessed)


class _Writer:
    """Turns planned rows into bulk creates, updates and deletes, leaving equal rows alone."""

    ASSESSMENT_FIELDS = ["deduction_score", "bonus_score", "total", "vetoed", "passed",
                         "not_applicable", "scored_at", "scored_by", "version"]

    def __init__(self, inspection: Inspection, target_field: str, user, sheet: str):
        self.inspection = inspection
        self.target_field = target_field
        self.user = user
        self.sheet = sheet
        self.now = timezone.now()
        assessments = list(Assessment.objects.filter(inspection=inspection)) if inspection.pk else []
        self.assessments = {getattr(a, target_field): a for a in assessments}
        self.scores: dict[int, dict[int, Score]] = defaultdict(dict)
        self.findings: dict[int, list[Finding]] = defaultdict(list)
        if assessments:
            for score in Score.objects.filter(assessment__inspection=inspection):
                self.scores[score.assessment_id][score.indicator_id] = score
            for finding in Finding.objects.filter(assessment__inspection=inspection).order_by("pk"):
                self.findings[finding.assessment_id].append(finding)
        self.new: list[tuple[Assessment, _Planned]] = []
        self.changed_assessments: list[Assessment] = []
        self.new_scores: list[Score] = []
        self.changed_scores: list[Score] = []
        self.new_findings: list[Finding] = []
        self.changed_findings: list[Finding] = []
        self.deleted: list[Score | Finding] = []

    def plan(self, planned: _Planned) -> str:
        """"created", "updated" or "unchanged"."""
        assessment = self.assessments.get(planned.target.pk)
        if assessment is None:
            assessment = Assessment(inspection_id=self.inspection.pk, unit_id=planned.target.unit_id,
                                    **{self.target_field: planned.target.pk})
            self._score(assessment, planned)
            self.new.append((assessment, planned))
            return "created"
        if planned.stored is None or planned.stored.version != assessment.version:
            self._refuse_stale(planned)
        changed = self._plan_scores(assessment, planned.points)
        changed = self._plan_findings(assessment, planned.findings) or changed
        result = planned.result
        if changed or not assessment.is_scored or (
            sorted(int(i) for i in assessment.not_applicable) != planned.not_applicable) or (
            assessment.deduction_score, assessment.bonus_score, assessment.total,
            assessment.vetoed, assessment.passed,
        ) != (result.deduction, result.bonus, result.total, result.vetoed, result.passed):
            self._score(assessment, planned)
            self.changed_assessments.append(assessment)
            return "updated"
        return "unchanged"

    def _refuse_stale(self, planned: _Planned) -> None:
        """Someone saved the target in the browser while the workbook was being checked."""
        raise ImportFailed([Problem(self.sheet, planned.row, None, (
            f"“{planned.target.label}”的评分在导入期间已被其他用户修改，未导入任何内容；"
            "请核对后重新导入。"
        ))])

    def _score(self, assessment: Assessment, planned: _Planned) -> None:
        result = planned.result
        assessment.deduction_score = result.deduction
        assessment.bonus_score = result.bonus
        assessment.total = result.total
        assessment.vetoed = result.vetoed
        assessment.passed = result.passed
        assessment.not_applicable = planned.not_applicable
        assessment.scored_at = self.now
        assessment.scored_by_id = self.user.pk if self.user is not None else None
        assessment._history_user = self.user

    def _plan_scores(self, assessment: Assessment, points: dict[int, Decimal]) -> bool:
        """Scores with the same points are kept (with any note typed in the browser)."""
        existing = self.scores.get(assessment.pk, {})
        changed = False
        for indicator_id, score in existing.items():
            if indicator_id not in points:
                self.deleted.append(score)
                changed = True
            elif score.points != points[indicator_id]:
                score.points = points[indicator_id]
                self.changed_scores.append(score)
                changed = True
        for indicator_id, value in points.items():
            if indicator_id not in existing:
                self.new_scores.append(Score(assessment=assessment, indicator_id=indicator_id,
                                             points=value))
                changed = True
        return changed

    def _plan_findings(self, assessment: Assessment, wanted: list[FindingKey]) -> bool:
        """Equal findings are kept; a finding of the same indicator is rewritten in place (it
        keeps its screenshots); the rest are created or deleted."""
        remaining = list(self.findings.get(assessment.pk, []))
        missing = []
        for key in wanted:
            same = next((f for f in remaining if _finding_key(f) == key), None)
            if same is not None:
                remaining.remove(same)
            else:
                missing.append(key)
        for indicator_id, description, dates in missing:
            finding = next((f for f in remaining if f.indicator_id == indicator_id), None)
            if finding is None:
                self.new_findings.append(Finding(
                    assessment=assessment, indicator_id=indicator_id, description=description,
                    post_dates=list(dates), created_by=self.user,
                ))
                continue
            remaining.remove(finding)
            finding.description, finding.post_dates = description, list(dates)
            self.changed_findings.append(finding)
        self.deleted += remaining
        return bool(missing or remaining)

    def write(self) -> None:
        user, now = self.user, self.now
        if self.new:
            self._write_new()
        if self.changed_assessments:
            self._write_changed_assessments()
        for model, objs, fields in (
            (Score, self.changed_scores, ["points"]),
            (Finding, self.changed_findings, ["description", "post_dates"]),
        ):
            if objs:
                _update(model, objs, fields)
                _insert_history(model, objs, "~", user, now)
        for obj in self.deleted:  # rare (a corrected row); one by one so history names the user
            if isinstance(obj, Finding):
                try:
                    release(obj)  # its rectification task, unless the unit has started on it
                except TransitionError as error:
                    raise ImportFailed([Problem(None, None, None, str(error))]) from error
            obj._history_user = user
            obj.delete()
        for model, objs in ((Score, self.new_scores), (Finding, self.new_findings)):
            if objs:  # of assessments that existed before
                _insert_history(model, model.objects.bulk_create(objs), "+", user, now)

    def _write_changed_assessments(self) -> None:
        """Compare-and-swap: each row is written only if it still has the version this import
        read, and moves to the next one; a browser save in between refuses the whole import."""
        objs = self.changed_assessments
        loaded = [assessment.version for assessment in objs]
        for assessment in objs:
            assessment.version += 1
        if _update(Assessment, objs, self.ASSESSMENT_FIELDS, where=("version", loaded)) != len(objs):
            raise ImportFailed([Problem(self.sheet, None, None, (
                "有检查对象的评分在导入期间已被其他用户修改，未导入任何内容；请核对后重新导入。"
            ))])
        _insert_history(Assessment, objs, "~", self.user, self.now)

    def _write_new(self) -> None:
        """New assessments with their scores and findings. Their keys are read back in one
        query per table: every score and finding of an assessment created here is ours."""
        assessments = [assessment for assessment, _ in self.new]
        _insert(Assessment, assessments, self.now)
        pks = dict(Assessment.objects.filter(inspection=self.inspection)
                   .values_list(self.target_field, "pk"))
        scores, findings = [], []
        for assessment, planned in self.new:
            assessment.pk = pks[getattr(assessment, self.target_field)]
            scores += [Score(assessment_id=assessment.pk, indicator_id=i, points=p)
                       for i, p in planned.points.items()]
            findings += [
                Finding(assessment_id=assessment.pk, indicator_id=i, description=description,
                        post_dates=list(dates), created_by=self.user)
                for i, description, dates in planned.findings
            ]
        _insert(Score, scores, self.now)
        _insert(Finding, findings, self.now)
        refresh_planner_statistics(Assessment, Score, Finding)  # before reading the keys back
        new = {assessment.pk for assessment in assessments}
        ours = Q(assessment__inspection=self.inspection)
        score_pks = {(a, i): pk for pk, a, i in Score.objects.filter(ours)
                     .values_list("pk", "assessment_id", "indicator_id") if a in new}
        for score in scores:
            score.pk = score_pks[(score.assessment_id, score.indicator_id)]
        finding_pks = defaultdict(list)  # per assessment, in the order they were inserted
        for pk, a in Finding.objects.filter(ours).order_by("pk").values_list("pk", "assessment_id"):
            if a in new:
                finding_pks[a].append(pk)
        for finding in reversed(findings):
            finding.pk = finding_pks[finding.assessment_id].pop()
        for model, objs in ((Assessment, assessments), (Score, scores), (Finding, findings)):
            _insert_history(model, objs, "+", self.user, self.now)


# Bulk writing: at 10,000 rows Django's bulk_create spends most of the import turning every
# value of every row into SQL, and simple-history's bulk_history_create first builds a
# model instance per record. These send the same rows in one executemany (COPY on
# PostgreSQL), converting each distinct value of a column once (most columns repeat: the
# check, the time, the verdict). Measured on 10,000 accounts: about twice as fast, and a
# re-import that changes most rows four times as fast as bulk_update.

def _insert(model, objs: list, now: datetime.datetime) -> None:
    """INSERT objects without reading back their keys (the caller finds them by a natural key).

    Fields that stamp the time (auto_now_add) get the import's time; no other field of these
    models does anything before saving."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for stamp in fields:
        if getattr(stamp, "auto_now", False) or getattr(stamp, "auto_now_add", False):
            for obj in objs:
                setattr(obj, stamp.attname, now)
    _execute_insert(model, fields, [[getattr(obj, f.attname) for obj in objs] for f in fields])


def _update(model, objs: list, names: list[str], where: tuple[str, list] | None = None) -> int:
    """UPDATE the named fields of saved objects (bulk_update's CASE WHEN grows with the rows);
    with `where` (a field and one value per object), only rows whose field still holds that
    value. Returns the number of rows updated."""
    fields = [model._meta.get_field(name) for name in names]
    pk = model._meta.pk
    columns = [_db_values(f, [getattr(obj, f.attname) for obj in objs]) for f in [*fields, pk]]
    quote = connection.ops.quote_name
    condition = f"{quote(pk.column)} = %s"
    if where is not None:
        guard, values = model._meta.get_field(where[0]), where[1]
        columns.append(_db_values(guard, values))
        condition += f" AND {quote(guard.column)} = %s"
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {condition}",
            list(zip(*columns, strict=True)),
        )
        return cursor.rowcount  # summed over the rows by sqlite3 and psycopg alike


def _insert_history(model, objs: list, history_type: str, user, when: datetime.datetime) -> None:
    """The simple-history records of saved objects: "+" created, "~" changed."""
    historical = model.history.model
    tracked = {f.attname for f in historical.tracked_fields}
    extra = {"history_date": when, "history_change_reason": None, "history_type": history_type,
             "history_user_id": user.pk if user is not None else None}
    fields = [f for f in historical._meta.concrete_fields if not f.primary_key]
    _execute_insert(historical, fields, [
        [getattr(obj, f.attname) for obj in objs] if f.attname in tracked else [extra[f.attname]] * len(objs)
        for f in fields
    ])


def _execute_insert(model, fields, columns: list[list]) -> None:
    """`columns` holds each field's values, one per row."""
    rows = list(zip(*(_db_values(f, values) for f, values in zip(fields, columns, strict=True)),
                    strict=True))
    if not rows:
        return
    quote = connection.ops.quote_name
    table = f"{quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY streams the rows: a third of the time
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(fields))})", rows)


def _db_values(db_field, values: list) -> list:
    """A column's values as the database driver takes them, each distinct value converted once."""
    keys = [tuple(v) if isinstance(v, list) else v for v in values] if isinstance(
        db_field, JSONField) else values
    converted: dict = {}
    try:
        for key, value in zip(keys, values, strict=True):
            if key not in converted:
                converted[key] = db_field.get_db_prep_save(value, connection)
    except TypeError:  # unhashable: nested JSON
        return [db_field.get_db_prep_save(value, connection) for value in values]
    return [converted[key] for key in keys]


def _finding_key(finding: Finding) -> FindingKey:
    return (finding.indicator_id, finding.description, tuple(finding.post_dates))


def _verdict(passed: bool) -> str:
    return "合格" if passed else "不合格"


def _cell(value: Decimal | None) -> int | float | str:
    """A number as an example cell: 29, not 29.0."""
    if value is None:
        return ""
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"
