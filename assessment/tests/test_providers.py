"""The items the portal fills from its own data, on the demo (文山州 2021)."""

import datetime
import sys
import types

import pytest

from assessment import providers
from assessment.providers import (
    PROVIDERS,
    YearData,
    annual_reports_on_time,
    circulars_issued,
    quarterly_checks,
)
from assessment.scoring import year_results
from inspections.choices import CheckStatus
from inspections.models import Inspection, Scheme
from reports.assembly import new_circular
from reports.choices import CircularStatus
from sites.models import Region


@pytest.fixture
def data(wenshan_2021, demo_inspections):
    regions = list(Region.objects.filter(name__in=["文山州", "丘北县", "马关县", "文山市"]))
    return YearData(wenshan_2021, regions, datetime.date(2022, 12, 1))


def region(name):
    return Region.objects.get(name=name)


def test_quarterly_checks_count_the_checks_the_region_held(data, demo_inspections):
    measure = quarterly_checks(data, region("文山州"))
    # Q3 and Q4 website checks and the Q4 new-media check: 3 of 8.
    assert measure.faults == 5
    assert measure.summary == ("开展检查3次（应为8次），未开展：一季度政府网站、一季度政务新媒体、"
                               "二季度政府网站、二季度政务新媒体、三季度政务新媒体")
    urls = {e.url for e in measure.evidence}
    assert urls == {i.get_absolute_url() for i in Inspection.objects.filter(year=2021)}


def test_a_county_is_not_credited_with_the_prefectures_checks(data):
    # 丘北县 runs no check of its own in the portal: 暂无数据, entered by the assessor.
    assert quarterly_checks(data, region("丘北县")) is None
    assert circulars_issued(data, region("丘北县")) is None


def test_a_check_never_started_is_not_held(demo_inspections, wenshan_2021):
    Inspection.objects.create(
        region=region("文山州"), year=2021, quarter=1, target="websites", status=CheckStatus.DRAFT,
        window_start=datetime.date(2021, 3, 1), window_end=datetime.date(2021, 3, 5),
        scheme=Scheme.objects.default_for("websites"))
    data = YearData(wenshan_2021, [region("文山州")], datetime.date(2022, 1, 1))
    assert quarterly_checks(data, region("文山州")).faults == 5


def test_circulars_count_the_quarters_with_an_issued_circular(demo_inspections, wenshan_2021):
    top = region("文山州")
    draft = new_circular(top, 2021, 3)
    draft.save()
    issued = new_circular(top, 2021, 4)
    issued.status = CircularStatus.ISSUED
    issued.save()
    data = YearData(wenshan_2021, [top], datetime.date(2022, 1, 1))
    measure = circulars_issued(data, top)
    assert measure.faults == 3  # the draft does not count
    assert measure.summary == "签发检查情况通报1份，未通报：一季度、二季度、三季度"
    assert [e.url for e in measure.evidence] == [issued.get_absolute_url()]


def test_annual_reports_count_last_years_reports_not_done_on_time(data):
    # Demo 2020: 丘北县's 监管年度报表 filed on 2021-02-05, after its due date 2021-01-31.
    qiubei = annual_reports_on_time(data, region("丘北县"))
    assert qiubei.faults == 1
    assert qiubei.summary == "2020年度报表2份，未按时完成：《政府网站监管年度报表》丘北县人民政府办公室"
    assert [e.label for e in qiubei.evidence] == [
        "《政府网站工作年度报表》丘北县人民政府：按时完成（期限2021年1月31日）",
        "《政府网站监管年度报表》丘北县人民政府办公室：未按时完成（期限2021年1月31日）"]
    # 马关县's website report was never filed.
    assert annual_reports_on_time(data, region("马关县")).faults == 1
    wenshan_city = annual_reports_on_time(data, region("文山市"))
    assert (wenshan_city.faults, wenshan_city.summary) == (0, "2020年度报表2份均按时完成")


def test_no_reports_last_year_means_no_data(wenshan_2021):
    from assessment.models import AssessmentYear

    year_2020 = AssessmentYear.objects.get(year=2020)
    data = YearData(year_2020, [region("丘北县")], datetime.date(2021, 6, 1))
    assert annual_reports_on_time(data, region("丘北县")) is None


def test_messages_say_no_data_while_the_interaction_app_has_no_counts(data, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "interaction.statistics", types.ModuleType("interaction.statistics"))
        assert providers.interaction_counts(region("文山州"), 2021) is None
    monkeypatch.setattr(providers, "interaction_counts", lambda region, year: None)
    assert PROVIDERS["messages_unhandled"](data, region("丘北县")) is None
    assert PROVIDERS["messages_late"](data, region("丘北县")) is None


def test_messages_come_from_the_interaction_apps_counts_asked_once_a_year(data, monkeypatch):
    calls = []

    def counts(asked, year):
        calls.append((asked.name, year))
        return {region("丘北县"): types.SimpleNamespace(unhandled=2, handled_after_a_month=1)}

    monkeypatch.setattr(providers, "interaction_counts", counts)
    unhandled = PROVIDERS["messages_unhandled"](data, region("丘北县"))
    late = PROVIDERS["messages_late"](data, region("丘北县"))
    assert (unhandled.faults, late.faults) == (2, 1)
    assert unhandled.summary == "2021年度留言未办结2条"
    assert late.summary == "2021年度留言办结超过一个月1条"
    assert calls == [("文山州", 2021)]
    assert PROVIDERS["messages_unhandled"](data, region("马关县")) is None  # not in the counts


def test_the_interaction_apps_counts_fit_the_provider(data):
    try:
        from interaction.statistics import assessment_counts  # noqa: F401
    except ImportError:
        pytest.skip("the interaction app does not count messages yet")
    measure = PROVIDERS["messages_unhandled"](data, region("丘北县"))
    assert measure.faults == 0 and measure.summary == "2021年度留言未办结0条"


def test_the_results_show_automatic_items_with_points_and_the_others_as_no_data(wenshan_2021, monkeypatch):
    monkeypatch.setattr(providers, "interaction_counts", lambda region, year: None)
    results = year_results(wenshan_2021, datetime.date(2022, 12, 1))
    qiubei = next(r for r in results.offices if r.region.name == "丘北县")
    lines = {line.item.name: line for line in qiubei.lines.values()}
    assert lines["年度报表按时发布"].automatic and lines["年度报表按时发布"].points == 2
    assert lines["找错留言未办结"].no_data and lines["找错留言未办结"].points is None
    # The county's check item has no portal data: the assessor's entry counts.
    assert lines["季度检查"].no_data and lines["季度检查"].points == 0
    assert lines["清理整合"].points == 7 and not lines["清理整合"].automatic
