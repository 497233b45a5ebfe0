"""The results workbook (spec §3), through the function, the command and the upload page."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from common.testing import workbook_bytes, workbook_file
from common.workbook import ImportFailed
from inspections.choices import CheckMode, CheckStatus
from inspections.models import Assessment, Finding, Inspection, Scheme, Score
from inspections.results_import import import_results, template
from newmedia.models import Account
from sites.models import Region, Unit, Website
from sites.roles import Role

WEBSITE_HEADER = ["网站标识码", "网站名称", "发布解读", "办事服务", "互动交流", "功能设计", "加分指标",
                  "单项否决", "存在问题", "得分"]
ACCOUNT_HEADER = ["账号名称", "平台", "问题类型", "问题描述", "发布时间", "结论", "得分"]
WEBSITE_SCHEME = "国家政府网站检查指标（2019）"
NEWMEDIA_SCHEME = "国家政务新媒体检查指标（2019）"


def site(code="5326260001", name="", scores=(31, 21, 20, 20, ""), veto="", problem="", total=""):
    return [code, name, *scores, veto, problem, total]


def account(name="丘北发布", platform="微信公众号", kinds="", description="", dates="", verdict="",
            total=""):
    return [name, platform, kinds, description, dates, verdict, total]


def run(sheets, *, year=2022, quarter=1, **kwargs):
    return import_results(io.BytesIO(workbook_bytes(sheets)), year=year, quarter=quarter, **kwargs)


def problems_of(sheets, **kwargs):
    with pytest.raises(ImportFailed) as failure:
        run(sheets, **kwargs)
    return [str(p) for p in failure.value.problems]


def snapshot():
    return (
        sorted(Inspection.objects.values_list(
            "year", "quarter", "target", "mode", "status", "scheme__name", "population_size")),
        sorted(Assessment.objects.values_list(
            "inspection__quarter", "website__site_code", "account__name", "deduction_score",
            "bonus_score", "total", "vetoed", "passed", "scored_at", "version"), key=str),
        sorted(Score.objects.values_list("assessment_id", "indicator__name", "points")),
        sorted(Finding.objects.values_list(
            "assessment_id", "indicator__name", "description", "post_dates"), key=str),
        Assessment.history.count() + Score.history.count() + Finding.history.count(),
    )


def assessment_of(code=None, name=None, quarter=1):
    if code:
        return Assessment.objects.get(inspection__quarter=quarter, website__site_code=code)
    return Assessment.objects.get(inspection__quarter=quarter, account__name=name)


# The case of the issue: good and bad rows together; every problem is named, nothing changes.

def test_bad_rows_are_all_named_and_nothing_changes(demo):
    before = snapshot()
    found = problems_of({
        "政府网站": [WEBSITE_HEADER, site(), site("5326220001", scores=(32, 21, 20, 20, "")),
                     site("5326230001", total=90)],
        "政务新媒体": [ACCOUNT_HEADER, account(), account("丘北健康", dates="昨天")],
    })
    assert found == [  # in the order a reader meets them
        "工作表“政府网站”，第3行，“发布解读”列：“发布解读”的得分不能超过分值31分",
        "工作表“政府网站”，第4行，“得分”列：得分“90”与按指标得分计算的总分“92”不一致",
        "工作表“政务新媒体”，第3行，“发布时间”列：“昨天”不是日期，应写作 2021-07-02 或 2021年7月2日",
    ]
    assert snapshot() == before


def test_the_command_exits_non_zero_and_lists_every_problem(demo, tmp_path, capsys):
    path = tmp_path / "检查结果.xlsx"
    path.write_bytes(workbook_bytes({"政府网站": [
        WEBSITE_HEADER, site(), site("5326269999"), site("5326220001", scores=(-1, 21, 20, 20, "")),
    ]}))
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_results", str(path), "--year", "2022", "--quarter", "1")
    stderr = capsys.readouterr().err
    assert "第3行，“网站标识码”列：名录中没有网站标识码为“5326269999”的网站" in stderr
    assert "第4行，“发布解读”列：“发布解读”的得分不能小于0" in stderr
    assert "共 2 个问题" in str(error.value)
    assert snapshot() == before


# Every error class.

@pytest.mark.parametrize(("sheets", "kwargs", "expected"), [
    ({"名单": [["网站名称"]]}, {},
     "工作簿中没有“政府网站”“政务新媒体”中的任何一个工作表。"),
    ({"政府网站": [[*WEBSITE_HEADER, "负责人", "首页不更新"], [*site(), "", ""]]}, {},
     "工作表“政府网站”，第1行：无法识别的列：负责人、首页不更新。可用的列：网站标识码、网站名称、单项否决、"
     "存在问题、得分"),
    ({"政务新媒体": [["账号名称", "问题类型"], ["丘北发布", ""]]}, {},
     "工作表“政务新媒体”，第1行：缺少必填列：平台"),
    ({"政府网站": [["发布解读", "得分"], [20, 20]]}, {},
     "工作表“政府网站”，第1行：缺少必填列：网站标识码 或 网站名称"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(platform="")]}, {},
     "工作表“政务新媒体”，第2行，“平台”列：必填，不能为空"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(platform="飞信")]}, {},
     "工作表“政务新媒体”，第2行，“平台”列：未知平台“飞信”，应为：微信公众号、微博、抖音、今日头条、快手、"
     "小程序、客户端、其他（也可写 微信、新浪微博、头条号 等常用名称）"),
    ({"政府网站": [WEBSITE_HEADER, site("5326269999")]}, {},
     "工作表“政府网站”，第2行，“网站标识码”列：名录中没有网站标识码为“5326269999”的网站"),
    ({"政府网站": [WEBSITE_HEADER, site("", "丘北县政府")]}, {},
     "工作表“政府网站”，第2行，“网站名称”列：名录中没有名为“丘北县政府”的网站"),
    ({"政府网站": [WEBSITE_HEADER, site("", "")]}, {},
     "工作表“政府网站”，第2行，“网站标识码”列：网站标识码和网站名称至少填写一项"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(platform="微博")]}, {},
     "工作表“政务新媒体”，第2行，“账号名称”列：名录中没有微博账号“丘北发布”"),
    ({"政府网站": [WEBSITE_HEADER, site(), site("", "丘北县人民政府")]}, {},
     "工作表“政府网站”，第3行，“网站名称”列：“丘北县人民政府”与第2行重复"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(), account(platform="微信")]}, {},
     "工作表“政务新媒体”，第3行，“账号名称”列：“丘北发布”与第2行重复"),
    ({"政府网站": [WEBSITE_HEADER, site(veto="首页打不开")]}, {},
     f"工作表“政府网站”，第2行，“单项否决”列：指标体系“{WEBSITE_SCHEME}”中没有单项否决指标“首页打不开”"),
    ({"政府网站": [WEBSITE_HEADER, site(veto="首页不更新；政策解读")]}, {},
     "工作表“政府网站”，第2行，“单项否决”列：“政策解读”不是单项否决指标，其得分请填在以它为表头的列中"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(kinds="错别字")]}, {},
     f"工作表“政务新媒体”，第2行，“问题类型”列：指标体系“{NEWMEDIA_SCHEME}”中没有指标“错别字”"),
    ({"政府网站": [WEBSITE_HEADER, site(scores=(31, 25.5, 20, 20, ""))]}, {},
     "工作表“政府网站”，第2行，“办事服务”列：“办事服务”的得分不能超过分值25分"),
    ({"政府网站": [WEBSITE_HEADER, site(scores=(31, 21, 20, 20, 31))]}, {},
     "工作表“政府网站”，第2行，“加分指标”列：“加分指标”的得分不能超过分值30分"),
    ({"政府网站": [WEBSITE_HEADER, site(scores=(31, 21, -0.5, 20, ""))]}, {},
     "工作表“政府网站”，第2行，“互动交流”列：“互动交流”的得分不能小于0"),
    ({"政府网站": [WEBSITE_HEADER, site(scores=(31, 21, 20, "二十", ""))]}, {},
     "工作表“政府网站”，第2行，“功能设计”列：“二十”不是数字"),
    ({"政府网站": [[*WEBSITE_HEADER, "政策解读"], [*site(), 5]]}, {},
     "工作表“政府网站”，第2行，“发布解读”列：“发布解读”与其下级指标“政策解读”不能同时填写得分"),
    ({"政府网站": [WEBSITE_HEADER, site(total="九十二")]}, {},
     "工作表“政府网站”，第2行，“得分”列：“九十二”不是数字"),
    ({"政府网站": [WEBSITE_HEADER, site(total=91.99)]}, {},
     "工作表“政府网站”，第2行，“得分”列：得分“91.99”与按指标得分计算的总分“92”不一致"),
    ({"政府网站": [WEBSITE_HEADER, site(scores=("", "", "", "", ""), total=92)]}, {},
     "工作表“政府网站”，第2行，“得分”列：得分“92”与计算结果不一致：本行没有填写指标得分，不计总分"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(kinds="内容不更新", verdict="合格")]}, {},
     "工作表“政务新媒体”，第2行，“结论”列：结论“合格”与计算结果“不合格”不一致（存在单项否决指标）"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(verdict="不合格")]}, {},
     "工作表“政务新媒体”，第2行，“结论”列：结论“不合格”与计算结果“合格”不一致（没有单项否决指标，"
     "也没有填写指标得分）"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(verdict="基本合格")]}, {},
     "工作表“政务新媒体”，第2行，“结论”列：“基本合格”不是可用的值，应为：合格、不合格"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(kinds="内容不更新", dates="2021-11-03；2021-13-01")]}, {},
     "工作表“政务新媒体”，第2行，“发布时间”列：“2021-13-01”不是有效日期"),
    ({"政务新媒体": [ACCOUNT_HEADER, account(dates="2021-11-03")]}, {},
     "工作表“政务新媒体”，第2行，“发布时间”列：填写发布时间时，须填写问题类型或问题描述"),
    ({"政府网站": [WEBSITE_HEADER, site()]}, {"schemes": ["省级政府网站指标"]},
     "指定的指标体系“省级政府网站指标”不存在。"),
    ({"政府网站": [WEBSITE_HEADER, site()]}, {"quarter": 5}, "季度应为 1 至 4，而不是“5”。"),
    ({"政府网站": []}, {}, "工作表“政府网站”，第1行：工作表是空的，第1行应为表头"),
])
def test_each_error_class_is_named_in_chinese(demo, sheets, kwargs, expected):
    before = snapshot()
    assert expected in problems_of(sheets, **kwargs)
    assert snapshot() == before


def test_a_website_name_shared_by_two_websites_is_ambiguous(demo):
    unit = Unit.objects.get(name="丘北县人民政府办公室")
    Website.objects.create(site_code="5326260099", name="丘北县人民政府", url="http://old.ynqb.gov.cn",
                           kind="portal", unit=unit)
    found = problems_of({"政府网站": [WEBSITE_HEADER, site("", "丘北县人民政府")]})
    assert found == ["工作表“政府网站”，第2行，“网站名称”列：名为“丘北县人民政府”的网站不止一个"
                     "（网站标识码 5326260001、5326260099），请填写网站标识码"]


def test_a_target_outside_the_checked_region_is_an_error(demo):
    # A second tree (which the directory import refuses to build) is outside 文山州's check.
    honghe = Region.objects.create(name="红河州", level="city")
    unit = Unit.objects.create(name="红河州人民政府办公室", region=honghe)
    Website.objects.create(site_code="5325000001", name="红河州人民政府", url="http://www.hh.gov.cn",
                           kind="portal", unit=unit)
    Account.objects.create(name="红河发布", platform="wechat", unit=unit)
    found = problems_of({"政府网站": [WEBSITE_HEADER, site("5325000001")],
                         "政务新媒体": [ACCOUNT_HEADER, account("红河发布")]})
    assert found == [
        "工作表“政府网站”，第2行，“网站标识码”列：“红河州人民政府”不属于文山州，不在本次检查范围内",
        "工作表“政务新媒体”，第2行，“账号名称”列：“红河发布”不属于文山州，不在本次检查范围内",
    ]


def test_two_schemes_for_one_target_is_an_error(demo):
    Scheme.objects.create(name="省级政府网站指标", target="websites")
    found = problems_of({"政府网站": [WEBSITE_HEADER, site()]},
                        schemes=[WEBSITE_SCHEME, "省级政府网站指标"])
    assert found == [
        f"为政府网站指定了多个指标体系：{WEBSITE_SCHEME}、省级政府网站指标，每类检查对象只能指定一个。"]


def test_a_closed_check_is_never_changed(demo_inspections):
    before = snapshot()
    found = problems_of({"政府网站": [WEBSITE_HEADER, site()]}, year=2021, quarter=4)
    assert found == ["工作表“政府网站”：2021年四季度政府网站检查已结束，不能再导入检查结果。"]
    assert snapshot() == before


def test_an_existing_check_keeps_its_scheme_and_mode(demo):
    run({"政府网站": [WEBSITE_HEADER, site()]})
    Scheme.objects.create(name="省级政府网站指标", target="websites")
    found = problems_of({"政府网站": [WEBSITE_HEADER, site()]}, schemes=["省级政府网站指标"],
                        mode=CheckMode.SAMPLE)
    assert found == [
        f"工作表“政府网站”：2022年一季度政府网站检查使用指标体系“{WEBSITE_SCHEME}”，"
        "与指定的“省级政府网站指标”不一致。",
        "工作表“政府网站”：2022年一季度政府网站检查的检查方式为“全覆盖”，与指定的“抽查”不一致。",
    ]


# What a good workbook does.

def test_a_new_check_is_created_for_the_quarter_with_the_default_schemes(demo):
    result = run({"政府网站": [WEBSITE_HEADER, site()], "政务新媒体": [ACCOUNT_HEADER, account()]},
                 year=2022, quarter=2)
    websites, newmedia = (Inspection.objects.get(year=2022, quarter=2, target=t)
                          for t in ("websites", "newmedia"))
    assert (websites.window_start.isoformat(), websites.window_end.isoformat()) == (
        "2022-04-01", "2022-06-30")
    assert websites.status == CheckStatus.SCORING and websites.mode == CheckMode.FULL
    assert websites.scheme.name == WEBSITE_SCHEME and newmedia.scheme.name == NEWMEDIA_SCHEME
    assert websites.region.name == "文山州"
    assert websites.population_size == Website.objects.count() == 10
    assert newmedia.population_size == Account.objects.registered_running_on(
        newmedia.window_end).count()
    assert result.created_checks == ["2022年二季度政府网站检查", "2022年二季度政务新媒体检查"]


def test_the_total_and_verdict_follow_the_scoring_rules(demo):
    run({"政府网站": [
        [*WEBSITE_HEADER, "政策解读", "概况信息"],
        [*site("5326000001", scores=(28, 21, 23, 19.5, ""), total=91.5), "", ""],
        [*site("5326010001", scores=(31, 25, 23, 5, 10)), "", ""],    # 84 > 80: bonus counts
        [*site("5326220001", scores=(31, 25, 23, 1, 10)), "", ""],    # 80: no bonus
        [*site("5326230001", scores=(10, 10, 10, 10, "")), "", ""],   # 40: below the pass mark
        [*site("5326240001", scores=("", "", "", "", ""), veto="首页不更新；栏目不更新",
               problem="首页两周未更新"), "", ""],
        [*site("5326250001", scores=("", 20, 20, 20, ""), total=64.5), 4.5, ""],  # a child's points
        [*site("5326260001", scores=("", "", "", "", ""), problem="部分链接失效"), "", ""],
    ]})
    got = {a.website.site_code: (a.total, a.passed, a.vetoed)
           for a in Assessment.objects.select_related("website")}
    assert got == {
        "5326000001": (D("91.5"), True, False),
        "5326010001": (D("94"), True, False),
        "5326220001": (D("80"), True, False),
        "5326230001": (D("40"), False, False),
        "5326240001": (None, False, True),
        "5326250001": (D("64.5"), True, False),
        "5326260001": (None, True, False),
    }
    assert assessment_of("5326010001").bonus_score == 10
    assert assessment_of("5326220001").bonus_score is None
    vetoes = Finding.objects.filter(assessment=assessment_of("5326240001"))
    assert sorted(vetoes.values_list("indicator__name", "description")) == [
        ("栏目不更新", "首页两周未更新"), ("首页不更新", "首页两周未更新")]
    free_text = Finding.objects.get(assessment=assessment_of("5326260001"))
    assert free_text.indicator is None and free_text.description == "部分链接失效"
    assert dict(assessment_of("5326250001").scores.values_list("indicator__name", "points")) == {
        "办事服务": 20, "互动交流": 20, "功能设计": 20, "政策解读": D("4.5")}
    assert all(a.scored_at is not None for a in Assessment.objects.all())


def test_new_media_problems_become_findings_with_their_post_dates(demo):
    run({"政务新媒体": [
        ACCOUNT_HEADER,
        account(kinds="安全、泄密事故等严重问题;内容不更新", description="严重表述错误",
                dates="2021-11-03；2021年11月20日", verdict="不合格"),
        account("丘北健康", kinds="互动回应差"),
        account("丘北教育", "头条号", description="个别信息标题有错别字", dates="2021.11.5",
                verdict="合格"),
        account("丘北融媒", "抖音短视频"),
    ]})
    failed = assessment_of(name="丘北发布")
    assert (failed.passed, failed.vetoed, failed.total) == (False, True, None)
    assert sorted(failed.findings.values_list("indicator__name", "description", "post_dates")) == [
        ("内容不更新", "严重表述错误", ["2021-11-03", "2021-11-20"]),
        ("安全、泄密事故等严重问题", "严重表述错误", ["2021-11-03", "2021-11-20"]),
    ]
    assert assessment_of(name="丘北健康").findings.get().description == "互动回应差"
    noted = assessment_of(name="丘北教育")
    assert noted.passed and list(noted.findings.values_list("indicator", "post_dates")) == [
        (None, ["2021-11-05"])]
    clean = assessment_of(name="丘北融媒")
    assert clean.passed and not clean.findings.exists()


def test_websites_may_be_named_instead_of_coded(demo):
    run({"政府网站": [["网站名称", "发布解读"], ["丘北县人民政府", 30]]})
    assert assessment_of("5326260001").scores.get().points == 30


def test_a_sample_check_holds_the_rows_of_the_workbook(demo):
    run({"政务新媒体": [ACCOUNT_HEADER, account(), account("丘北健康")]}, mode=CheckMode.SAMPLE)
    check = Inspection.objects.get(target="newmedia")
    assert (check.mode, check.sample_size, check.assessments.count()) == (CheckMode.SAMPLE, 2, 2)


def test_a_scheme_may_be_named_once_per_target(demo, tmp_path, capsys):
    Scheme.objects.create(name="省级政府网站指标", target="websites")
    Scheme.objects.create(name="省级政务新媒体指标", target="newmedia")
    path = tmp_path / "检查结果.xlsx"
    path.write_bytes(workbook_bytes({"政府网站": [["网站标识码"], ["5326260001"]],
                                     "政务新媒体": [ACCOUNT_HEADER, account()]}))
    call_command("import_results", str(path), "--year", "2022", "--quarter", "3",
                 "--scheme", "省级政府网站指标", "--scheme", "省级政务新媒体指标")
    assert sorted(Inspection.objects.values_list("scheme__name", flat=True)) == [
        "省级政务新媒体指标", "省级政府网站指标"]
    assert "新建检查批次：2022年三季度政府网站检查" in capsys.readouterr().out


def test_a_draft_check_takes_no_results_until_scoring_starts(draft_check):
    before = snapshot()
    assert problems_of({"政府网站": [WEBSITE_HEADER, site()]}) == [
        "工作表“政府网站”：2022年一季度政府网站检查尚未开始评分（草稿），"
        "请管理员在检查页面点击“开始评分”后再导入检查结果。"]
    assert snapshot() == before


def test_a_check_being_scored_is_filled_without_touching_its_other_targets(scoring_check):
    check = scoring_check
    result = run({"政府网站": [WEBSITE_HEADER, site()]})
    assert result.summary_lines() == ["政府网站：新增 0，更新 1，未变 0（另有 9 个运行中的对象尚无检查结果）"]
    assert check.assessments.count() == 10
    assert check.assessments.filter(scored_at__isnull=False).get().website.site_code == "5326260001"


# Re-importing.

def test_reimporting_changes_nothing_and_changes_are_counted(demo):
    sheets = {
        "政府网站": [WEBSITE_HEADER, site(problem="部分链接失效"),
                     site("5326230001", scores=("", "", "", "", ""), veto="首页不更新")],
        "政务新媒体": [ACCOUNT_HEADER, account(kinds="内容不更新", dates="2021-11-03"),
                       account("丘北健康")],
    }
    first = run(sheets)
    assert first.summary_lines() == [
        "政府网站：新增 2，更新 0，未变 0（另有 8 个运行中的对象尚无检查结果）",
        f"政务新媒体：新增 2，更新 0，未变 0（另有 {_running_accounts() - 2} 个运行中的对象尚无检查结果）",
        "新建检查批次：2022年一季度政府网站检查",
        "新建检查批次：2022年一季度政务新媒体检查",
    ]
    state = snapshot()
    second = run(sheets)
    assert [(c.created, c.updated, c.unchanged) for c in second.sheets.values()] == [(0, 0, 2), (0, 0, 2)]
    assert second.created_checks == []
    assert snapshot() == state

    kept = Finding.objects.get(assessment=assessment_of("5326230001"))
    sheets["政府网站"][1] = site(scores=(30, 21, 20, 20, ""))       # a score changed, problem gone
    sheets["政府网站"][2] = site("5326230001", scores=("", "", "", "", ""), veto="首页不更新",
                                 problem="首页三周未更新")         # the veto's text changed
    third = run(sheets)
    assert [(c.created, c.updated, c.unchanged) for c in third.sheets.values()] == [(0, 2, 0), (0, 0, 2)]
    assert third.summary_lines()[0] == (
        "政府网站：新增 0，更新 2，未变 0（另有 8 个运行中的对象尚无检查结果）"
        "（删去工作簿中已没有的存在问题 1 条，原记录保留在变更历史中）")
    qiubei = assessment_of("5326260001")
    assert qiubei.total == 91 and not qiubei.findings.exists() and qiubei.version == 1
    assert Score.history.filter(assessment_id=qiubei.pk, history_type="~").count() == 1
    assert Finding.history.filter(assessment_id=qiubei.pk, history_type="-").count() == 1
    rewritten = Finding.objects.get(assessment=assessment_of("5326230001"))
    assert (rewritten.pk, rewritten.description) == (kept.pk, "首页三周未更新")


# 不适用: a first-level deduction group's cell; the workbook states only its own columns.

def test_not_applicable_in_a_group_cell_rescales_as_in_the_browser(demo):
    run({"政府网站": [WEBSITE_HEADER, site(scores=(31, "不适用", 20, 20, ""), total=94.67)]})
    qiubei = assessment_of("5326260001")
    service = Scheme.objects.default_for("websites").indicators.get(name="办事服务")
    assert (qiubei.not_applicable, qiubei.deduction_score, qiubei.total) == (
        [service.pk], D("94.67"), D("94.67"))  # 71 of the applicable 75, × 4/3
    assert not qiubei.scores.filter(indicator=service).exists()


def test_a_number_clears_not_applicable_and_an_absent_column_keeps_it(demo):
    run({"政府网站": [WEBSITE_HEADER, site(scores=(31, "不适用", 20, 20, ""))]})
    state = snapshot()
    assert [c.unchanged for c in run({"政府网站": [WEBSITE_HEADER, site(
        scores=(31, "不适用", 20, 20, ""))]}).sheets.values()] == [1]
    assert snapshot() == state  # re-importing it changes nothing
    run({"政府网站": [["网站标识码", "发布解读", "互动交流", "功能设计"], ["5326260001", 30, 20, 20]]})
    kept = assessment_of("5326260001")
    assert kept.not_applicable and kept.total == D("93.33")  # 70 of 75, still rescaled
    run({"政府网站": [WEBSITE_HEADER, site(scores=(31, 21, 20, 20, ""))]})
    cleared = assessment_of("5326260001")
    assert (cleared.not_applicable, cleared.total) == ([], D("92"))


def test_not_applicable_is_only_for_first_level_deduction_groups(demo):
    found = problems_of({"政府网站": [
        [*WEBSITE_HEADER, "政策解读"],
        [*site(scores=(31, 21, 20, 20, "不适用")), ""],
        [*site("5326230001", scores=("", 21, 20, 20, "")), "不适用"],
        [*site("5326220001", scores=("不适用", 21, 20, 20, "")), 5],
    ]})
    assert found == [
        "工作表“政府网站”，第2行，“加分指标”列：只有一级扣分指标可以填写“不适用”，“加分指标”不是",
        "工作表“政府网站”，第3行，“政策解读”列：只有一级扣分指标可以填写“不适用”，“政策解读”不是",
        "工作表“政府网站”，第4行，“政策解读”列：“发布解读”已标为不适用，不应填写得分",
    ]


# Compare-and-swap: a browser save while the workbook is checked or written refuses it.

def test_a_browser_save_during_the_import_refuses_it(demo, monkeypatch):
    from inspections import results_import

    run({"政府网站": [WEBSITE_HEADER, site()]})
    plan = results_import._SheetPlanner.plan

    def plan_then_save_in_the_browser(self, rows):
        plan(self, rows)
        Assessment.objects.filter(website__site_code="5326260001").update(version=7)

    monkeypatch.setattr(results_import._SheetPlanner, "plan", plan_then_save_in_the_browser)
    assert problems_of({"政府网站": [WEBSITE_HEADER, site(scores=(30, 21, 20, 20, ""))]}) == [
        "工作表“政府网站”，第2行：“丘北县人民政府”的评分在导入期间已被其他用户修改，未导入任何内容；请核对后重新导入。"]
    assert assessment_of("5326260001").scores.get(indicator__name="发布解读").points == 31


def test_the_write_itself_only_updates_the_version_it_read(demo, monkeypatch):
    from inspections import results_import

    run({"政府网站": [WEBSITE_HEADER, site()]})
    write = results_import._Writer._write_changed_assessments

    def save_in_the_browser_then_write(self):
        Assessment.objects.filter(website__site_code="5326260001").update(version=7)
        write(self)

    monkeypatch.setattr(results_import._Writer, "_write_changed_assessments",
                        save_in_the_browser_then_write)
    assert problems_of({"政府网站": [WEBSITE_HEADER, site(scores=(30, 21, 20, 20, ""))]}) == [
        "工作表“政府网站”：有检查对象的评分在导入期间已被其他用户修改，未导入任何内容；请核对后重新导入。"]
    assert assessment_of("5326260001").scores.get(indicator__name="发布解读").points == 31


def _running_accounts():
    import datetime

    return Account.objects.registered_running_on(datetime.date(2022, 3, 31)).count()


# The demo's annex 1, imported, gives the demo's totals.

def annex_one_workbook(data: dict) -> dict:
    q4 = next(item for item in data["inspections"] if item["quarter"] == 4)
    groups = ["发布解读", "办事服务", "互动交流", "功能设计"]
    return {"政府网站": [["网站标识码", *groups]] + [
        [code, *(scores.get(g, "") for g in groups)] for code, scores in q4["scores"].items()
    ]}


def test_annex_one_imported_gives_the_demos_totals(demo):
    from inspections.demo import load_inspections

    run(annex_one_workbook(demo), year=2021, quarter=4)
    imported = dict(Assessment.objects.filter(inspection__year=2021, website__isnull=False)
                    .values_list("website__site_code", "total"))
    assert imported["5326000001"] == D("91.5") and imported["5326010001"] == D("87.9")
    assert Assessment.objects.filter(passed=True).count() == 10  # 100% 合格

    # load_demo's own data, loaded alongside as 2020's check, agrees row by row.
    data = {**demo, "inspections": [{**item, "year": 2020} for item in demo["inspections"]]}
    load_inspections(data)
    loaded = dict(Assessment.objects.filter(inspection__year=2020, inspection__quarter=4,
                                            website__isnull=False)
                  .values_list("website__site_code", "total"))
    assert imported == loaded


# The template.

def test_the_template_holds_the_default_schemes_columns_and_imports_cleanly(demo):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template()))
    assert book.sheetnames == ["政府网站", "政务新媒体", "说明"]
    assert [c.value for c in book["政府网站"][1]] == WEBSITE_HEADER
    assert [c.value for c in book["政务新媒体"][1]] == ACCOUNT_HEADER
    notes = "\n".join(str(row[0].value) for row in book["说明"].iter_rows() if row[0].value)
    assert "在该指标的列中填写“不适用”" in notes and "保留原有的“不适用”设置" in notes
    result = import_results(io.BytesIO(template()), year=2022, quarter=1)
    assert [(c.created, c.updated, c.unchanged) for c in result.sheets.values()] == [(1, 0, 0), (1, 0, 0)]
    assert (assessment_of("5326260001").total, assessment_of("5326260001").passed) == (D("97"), True)
    assert assessment_of(name="丘北发布").passed is False


# The upload page.

def test_the_upload_page_imports_for_an_admin(demo, client, office_admin):
    client.force_login(office_admin)
    page = client.post(reverse("inspections:results_import"), {
        "year": 2022, "quarter": 1, "mode": "full",
        "file": workbook_file({"政府网站": [WEBSITE_HEADER, site()]}, "检查结果.xlsx"),
    }, follow=True).content.decode()
    assert "导入成功" in page and "政府网站：新增 1" in page
    assessment = assessment_of("5326260001")
    assert assessment.scored_by == office_admin
    assert assessment.history.get().history_user == office_admin


def test_the_upload_page_lists_every_problem_and_changes_nothing(demo, client, office_admin):
    client.force_login(office_admin)
    before = snapshot()
    upload = workbook_file({"政府网站": [WEBSITE_HEADER, site(), site("5326269999"),
                                         site("5326220001", scores=(31, 21, 20, "二十", ""))]},
                           "检查结果.xlsx")
    page = client.post(reverse("inspections:results_import"), {
        "year": 2022, "quarter": 1, "mode": "full", "file": upload,
    }).content.decode()
    assert "发现 2 个问题，没有做任何修改" in page
    assert "名录中没有网站标识码为“5326269999”的网站" in page and "“二十”不是数字" in page
    assert snapshot() == before


def test_the_upload_page_passes_the_chosen_schemes(demo, client, office_admin):
    copy = Scheme.objects.create(name="省级政府网站指标", target="websites")
    client.force_login(office_admin)
    client.post(reverse("inspections:results_import"), {
        "year": 2022, "quarter": 1, "mode": "sample", "website_scheme": copy.pk,
        "file": workbook_file({"政府网站": [["网站标识码"], ["5326260001"]]}, "检查结果.xlsx"),
    })
    check = Inspection.objects.get()
    assert (check.scheme, check.mode) == (copy, CheckMode.SAMPLE)


def test_the_upload_page_offers_the_template(demo, client, office_admin):
    client.force_login(office_admin)
    response = client.get(reverse("inspections:results_import") + "?template")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert import_results(io.BytesIO(response.content), year=2022, quarter=1).sheets


@pytest.mark.parametrize("username", ["liaison", "leader"])
def test_liaisons_and_leaders_may_not_import(demo, client, django_user_model, username):
    client.force_login(django_user_model.objects.get(username=username))
    url = reverse("inspections:results_import")
    assert client.get(url).status_code == 403
    upload = workbook_file({"政府网站": [WEBSITE_HEADER, site()]}, "检查结果.xlsx")
    assert client.post(url, {"year": 2022, "quarter": 1, "mode": "full", "file": upload}).status_code == 403
    assert not Assessment.objects.exists()


def test_anonymous_users_are_sent_to_login(demo, client):
    response = client.get(reverse("inspections:results_import"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_inspector_without_a_check_may_not_import(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="inspector"))
    assert client.get(reverse("inspections:results_import")).status_code == 403


def test_an_inspector_imports_only_into_an_open_check_assigned_to_them(demo_inspections, client,
                                                                      django_user_model, make_user):
    inspector = django_user_model.objects.get(username="inspector")
    open_check = demo_inspections[4]
    Inspection.objects.filter(pk=open_check.pk).update(status=CheckStatus.SCORING)
    client.force_login(inspector)
    url = reverse("inspections:results_import")

    def post(year):
        upload = workbook_file({"政府网站": [WEBSITE_HEADER, site()]}, "检查结果.xlsx")
        return client.post(url, {"year": year, "quarter": 4, "mode": "full", "file": upload},
                           follow=True).content.decode()

    assert "2022年四季度政府网站检查尚未建立，只有管理员可以新建检查。" in post(2022)
    assert "导入成功" in post(2021)
    stranger = make_user(Role.INSPECTOR, region=Region.objects.get(name="文山州"))
    Inspection.objects.get(pk=demo_inspections[3].pk).inspectors.add(stranger)
    client.force_login(stranger)
    assert "您不是2021年四季度政府网站检查的检查员" in post(2021)


def test_an_admin_of_a_county_may_not_import(demo, client, make_user, region):
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    upload = workbook_file({"政府网站": [WEBSITE_HEADER, site()]}, "检查结果.xlsx")
    page = client.post(reverse("inspections:results_import"),
                       {"year": 2022, "quarter": 1, "mode": "full", "file": upload}).content.decode()
    assert "只有所属地区为文山州的用户可以导入" in page
    assert not Inspection.objects.exists()
