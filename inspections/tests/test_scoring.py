from decimal import Decimal as D

import pytest

from inspections.models import Scheme
from inspections.scoring import SchemeTree, compute, points_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return SchemeTree.of(Scheme.objects.default_for("websites"))


def ids(tree, *names):
    return [tree.by_name[n] for n in names]


def groups(tree, publish, service, interact, design, bonus=None):
    points = dict(zip(ids(tree, "发布解读", "办事服务", "互动交流", "功能设计"),
                      map(D, (publish, service, interact, design)), strict=True))
    if bonus is not None:
        points[tree.by_name["加分指标"]] = D(bonus)
    return points


def test_the_national_scheme_has_the_sourced_groups_and_points(tree):
    assert [(g.name, g.max_points) for g in tree.scored_groups()] == [
        ("发布解读", 31), ("办事服务", 25), ("互动交流", 23), ("功能设计", 21), ("加分指标", 30)]
    assert {tree.nodes[i].name for i in tree.veto_ids()} == {
        "安全、泄密事故等严重问题", "站点无法访问", "首页不更新", "栏目不更新", "互动回应差", "服务不实用"}
    for group in tree.scored_groups():
        assert sum(tree.nodes[c].max_points for c in group.children) == group.max_points


def test_the_total_is_the_sum_of_the_groups(tree):
    result = compute(tree, groups(tree, 28, 21, 23, 19.5))
    assert result.total == D("91.5") and result.passed and not result.vetoed


def test_a_group_score_may_come_from_its_children(tree):
    points = {tree.by_name["概况信息"]: D(4), tree.by_name["政务动态"]: D("4.5")}
    result = compute(tree, points)
    assert result.group_scores[tree.by_name["发布解读"]] == D("8.5")
    assert result.group_scores[tree.by_name["办事服务"]] is None


def test_a_veto_fails_whatever_the_points(tree):
    result = compute(tree, groups(tree, 31, 25, 23, 21), vetoes=ids(tree, "首页不更新"))
    assert result.vetoed and not result.passed and result.total == 100


def test_a_veto_without_points_fails_with_no_total(tree):
    result = compute(tree, {}, vetoes=ids(tree, "站点无法访问"))
    assert not result.passed and result.total is None


def test_no_points_and_no_veto_passes(tree):
    assert compute(tree, {}).passed


@pytest.mark.parametrize(("total", "passed"), [("59.99", False), ("60", True), ("60.5", True)])
def test_the_pass_mark_is_sixty(tree, total, passed):
    result = compute(tree, {tree.by_name["发布解读"]: D(0), tree.by_name["办事服务"]: D(0),
                            tree.by_name["互动交流"]: D(total) - 21, tree.by_name["功能设计"]: D(21)})
    assert result.passed is passed


def test_bonus_counts_only_above_eighty(tree):
    at_80 = compute(tree, groups(tree, 31, 25, 23, 1, bonus=10))
    assert at_80.deduction == 80 and at_80.bonus is None and at_80.total == 80
    above = compute(tree, groups(tree, 31, 25, 23, "1.5", bonus=10))
    assert above.bonus == 10 and above.total == D("90.5")


def test_a_group_marked_not_applicable_rescales_to_a_hundred(tree):
    # 75 points available without 办事服务: 60 of 75 is 80 of 100 (the 75 × 4/3 rule).
    points = groups(tree, 25, 0, 20, 15)
    del points[tree.by_name["办事服务"]]
    result = compute(tree, points, not_applicable=ids(tree, "办事服务"))
    assert result.deduction == 80
    full = compute(tree, {**points, tree.by_name["功能设计"]: D(21)},
                   not_applicable=ids(tree, "办事服务"))
    assert full.deduction == 88  # (25 + 20 + 21) × 4/3


def test_rescaled_totals_are_rounded_to_cents(tree):
    points = groups(tree, 31, 0, 23, 20)
    del points[tree.by_name["办事服务"]]
    assert compute(tree, points, not_applicable=ids(tree, "办事服务")).deduction == D("98.67")


def test_points_problems_name_the_indicator(tree):
    problems = points_problems(tree, {
        tree.by_name["发布解读"]: D(32),
        tree.by_name["办事服务"]: D(-1),
        tree.by_name["首页不更新"]: D(1),
        tree.by_name["互动交流"]: D(20), tree.by_name["政务咨询"]: D(10),
        tree.by_name["功能设计"]: D(10),
    }, not_applicable=ids(tree, "功能设计"))
    assert problems == {
        tree.by_name["发布解读"]: "“发布解读”的得分不能超过分值31分",
        tree.by_name["办事服务"]: "“办事服务”的得分不能小于0",
        tree.by_name["首页不更新"]: "“首页不更新”是单项否决指标，没有分值",
        tree.by_name["互动交流"]: "“互动交流”与其下级指标“政务咨询”不能同时填写得分",
        tree.by_name["功能设计"]: "“功能设计”已标为不适用，不应填写得分",
    }


def test_the_demo_totals_are_computed_from_annex_1(demo_inspections):
    q4 = demo_inspections[4]
    totals = dict(q4.assessments.values_list("website__name", "total"))
    assert totals["文山州人民政府"] == D("91.5")
    assert totals["丘北县人民政府"] == 92
    assert totals["文山州人力资源和社会保障局"] is None
    assert all(q4.assessments.values_list("passed", flat=True))
