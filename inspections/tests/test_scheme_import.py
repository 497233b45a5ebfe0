"""The scheme workbook (spec §2), through the function and the command: every error class,
all or nothing, idempotency, locked schemes, and the round trip of the export."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from common.testing import workbook_bytes
from common.workbook import ImportFailed
from inspections.choices import CheckStatus
from inspections.models import Indicator, Inspection, Scheme
from inspections.scheme_import import (
    NATIONAL_WEBSITE_SCHEME,
    import_scheme,
    scheme_workbook,
    template,
    tree_rows,
)

pytestmark = pytest.mark.django_db

HEADER = ["指标名称", "上级指标", "类型", "分值", "说明"]
GOOD = [
    HEADER,
    ["首页不更新", "", "单项否决", None, "监测2周，首页没有信息更新"],
    ["发布解读", "", "扣分", 10, ""],
    ["政务动态", "发布解读", "扣分", 6, "每发现一处扣1分"],
    ["政策解读", "发布解读", "扣分", 4, ""],
    ["加分指标", "", "加分", 5, ""],
    ["数据开放", "加分指标", "加分", 5, ""],
]


def run(rows, name="某州指标体系", target="websites", **kwargs):
    return import_scheme(io.BytesIO(workbook_bytes({"指标": rows})), name=name, target=target,
                         **kwargs)


def problems_of(rows, **kwargs):
    with pytest.raises(ImportFailed) as failure:
        run(rows, **kwargs)
    return [str(p) for p in failure.value.problems]


def tree(scheme):
    """The scheme's tree as offices see it: names, parents, kinds, points, rules, order."""
    return [
        (depth, i.name, i.parent.name if i.parent else "", i.kind, i.max_points, i.rule)
        for i, depth in tree_rows(Indicator.objects.filter(scheme=scheme).select_related("parent"))
    ]


def snapshot():
    return (
        sorted(Scheme.objects.values_list("name", "target", "pass_mark", "is_default")),
        sorted(Indicator.objects.values_list(
            "scheme__name", "name", "parent__name", "kind", "max_points", "rule", "order")),
    )


def national():
    return Scheme.objects.get(name=NATIONAL_WEBSITE_SCHEME)


# A good workbook.

def test_a_new_scheme_is_created_with_its_tree():
    result = run(GOOD)
    scheme = result.scheme
    assert (scheme.name, scheme.target, scheme.is_default, scheme.pass_mark) == (
        "某州指标体系", "websites", False, 60)
    assert tree(scheme) == [
        (0, "首页不更新", "", "veto", None, "监测2周，首页没有信息更新"),
        (0, "发布解读", "", "deduction", 10, ""),
        (1, "政务动态", "发布解读", "deduction", 6, "每发现一处扣1分"),
        (1, "政策解读", "发布解读", "deduction", 4, ""),
        (0, "加分指标", "", "bonus", 5, ""),
        (1, "数据开放", "加分指标", "bonus", 5, ""),
    ]
    assert result.summary_lines() == [
        "新建指标体系“某州指标体系”（政府网站）", "指标：新增 6，更新 0，未变 0，删除 0"]


def test_a_parent_may_come_later_and_a_middle_level_may_leave_its_points_out():
    run([HEADER,
         ["概况信息", "发布解读", "扣分", None, ""],
         ["机构职能", "概况信息", "扣分", 2.5, ""],
         ["负责人信息", "概况信息", "扣分", "1.5", ""],
         ["发布解读", "", "扣分", 4, ""]])
    scheme = Scheme.objects.get(name="某州指标体系")
    assert [(d, n, p) for d, n, _, _, p, _ in tree(scheme)] == [
        (0, "发布解读", Decimal(4)), (1, "概况信息", None), (2, "机构职能", Decimal("2.5")),
        (2, "负责人信息", Decimal("1.5"))]


def test_headers_in_any_order_with_spaces_and_empty_rows():
    run([[" 类型", "分值 ", "指标名称"], ["单项否决", None, "站点无法访问"], [None, None, None],
         ["扣分", 100, "扣分指标"]], target="newmedia")
    scheme = Scheme.objects.get(name="某州指标体系")
    assert scheme.target == "newmedia"
    assert [row[1] for row in tree(scheme)] == ["站点无法访问", "扣分指标"]


# Every error class, each named with its sheet, row and column, and nothing written.

@pytest.mark.parametrize(("rows", "expected"), [
    ([[*HEADER, "权重"], ["甲", "", "扣分", 5, "", 1]],
     "工作表“指标”，第1行：无法识别的列：权重。可用的列：指标名称、上级指标、类型、分值、说明"),
    ([["指标名称", "分值"], ["甲", 5]], "工作表“指标”，第1行：缺少必填列：类型"),
    ([HEADER], "工作表“指标”：工作表中没有指标"),
    ([HEADER, ["", "", "扣分", 5, ""]], "工作表“指标”，第2行，“指标名称”列：必填，不能为空"),
    ([HEADER, ["甲", "", "", 5, ""]], "工作表“指标”，第2行，“类型”列：必填，不能为空"),
    ([HEADER, ["甲", "", "否决", None, ""]],
     "工作表“指标”，第2行，“类型”列：“否决”不是可用的值，应为：单项否决、扣分、加分"),
    ([HEADER, ["甲", "", "扣分", "五分", ""]], "工作表“指标”，第2行，“分值”列：“五分”不是数字"),
    ([HEADER, ["甲", "", "扣分", 2.125, ""]],
     "工作表“指标”，第2行，“分值”列：分值“2.125”最多保留两位小数"),
    ([HEADER, ["甲", "", "扣分", 123456, ""]], "工作表“指标”，第2行，“分值”列：分值“123456”过大"),
    ([HEADER, ["甲" * 201, "", "扣分", 5, ""]],
     "工作表“指标”，第2行，“指标名称”列：指标名称不能超过200个字"),
    ([HEADER, ["甲", "", "扣分", 5, ""], ["甲", "", "扣分", 5, ""]],
     "工作表“指标”，第3行，“指标名称”列：“甲”与第2行重复"),
    ([HEADER, ["甲", "乙", "扣分", 5, ""]], "工作表“指标”，第2行，“上级指标”列：找不到上级指标“乙”"),
    ([HEADER, ["甲", "甲", "扣分", 5, ""]], "工作表“指标”，第2行，“上级指标”列：上级指标不能是它自己"),
    ([HEADER, ["甲", "", "扣分", 5, ""], ["乙", "甲", "加分", 5, ""]],
     "工作表“指标”，第3行，“类型”列：类型应与上级指标“甲”相同（扣分）"),
    ([HEADER, ["甲", "", "单项否决", 5, ""]], "工作表“指标”，第2行，“分值”列：单项否决指标不设分值"),
    ([HEADER, ["甲", "", "加分", None, ""]], "工作表“指标”，第2行，“分值”列：末级加分指标必须填写分值"),
    ([HEADER, ["甲", "", "扣分", -1, ""]], "工作表“指标”，第2行，“分值”列：分值不能小于0"),
    ([HEADER, ["甲", "", "扣分", 30, ""], ["乙", "甲", "扣分", 20, ""], ["丙", "甲", "扣分", 8, ""]],
     "工作表“指标”，第2行，“分值”列：分值30与下级指标分值之和28不一致"),
    ([HEADER, ["甲", "", "扣分", 30, ""], ["乙", "甲", "扣分", None, ""], ["丙", "乙", "扣分", 8, ""]],
     "工作表“指标”，第2行，“分值”列：分值30与下级指标分值之和8不一致"),
])
def test_each_error_class_is_named_in_chinese(rows, expected):
    before = snapshot()
    assert expected in problems_of(rows)
    assert snapshot() == before


def test_a_cycle_is_named_on_each_of_its_rows():
    found = problems_of([HEADER, ["甲", "丙", "扣分", 5, ""], ["乙", "甲", "扣分", 5, ""],
                         ["丙", "乙", "扣分", 5, ""], ["丁", "", "扣分", 5, ""]])
    assert found == [
        "工作表“指标”，第2行，“上级指标”列：上级指标形成循环：甲 → 丙 → 乙 → 甲",
        "工作表“指标”，第3行，“上级指标”列：上级指标形成循环：甲 → 丙 → 乙 → 甲",
        "工作表“指标”，第4行，“上级指标”列：上级指标形成循环：甲 → 丙 → 乙 → 甲",
    ]


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"name": "  "}, "请填写指标体系名称"),
    ({"name": "甲" * 101}, "指标体系名称不能超过100个字"),
    ({"target": "apps"}, "检查对象“apps”无效，应为 websites（政府网站）或 newmedia（政务新媒体）"),
    ({"name": "国家政务新媒体检查指标（2019）"},
     "已有指标体系“国家政务新媒体检查指标（2019）”的检查对象是政务新媒体，不能导入为政府网站指标体系；请换一个名称"),
])
def test_a_bad_name_or_target_is_named(kwargs, expected):
    before = snapshot()
    assert expected in problems_of(GOOD, **kwargs)
    assert snapshot() == before


def test_a_workbook_without_the_sheet_or_not_a_workbook_is_refused():
    with pytest.raises(ImportFailed) as failure:
        import_scheme(io.BytesIO(workbook_bytes({"Sheet1": [HEADER]})), name="甲", target="websites")
    assert str(failure.value) == "工作簿中没有“指标”工作表。"
    with pytest.raises(ImportFailed) as failure:
        import_scheme(io.BytesIO(b"PK not really"), name="甲", target="websites")
    assert "不是有效的 Excel 工作簿" in str(failure.value)


def test_every_problem_is_listed_and_nothing_changes():
    before = snapshot()
    found = problems_of([
        HEADER,
        ["发布解读", "", "扣分", 10, ""],
        ["政务动态", "发布解读", "扣分", 6, ""],
        ["政策解读", "发布解读", "加分", 4, ""],
        ["数据开放", "加分指标", "加分", 5, ""],
        ["首页不更新", "", "单项否决", 3, ""],
    ])
    assert found == [
        "工作表“指标”，第4行，“类型”列：类型应与上级指标“发布解读”相同（扣分）",
        "工作表“指标”，第5行，“上级指标”列：找不到上级指标“加分指标”",
        "工作表“指标”，第6行，“分值”列：单项否决指标不设分值",
    ]
    assert snapshot() == before
    assert not Scheme.objects.filter(name="某州指标体系").exists()


# Replacing an existing scheme.

def test_reimporting_the_same_workbook_changes_nothing():
    run(GOOD)
    state = snapshot()
    ids = sorted(Indicator.objects.filter(scheme__name="某州指标体系").values_list("pk", flat=True))
    result = run(GOOD)
    assert result.summary_lines() == [
        "指标体系“某州指标体系”（政府网站）", "指标：新增 0，更新 0，未变 6，删除 0"]
    assert snapshot() == state
    assert sorted(Indicator.objects.filter(scheme__name="某州指标体系").values_list("pk", flat=True)) == ids


def test_a_changed_workbook_creates_updates_and_deletes_by_name():
    run(GOOD)
    kept = Indicator.objects.get(scheme__name="某州指标体系", name="政务动态").pk
    rows = [
        HEADER,
        ["首页不更新", "", "单项否决", None, "监测2周，首页没有信息更新"],
        ["发布解读", "", "扣分", 10, ""],
        ["政务动态", "发布解读", "扣分", 5, "每发现一处扣1分"],  # points changed
        ["政策解读", "发布解读", "扣分", 4, ""],
        ["回应关切", "发布解读", "扣分", 1, ""],  # new
        ["首页不可用", "", "单项否决", None, ""],  # new
    ]  # 加分指标 and 数据开放 are gone
    result = run(rows)
    assert result.counts.summary() == "指标：新增 2，更新 1，未变 3，删除 2"
    assert [row[1] for row in tree(result.scheme)] == [
        "首页不更新", "发布解读", "政务动态", "政策解读", "回应关切", "首页不可用"]
    assert Indicator.objects.get(name="政务动态", scheme=result.scheme).pk == kept


def test_an_indicator_may_move_to_a_new_parent_and_the_old_parent_may_go():
    run(GOOD)
    result = run([
        HEADER,
        ["首页不更新", "", "单项否决", None, "监测2周，首页没有信息更新"],
        ["信息发布", "", "扣分", 10, ""],
        ["政务动态", "信息发布", "扣分", 6, "每发现一处扣1分"],
        ["政策解读", "信息发布", "扣分", 4, ""],
    ])
    assert result.counts.summary() == "指标：新增 1，更新 2，未变 1，删除 3"
    assert [(d, n, p) for d, n, p, *_ in tree(result.scheme)] == [
        (0, "首页不更新", ""), (0, "信息发布", ""), (1, "政务动态", "信息发布"), (1, "政策解读", "信息发布")]


def test_a_failed_replacement_leaves_the_scheme_as_it_was():
    run(GOOD)
    state = snapshot()
    bad = [row[:] for row in GOOD]
    bad[3][3] = 7  # 政务动态 7 + 政策解读 4 ≠ 发布解读 10
    bad.append(["新指标", "", "扣分", 3, ""])
    bad[4][1] = "信息发布"  # 政策解读 under a parent that does not exist
    assert problems_of(bad) == [
        "工作表“指标”，第3行，“分值”列：分值10与下级指标分值之和7不一致",
        "工作表“指标”，第5行，“上级指标”列：找不到上级指标“信息发布”",
    ]
    bad[4][1] = "发布解读"
    assert problems_of(bad) == ["工作表“指标”，第3行，“分值”列：分值10与下级指标分值之和11不一致"]
    assert snapshot() == state


def test_a_locked_scheme_is_not_replaced(demo_inspections):
    state = snapshot()
    found = problems_of(GOOD, name=NATIONAL_WEBSITE_SCHEME)
    assert found == [
        f"指标体系“{NATIONAL_WEBSITE_SCHEME}”已用于已结束的检查（2021年三季度政府网站检查、"
        "2021年四季度政府网站检查），不能替换其指标；请换一个名称导入为新的指标体系"]
    assert snapshot() == state


def test_an_indicator_with_scores_cannot_be_dropped(demo_inspections):
    Inspection.objects.update(status=CheckStatus.SCORING)  # not locked, but scored
    assert not national().is_locked
    found = problems_of(GOOD, name=NATIONAL_WEBSITE_SCHEME)
    assert found == [
        f"工作表“指标”：指标“{name}”已有检查得分或问题记录，不能删除；请在工作表中保留该指标"
        for name in ("办事服务", "互动交流", "功能设计")
    ]


# The export and the template.

def test_the_national_scheme_round_trips_under_a_new_name():
    source = national()
    result = import_scheme(io.BytesIO(scheme_workbook(source)), name="某州2024", target="websites")
    assert result.counts.created == source.indicators.count() == 35
    assert tree(result.scheme) == tree(source)


def test_reimporting_the_export_over_the_scheme_itself_changes_nothing():
    state = snapshot()
    result = import_scheme(io.BytesIO(scheme_workbook(national())), name=NATIONAL_WEBSITE_SCHEME,
                           target="websites")
    assert result.counts.summary() == "指标：新增 0，更新 0，未变 35，删除 0"
    assert snapshot() == state


def test_the_template_is_the_national_website_scheme_in_the_import_layout():
    workbook = load_workbook(io.BytesIO(template()))
    assert workbook.sheetnames == ["指标", "说明"]
    rows = list(workbook["指标"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER)
    assert rows[1][:4] == ("安全、泄密事故等严重问题", None, "单项否决", None)
    assert rows[9][:4] == ("政务动态", "发布解读", "扣分", 5)
    assert len(rows) == 36
    notes = [r[0] for r in workbook["说明"].iter_rows(values_only=True) if r[0]]
    assert f"指标体系：{NATIONAL_WEBSITE_SCHEME}（政府网站）" in notes


def test_text_that_looks_like_a_formula_is_exported_as_text():
    scheme = Scheme.objects.create(name="某州指标体系", target="websites")
    Indicator.objects.create(scheme=scheme, name="=SUM(A1)", kind="deduction", max_points=5,
                             rule="-每处扣1分")
    workbook = load_workbook(io.BytesIO(scheme_workbook(scheme)))
    cell = workbook["指标"]["A2"]
    assert (cell.value, cell.data_type) == ("=SUM(A1)", "s")
    again = import_scheme(io.BytesIO(scheme_workbook(scheme)), name=scheme.name, target="websites")
    assert again.counts.unchanged == 1


# The command.

def test_the_command_imports_and_reports(tmp_path, capsys):
    path = tmp_path / "指标.xlsx"
    path.write_bytes(workbook_bytes({"指标": GOOD}))
    call_command("import_scheme", str(path), "--name", "某州指标体系", "--target", "websites")
    assert "指标：新增 6，更新 0，未变 0，删除 0" in capsys.readouterr().out
    call_command("import_scheme", str(path), "--name", "某州指标体系", "--target", "websites")
    assert "指标：新增 0，更新 0，未变 6，删除 0" in capsys.readouterr().out


def test_the_command_exits_non_zero_and_lists_every_problem(tmp_path, capsys):
    path = tmp_path / "指标.xlsx"
    path.write_bytes(workbook_bytes({"指标": [HEADER, ["甲", "", "否决", None, ""],
                                             ["乙", "丙", "扣分", 5, ""]]}))
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_scheme", str(path), "--name", "某州指标体系", "--target", "websites")
    stderr = capsys.readouterr().err
    assert "“否决”不是可用的值" in stderr and "找不到上级指标“丙”" in stderr
    assert "共 2 个问题" in str(error.value)
    assert snapshot() == before


def test_the_command_needs_a_name_and_a_known_target(tmp_path):
    path = tmp_path / "指标.xlsx"
    path.write_bytes(workbook_bytes({"指标": GOOD}))
    with pytest.raises(CommandError):
        call_command("import_scheme", str(path), "--target", "websites")
    with pytest.raises(CommandError):
        call_command("import_scheme", str(path), "--name", "甲", "--target", "apps")
