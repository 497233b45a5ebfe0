import datetime
import re
from decimal import Decimal as D

import pytest
from django.utils import timezone

from inspections.assessments import recompute
from inspections.choices import CheckMode, CheckStatus, Target
from inspections.formatting import number, percent
from inspections.models import Assessment, Finding, Inspection, Scheme, Score
from inspections.scoring import SchemeTree
from inspections.statistics import LOW_SCORE_CAUSE, inspection_statistics, population
from newmedia.choices import Platform
from newmedia.models import Account
from sites.models import Region, Unit, Website

COUNTIES = ["文山市", "砚山县", "西畴县", "麻栗坡县", "马关县", "丘北县", "广南县", "富宁县"]
GROUPS = ("发布解读", "办事服务", "互动交流", "功能设计")


# --- the demo: seed 000, 文山州 2021 Q4 against Q3 -------------------------------------------


@pytest.fixture
def q4(demo_inspections):
    return inspection_statistics(demo_inspections[4])


def test_the_demo_has_ten_registered_running_websites(q4):
    assert q4.population.day == datetime.date(2021, 12, 31)
    assert q4.population.total == 10
    assert [(b.label, b.count) for b in q4.population.breakdown] == [("门户网站", 9), ("部门网站", 1)]
    assert q4.population.stopped_in_quarter == 0


def test_the_demos_new_media_verdicts_are_computed_not_set(demo, demo_inspections):
    from inspections.demo import load_inspections

    check = Inspection.objects.get(year=2021, quarter=4, target=Target.NEWMEDIA)
    assert not check.assessments.exclude(passed=True).exists()
    account = check.assessments.first()
    veto = check.scheme.indicators.filter(kind="veto").first()
    Finding.objects.create(assessment=account, indicator=veto, description="发布的信息存在严重表述错误")
    load_inspections(demo)  # loading again scores by the rules: the veto now counts
    account.refresh_from_db()
    assert (account.vetoed, account.passed) == (True, False)


def test_all_ten_websites_checked_and_passing(q4):
    quarter = q4.this_quarter
    assert (quarter.checked, quarter.passed, quarter.failed, quarter.unscored) == (10, 10, 0, 0)
    assert percent(quarter.passed, quarter.checked) == "100%"
    assert percent(quarter.pass_rate, 1) == "100%"
    assert q4.failure_causes == ()
    assert q4.failing_twice == ()
    assert (q4.whole_label, q4.direct_label) == ("全州", "州直")
    assert q4.sampling_rate is None


def test_the_average_is_84_against_74_9(q4):
    # The department site has no points: the averages are over the nine portals.
    assert q4.this_quarter.averaged == 9
    assert q4.this_quarter.average_total == D("756.1") / 9
    assert number(q4.this_quarter.average_total, 1) == "84"
    assert number(q4.previous.average_total, 1) == "74.9"
    assert q4.previous.quarter_word == "三季度"
    assert percent(q4.previous.pass_rate, 1) == "100%"


def test_the_group_averages_are_annex_ones(q4):
    assert [(c.name, number(c.this_quarter, 1), number(c.previous, 2))
            for c in q4.group_comparison if c.name in GROUPS] == [
        ("发布解读", "26.4", "23.94"),
        ("办事服务", "18.2", "15.11"),
        ("互动交流", "21.2", "19.11"),
        ("功能设计", "18.2", "16.78"),
    ]
    bonus = q4.group_comparison[-1]
    assert (bonus.name, bonus.this_quarter, bonus.previous) == ("加分指标", None, None)
    assert [g.count for g in q4.this_quarter.group_averages] == [9, 9, 9, 9, 0]


def test_the_region_table_has_eight_counties_the_direct_row_and_a_total(q4):
    labels = [row.label for row in q4.region_table]
    assert labels == [*COUNTIES, "州直", "合计"]
    assert [row.checked for row in q4.region_rows] == [1] * 8 + [2]
    total = q4.region_total
    assert (total.checked, total.with_problems, total.failed) == (10, 0, 0)
    assert percent(total.pass_rate, 1) == "100%"


def test_top_and_bottom_sites(q4):
    assert [(t.target_name, t.total) for t in q4.top_targets] == [
        ("丘北县人民政府", D("92")), ("文山州人民政府", D("91.5")), ("文山市人民政府", D("87.9"))]
    assert [(t.area_label, t.total) for t in q4.bottom_targets] == [
        ("马关县", D("75")), ("麻栗坡县", D("78.1")), ("砚山县", D("78.5"))]
    assert q4.top_targets[1].area_label == "州直"


def test_the_new_media_population_of_seed_000(demo_inspections, demo):
    """"备案登记在运行政府系统政务新媒体113个（四季度注销关停政府系统政务新媒体账号1个）"."""
    check = Inspection.objects.get(year=2021, quarter=4, target=Target.NEWMEDIA)
    figures = population(check, check.region)
    assert (figures.total, figures.stopped_in_quarter) == (113, 1)
    order = [label for _, label in Platform.choices]
    labels = [b.label for b in figures.breakdown]
    assert labels == sorted(labels, key=order.index)
    assert sum(b.count for b in figures.breakdown) == 113
    assert population(make_check(2022, 1, target=Target.NEWMEDIA), check.region).stopped_in_quarter == 0


# --- a check with failures, built here ------------------------------------------------------


def make_check(year, quarter, *, target=Target.WEBSITES, **extra):
    end = datetime.date(year, quarter * 3, 5)
    return Inspection.objects.create(
        region=Region.objects.get(name="文山州"), year=year, quarter=quarter, target=target,
        window_start=end - datetime.timedelta(30), window_end=end,
        scheme=Scheme.objects.default_for(target), status=CheckStatus.SCORING, **extra,
    )


def assess(check, target, groups=(), vetoes=(), problems=(), *, scored=True, not_applicable=()):
    """One assessment: group points in GROUPS order (None skips one), veto indicator names,
    other findings' indicator names."""
    tree = SchemeTree.of(check.scheme)
    field = "website" if isinstance(target, Website) else "account"
    assessment = Assessment.objects.create(
        inspection=check, unit=target.unit, **{field: target},
        scored_at=timezone.now() if scored else None,
        not_applicable=[tree.by_name[n] for n in not_applicable],
    )
    Score.objects.bulk_create(
        Score(assessment=assessment, indicator_id=tree.by_name[name], points=D(str(points)))
        for name, points in zip(GROUPS, groups, strict=False) if points is not None
    )
    Finding.objects.bulk_create(
        Finding(assessment=assessment, indicator_id=tree.by_name[name], description="问题")
        for name in (*vetoes, *problems)
    )
    recompute([assessment], tree)
    return assessment


def site(region_name, kind="portal"):
    return Website.objects.get(unit__region__name=region_name, kind=kind)


@pytest.fixture
def failing(demo):
    """2022 Q2 against Q1: three failures (two vetoes, one low score), one unscored site, one
    county (富宁县) not checked, one department without 办事服务."""
    q1 = make_check(2022, 1)
    assess(q1, site("砚山县"), (20, 10, 10, 10))
    assess(q1, site("西畴县"), vetoes=["互动回应差"])
    assess(q1, site("广南县"), vetoes=["服务不实用"])
    assess(q1, site("文山市"), (30, 20, 20, 20))
    q2 = make_check(2022, 2)
    assess(q2, site("文山州"), (28, 21, 23, "19.5"))
    assess(q2, site("文山市"), (31, 25, 23, 21), vetoes=["首页不更新", "栏目不更新"])
    assess(q2, site("砚山县"), (20, 10, 15, 10))
    assess(q2, site("西畴县"), vetoes=["站点无法访问"])
    assess(q2, site("麻栗坡县"), (25, 20, 20, 15), problems=["链接可用性"])
    assess(q2, site("马关县"), (25, 20, 20, 15))
    assess(q2, site("丘北县"), (31, 25, 23, 21), scored=False)
    assess(q2, site("广南县"), (31, 25, 23, 21))
    assess(q2, site("文山州", "department"), (30, None, 20, 19), not_applicable=["办事服务"])
    return inspection_statistics(q2)


def test_checked_passed_and_failed(failing):
    quarter = failing.this_quarter
    assert (quarter.checked, quarter.passed, quarter.failed, quarter.unscored) == (8, 5, 3, 1)
    assert percent(quarter.passed, quarter.checked) == "62.5%"
    assert (failing.previous.checked, failing.previous.failed) == (4, 3)
    assert percent(failing.previous.pass_rate, 1) == "25%"


def test_failures_by_cause_count_a_double_veto_twice(failing):
    causes = [(c.label, c.count, percent(c.share, 1)) for c in failing.failure_causes]
    assert causes == [  # veto indicators in scheme order, then the low score
        ("站点无法访问", 1, "12.5%"),
        ("首页不更新", 1, "12.5%"),
        ("栏目不更新", 1, "12.5%"),
        (LOW_SCORE_CAUSE, 1, "12.5%"),
    ]


def test_averages_leave_out_vetoed_and_unscored_targets(failing):
    quarter = failing.this_quarter
    # 91.5, 55, 80, 80, 100 and the department's 69 of 75 rescaled to 92.
    assert quarter.averaged == 6
    assert quarter.average_total == D("498.5") / 6
    service = failing.group_comparison[1]
    assert service.name == "办事服务"
    assert service.this_quarter == D("19.2")  # five sites: the department's is 不适用
    assert failing.group_comparison[0].this_quarter == D(28 + 20 + 25 + 25 + 31 + 30) / 6
    assert failing.group_comparison[0].previous == D(25)  # Q1's two sites with points


def test_the_region_table_keeps_unchecked_counties(failing):
    rows = {row.label: row for row in failing.region_table}
    assert list(rows) == [*COUNTIES, "州直", "合计"]
    assert (rows["文山市"].checked, rows["文山市"].with_problems, rows["文山市"].failed) == (1, 1, 1)
    assert (rows["麻栗坡县"].with_problems, rows["麻栗坡县"].failed) == (1, 0)
    assert rows["富宁县"].checked == 0 and percent(rows["富宁县"].pass_rate, 1) == "—"
    assert rows["丘北县"].checked == 0  # scored later: not yet checked
    assert (rows["州直"].checked, rows["州直"].failed) == (2, 0)
    total = rows["合计"]
    assert (total.checked, total.with_problems, total.failed) == (8, 3, 3)
    assert percent(total.pass_rate, 1) == "62.5%"


def test_top_and_bottom_leave_out_vetoes_and_break_ties_by_region_code(failing):
    assert [(t.target_name, t.total) for t in failing.top_targets] == [
        ("广南县人民政府", D(100)), ("文山州人力资源和社会保障局", D(92)), ("文山州人民政府", D("91.5"))]
    assert [(t.area_label, t.total) for t in failing.bottom_targets] == [
        ("砚山县", D(55)), ("麻栗坡县", D(80)), ("马关县", D(80))]


def test_targets_failing_two_quarters_running(failing):
    # 砚山县 (low score twice) and 西畴县 (veto twice); 广南县 recovered; 文山市 failed only now.
    assert sorted(f.area_label for f in failing.failing_twice) == ["砚山县", "西畴县"]


def test_top_n_is_a_parameter(failing):
    stats = inspection_statistics(Inspection.objects.get(year=2022, quarter=2), top=1)
    assert [t.total for t in stats.top_targets] == [D(100)]
    assert [t.total for t in stats.bottom_targets] == [D(55)]


def test_a_spot_checks_sampling_rate(demo):
    check = make_check(2022, 1, mode=CheckMode.SAMPLE, population_size=10, sample_rate=D(30))
    for name in ["文山市", "砚山县", "西畴县"]:
        assess(check, site(name), (25, 20, 20, 15))
    assess(check, site("丘北县"), scored=False)
    stats = inspection_statistics(check)
    assert stats.sample_population == 10
    assert stats.sampling_rate == D("0.3")
    assert percent(stats.sampling_rate, 1) == "30%"
    assert stats.mode_label == "抽查"
    assert stats.previous is None and stats.failing_twice == ()
    assert stats.group_comparison[0].previous is None


def test_new_media_checks_count_by_platform(demo):
    check = make_check(2022, 1, target=Target.NEWMEDIA)
    accounts = {a.name: a for a in Account.objects.filter(unit__region__name="文山州")}
    wechat = next(a for a in accounts.values() if a.platform == Platform.WECHAT)
    weibo = next(a for a in accounts.values() if a.platform == Platform.WEIBO)
    douyin = next(a for a in accounts.values() if a.platform == Platform.DOUYIN)
    assess(check, wechat, vetoes=["内容不更新"])
    assess(check, weibo)
    assess(check, douyin, vetoes=["内容不更新", "互动回应差"])
    stats = inspection_statistics(check)
    assert [(r.label, r.checked, r.failed) for r in stats.platform_rows] == [
        ("微信公众号", 1, 1), ("微博", 1, 0), ("抖音", 1, 1)]
    assert [(c.label, c.count) for c in stats.failure_causes] == [("内容不更新", 2), ("互动回应差", 1)]
    assert stats.this_quarter.average_total is None and stats.top_targets == ()
    assert stats.target_label == "政务新媒体"


# --- query budget ---------------------------------------------------------------------------


def grow_check(check, rows: int) -> None:
    """Add `rows` scored websites to `check`, each with four group scores and every tenth
    with a veto finding, the way tests/test_queries.py grows the directory."""
    tree = SchemeTree.of(check.scheme)
    parent = Region.objects.get(name="丘北县")
    regions = Region.objects.bulk_create(
        Region(name=f"测试镇{check.pk}-{i}", parent=parent, level="county") for i in range(rows)
    )
    Region.fill_paths(regions)
    units = Unit.objects.bulk_create(
        Unit(name=f"测试单位{check.pk}-{i}", region=regions[i]) for i in range(rows)
    )
    Unit.fill_paths(units)
    sites = Website.objects.bulk_create(
        Website(site_code=f"{5300000000 + check.pk * 1000 + i}", name=f"测试网站{i}",
                url="http://a.gov.cn", kind="department", unit=units[i]) for i in range(rows)
    )
    veto = tree.by_name["首页不更新"]
    assessments = Assessment.objects.bulk_create(
        Assessment(inspection=check, website=s, unit=s.unit, scored_at=timezone.now(),
                   total=D(60 + i % 40), passed=i % 10 != 0, vetoed=i % 10 == 0)
        for i, s in enumerate(sites)
    )
    Score.objects.bulk_create(
        Score(assessment=a, indicator_id=tree.by_name[name], points=D(10))
        for a in assessments for name in GROUPS
    )
    Finding.objects.bulk_create(
        Finding(assessment=a, indicator_id=veto, description="首页两周未更新")
        for a in assessments if a.vetoed
    )


def test_the_statistics_run_a_bounded_number_of_queries(demo_inspections,
                                                        django_assert_max_num_queries):
    q3, q4 = demo_inspections[3], demo_inspections[4]
    with django_assert_max_num_queries(14):  # 13, and the get
        inspection_statistics(Inspection.objects.get(pk=q4.pk))
    grow_check(q3, 300)
    grow_check(q4, 400)
    with django_assert_max_num_queries(14):  # 13, and the get
        stats = inspection_statistics(Inspection.objects.get(pk=q4.pk))
    assert stats.this_quarter.checked == 410
    assert stats.region_total.checked == 410
    assert [c.count for c in stats.failure_causes] == [40]


# --- the include ----------------------------------------------------------------------------


def render(stats) -> str:
    from django.template.loader import render_to_string

    from inspections.charts import for_statistics
    from inspections.statistics_tables import statistics_tables

    html = render_to_string("inspections/_statistics.html", {
        "stats": stats, "tables": statistics_tables(stats), **for_statistics(stats)})
    return re.sub(r"\s+(<|>)", r"\1", re.sub(r">\s+", ">", html))  # the tables' markup, unindented


def test_the_include_renders_the_demo(q4):
    html = render(q4)
    assert "截至2021年12月31日，全州登记在运行政府网站10个（门户网站9个，部门网站1个）" in html
    assert '<tr class="row-total odd"><td>得分</td><td class="num">84.01</td><td class="num">74.94</td>' in html
    assert '<td>发布解读（31分）</td><td class="num">26.39</td><td class="num">23.94</td>' in html
    assert "<td>州直</td>" in html and '<tr class="row-total odd"><td>合计</td>' in html
    assert '<th class="num">2021年四季度</th><th class="num">2021年三季度</th>' in html
    assert html.count("<svg") == 2
    assert "本次检查没有不合格的政府网站。" in html


def test_the_include_renders_failures_and_escapes_names(failing):
    Region.objects.filter(name="富宁县").update(name="<b>富宁县</b>")
    stats = inspection_statistics(Inspection.objects.get(year=2022, quarter=2))
    html = render(stats)
    assert "<b>富宁县</b>" not in html and "&lt;b&gt;富宁县&lt;/b&gt;" in html
    assert '<td>得分低于合格分数线</td><td class="num">1</td><td class="num">12.5%</td>' in html
    assert '<td class="num">0</td><td class="num">—</td>' in html  # 富宁县: nothing checked
    assert "西畴县人民政府" in html  # failing two quarters running
