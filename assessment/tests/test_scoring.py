"""Totals, verdicts and ranks of the annual assessment; entries and locking."""

import datetime
from decimal import Decimal

import pytest

from assessment import scoring
from assessment.models import AnnualReport, ItemScore, OfficeAssessment
from assessment.scoring import AssessmentError, Entry, lock_year, save_entries, year_results

TODAY = datetime.date(2022, 12, 1)


def office(year, name):
    return OfficeAssessment.objects.get(assessment_year=year, region__name=name)


def by_region(results):
    return {r.region.name: r for r in results.offices}


def enter(year, name, item, points=None, vetoed=False, note=""):
    target = office(year, name)
    entry = {year.scheme.items.get(name=item).pk: Entry(points and Decimal(points), vetoed, note)}
    save_entries(target, entry, loaded_version=target.version)


def test_the_demo_years_totals_verdicts_and_ranks(wenshan_2021):
    results = year_results(wenshan_2021, TODAY)
    table = [(r.rank, r.region.name, r.total, r.conclusion) for r in results.offices]
    assert table == [
        (1, "文山市", 105, "合格"),  # no deduction, 集约化平台 +5
        (1, "富宁县", 105, "合格"),  # equal totals share a rank; ties in 区划代码 order
        (3, "砚山县", 99, "合格"),
        (4, "广南县", 98, "合格"),
        (5, "西畴县", 97, "合格"),
        (6, "麻栗坡县", 96, "合格"),
        (6, "马关县", 96, "合格"),  # 备案管理 −2, and its 2020 website report never filed −2
        (8, "丘北县", 89, "合格"),  # −7 −2 entered, 2020 监管年度报表 late −2
    ]
    qiubei = by_region(results)["丘北县"]
    assert qiubei.summary() == ("问题整改扣2分（政府网站多个栏目未更新，未按期整改）；"
                                "清理整合扣7分（专项排查整治9个问题微信账号未备案未注销）；"
                                "年度报表按时发布扣2分（2020年度报表2份，未按时完成："
                                "《政府网站监管年度报表》丘北县人民政府办公室）")


def test_a_veto_fails_the_office_whatever_its_points_and_ranks_it_last(wenshan_2021):
    enter(wenshan_2021, "文山市", "严重表述错误", vetoed=True, note="国办抽查2个政务新媒体严重表述错误")
    result = by_region(year_results(wenshan_2021, TODAY))["文山市"]
    assert (result.total, result.vetoed, result.passed) == (105, True, False)
    assert result.conclusion == "不合格（单项否决）"
    assert year_results(wenshan_2021, TODAY).offices[-1].region.name == "文山市"
    assert result.summary().startswith("单项否决：严重表述错误（国办抽查2个政务新媒体严重表述错误）；")


def test_below_the_pass_mark_fails(wenshan_2021):
    for item in ("季度检查", "检查情况通报", "抽查比例", "问题整改", "开办整合", "信息报送"):
        enter(wenshan_2021, "砚山县", item, points="8")  # capped at each item's points
    result = by_region(year_results(wenshan_2021, TODAY))["砚山县"]
    # 8 points on an item of 6 or 7 count as 6 or 7: two whole groups lost, and the demo's −1.
    assert result.deduction == 100 - 30 - 15 - 1
    assert (result.total, result.passed, result.conclusion) == (54, False, "不合格")


@pytest.mark.parametrize(("deducted", "bonus", "total"), [
    ("19", Decimal(5), Decimal(86)),  # 81 > 80: the bonus counts
    ("20", None, Decimal(80)),  # exactly 80: it does not
])
def test_the_bonus_counts_only_above_80(wenshan_2021, deducted, bonus, total):
    enter(wenshan_2021, "文山市", "问题整改", points="8")
    enter(wenshan_2021, "文山市", "开办整合", points="8")
    enter(wenshan_2021, "文山市", "信息报送", points=str(int(deducted) - 16))
    result = by_region(year_results(wenshan_2021, TODAY))["文山市"]
    assert (result.bonus, result.bonus_entered, result.total) == (bonus, 5, total)
    if bonus is None:
        assert result.summary().endswith("集约化平台加5分（全部政府网站已迁移至集约化平台；扣分指标得分未超过80分，不计）")


def test_the_bonus_is_capped_at_its_groups_points(wenshan_2021):
    enter(wenshan_2021, "文山市", "创新做法", points="10")
    enter(wenshan_2021, "文山市", "典型经验", points="5")
    assert by_region(year_results(wenshan_2021, TODAY))["文山市"].total == 120


def test_an_empty_entry_removes_the_row(wenshan_2021):
    enter(wenshan_2021, "丘北县", "清理整合")
    assert not ItemScore.objects.filter(office__region__name="丘北县", item__name="清理整合").exists()


def test_a_stale_save_is_refused(wenshan_2021):
    target = office(wenshan_2021, "丘北县")
    item = wenshan_2021.scheme.items.get(name="清理整合").pk
    save_entries(target, {item: Entry(Decimal(3))}, loaded_version=0)
    with pytest.raises(AssessmentError, match="其他人已修改"):
        save_entries(target, {item: Entry(Decimal(4))}, loaded_version=0)


def test_locking_keeps_the_automatic_figures_and_refuses_changes(wenshan_2021, office_admin):
    before = [(r.region.name, r.total, r.rank) for r in year_results(wenshan_2021, TODAY).offices]
    lock_year(wenshan_2021, office_admin)
    snapshot = ItemScore.objects.get(office__region__name="丘北县", item__name="年度报表按时发布")
    assert snapshot.automatic and snapshot.points == 2
    assert snapshot.evidence[0]["url"].startswith("/assessment/reports/")
    # Data that changes after the lock does not change the locked results.
    AnnualReport.objects.filter(assessment_year__year=2020).update(
        submitted_at=datetime.datetime(2021, 1, 2, tzinfo=datetime.UTC))
    wenshan_2021.refresh_from_db()
    assert [(r.region.name, r.total, r.rank) for r in year_results(wenshan_2021).offices] == before
    with pytest.raises(AssessmentError, match="已锁定"):
        enter(wenshan_2021, "丘北县", "清理整合", points="1")
    with pytest.raises(AssessmentError, match="已锁定"):
        lock_year(wenshan_2021, office_admin)


def test_offices_are_the_regions_directly_below_and_ensured_once(wenshan_2021):
    assert scoring.ensure_offices(wenshan_2021) == 0
    assert wenshan_2021.offices.count() == 8


def test_the_assessors_entry_wins_over_the_portals_figure(wenshan_2021, demo):
    from interaction.demo import load_messages

    load_messages()  # 广南县: one 我为政府网站找错 message past its deadline, −3
    line = by_region(year_results(wenshan_2021, TODAY))["广南县"].lines
    item = wenshan_2021.scheme.items.get(name="找错留言未办结")
    assert line[item.pk].automatic and line[item.pk].points == 3
    enter(wenshan_2021, "广南县", "找错留言未办结", points="0", note="经核实为重复留言，已合并办理")
    entered = by_region(year_results(wenshan_2021, TODAY))["广南县"].lines[item.pk]
    assert (entered.automatic, entered.no_data, entered.points) == (False, False, 0)
    assert entered.note == "经核实为重复留言，已合并办理"
    assert entered.portal_figure == "本平台数据：2021年度留言未办结1条，应扣3分"
    enter(wenshan_2021, "广南县", "找错留言未办结")  # cleared: the figure counts again
    assert by_region(year_results(wenshan_2021, TODAY))["广南县"].lines[item.pk].automatic
