"""The items the portal fills from its own data, on the demo (文山州 2021)."""

import datetime

import pytest

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


@pytest.fixture
def demo_messages(demo):
    from interaction.demo import load_messages

    load_messages()


def test_messages_say_no_data_where_the_portal_has_none(data):
    # No message at all, and no import: 暂无数据, never a full-marks zero.
    assert PROVIDERS["messages_unhandled"](data, region("丘北县")) is None
    assert PROVIDERS["messages_late"](data, region("丘北县")) is None


def test_messages_come_from_the_national_channel_asked_once_a_year(
        wenshan_2021, demo_messages, django_assert_num_queries):
    offices = list(Region.objects.filter(parent__name="文山州"))
    data = YearData(wenshan_2021, offices, datetime.date(2022, 1, 10))
    assert wenshan_2021.region.name == "文山州"  # loaded with the year, as on the pages
    with django_assert_num_queries(4):
        measures = {(office.name, source): PROVIDERS[source](data, office)
                    for office in offices for source in ("messages_unhandled", "messages_late")}
    guangnan = measures[("广南县", "messages_unhandled")]
    assert (guangnan.faults, guangnan.summary) == (1, "2021年度留言未办结1条")
    xichou = measures[("西畴县", "messages_late")]
    assert (xichou.faults, xichou.summary) == (1, "2021年度留言办结超过一个月1条")
    assert measures[("砚山县", "messages_unhandled")].faults == 0  # its one message answered
    # 丘北县 and 文山市 had no 我为政府网站找错 message in the demo and imported none.
    assert measures[("丘北县", "messages_unhandled")] is None
    assert measures[("文山市", "messages_late")] is None


def test_the_evidence_lists_the_offices_national_messages_of_the_year(
        client, office_admin, wenshan_2021, demo_messages):
    data = YearData(wenshan_2021, [region("广南县")], datetime.date(2022, 1, 10))
    (evidence,) = PROVIDERS["messages_unhandled"](data, region("广南县")).evidence
    assert evidence.url == (f"/interaction/messages/?region={region('广南县').pk}"
                            "&channel_kind=national&year=2021")
    client.force_login(office_admin)
    rows = b"".join(client.get(evidence.url + "&export=csv").streaming_content).decode("utf-8-sig")
    assert [line.split(",")[1] for line in rows.splitlines()[1:]] == ["3105"]


def test_unhandled_means_past_the_deadline_on_the_assessments_date(wenshan_2021, demo_messages):
    # 马关县's 3109, received 2021-12-28, is due 2021-12-31.
    def measure(today):
        data = YearData(wenshan_2021, [region("马关县")], today)
        return PROVIDERS["messages_unhandled"](data, region("马关县"))

    assert (measure(datetime.date(2021, 12, 31)).faults,
            measure(datetime.date(2021, 12, 31)).summary) == (
        0, "2021年度留言未办结0条（另有1条尚在办理期限内，不扣分）")
    assert measure(datetime.date(2022, 1, 1)).faults == 1


def test_a_year_without_messages_is_no_data_for_every_office(demo, demo_messages, office_admin):
    from assessment.models import AssessmentYear, Scheme
    from assessment.scoring import ensure_offices

    year_2024 = AssessmentYear.objects.create(region=region("文山州"), year=2024,
                                              scheme=Scheme.objects.default())
    ensure_offices(year_2024)
    for result in year_results(year_2024, datetime.date(2025, 1, 20)).offices:
        lines = {line.item.name: line for line in result.lines.values()}
        for name in ("找错留言未办结", "找错留言办结超期"):
            assert lines[name].no_data and not lines[name].automatic, result.region


def test_an_import_covering_the_year_makes_zero_a_figure(wenshan_2021, demo_messages):
    from interaction.models import MessageImport

    MessageImport.objects.create(region=region("文山州"), national_first=datetime.date(2021, 1, 4),
                                 national_last=datetime.date(2021, 12, 28))
    data = YearData(wenshan_2021, [region("丘北县")], datetime.date(2022, 1, 10))
    measure = PROVIDERS["messages_unhandled"](data, region("丘北县"))
    assert (measure.faults, measure.summary) == (0, "2021年度留言未办结0条")


def test_the_results_show_automatic_items_with_points_and_the_others_as_no_data(wenshan_2021):
    results = year_results(wenshan_2021, datetime.date(2022, 12, 1))
    qiubei = next(r for r in results.offices if r.region.name == "丘北县")
    lines = {line.item.name: line for line in qiubei.lines.values()}
    assert lines["年度报表按时发布"].automatic and lines["年度报表按时发布"].points == 2
    assert lines["找错留言未办结"].no_data and lines["找错留言未办结"].points is None
    # The county's check item has no portal data: the assessor's entry counts.
    assert lines["季度检查"].no_data and lines["季度检查"].points == 0
    assert lines["清理整合"].points == 7 and not lines["清理整合"].automatic
