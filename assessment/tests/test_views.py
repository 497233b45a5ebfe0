"""The pages: scope on every page, file and export (another county's rows are not found),
permissions on every action, the liaison's filing, the assessor's entries, query bounds."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.choices import ReportKind
from assessment.demo import demo_pdf
from assessment.duties import generate_duties
from assessment.models import AnnualReport, AssessmentYear, OfficeAssessment
from sites.models import Region, Unit, Website
from sites.roles import Role


@pytest.fixture
def year(wenshan_2021):
    return wenshan_2021


def report_of(year, region_name, kind=ReportKind.SUPERVISION):
    return AnnualReport.objects.get(assessment_year=year, region__name=region_name, kind=kind)


def office_of(year, region_name):
    return OfficeAssessment.objects.get(assessment_year=year, region__name=region_name)


def body(response) -> str:
    if hasattr(response, "streaming_content"):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode(errors="replace")


# Scope --------------------------------------------------------------------------------------

def test_a_liaison_lists_and_exports_only_their_regions_reports(client, liaison, year):
    client.force_login(liaison)
    url = reverse("assessment:report_list")
    page = body(client.get(url))
    export = body(client.get(url + "?export=csv"))
    for text in (page, export):
        assert "丘北县人民政府" in text
        assert "西畴" not in text and "文山州" not in text
    assert "共 4 条" in page  # 2020 and 2021: the county's portal and its office


def test_filtering_or_exporting_another_region_is_not_found(client, liaison, year):
    client.force_login(liaison)
    xichou = Region.objects.get(name="西畴县")
    url = reverse("assessment:report_list")
    assert client.get(url, {"region": xichou.pk, "export": "xlsx"}).status_code == 404
    page = body(client.get(url, {"region": xichou.pk}))
    assert "筛选条件有误" in page and "西畴" not in page


@pytest.mark.parametrize("name", ["assessment:report", "assessment:report_file"])
def test_another_countys_report_and_file_are_not_found(client, liaison, year, name):
    client.force_login(liaison)
    xichou = report_of(AssessmentYear.objects.get(year=2020), "西畴县")
    assert xichou.file
    assert client.get(reverse(name, args=[xichou.pk])).status_code == 404


def test_the_own_countys_file_is_served_as_a_pdf(client, liaison, year):
    client.force_login(liaison)
    own = report_of(AssessmentYear.objects.get(year=2020), "丘北县")
    response = client.get(reverse("assessment:report_file", args=[own.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["assessment:year", "assessment:year_circular", "assessment:year_edit"])
def test_a_county_liaison_cannot_reach_the_prefectures_year(client, liaison, year, name):
    client.force_login(liaison)
    assert client.get(reverse(name, args=[year.pk])).status_code in (403, 404)
    assert "文山州" not in body(client.get(reverse("assessment:year_list") + "?export=csv"))


def test_a_liaison_sees_their_offices_assessment_and_not_anothers(client, liaison, year):
    client.force_login(liaison)
    own = client.get(reverse("assessment:office", args=[office_of(year, "丘北县").pk]))
    assert own.status_code == 200
    page = body(own)
    assert "89" in page and "清理整合" in page
    assert 'name="version"' not in page  # read only: no entry form
    other = client.get(reverse("assessment:office", args=[office_of(year, "西畴县").pk]))
    assert other.status_code == 404


def test_a_liaison_cannot_enter_an_assessment(client, liaison, year):
    client.force_login(liaison)
    office = office_of(year, "丘北县")
    response = client.post(reverse("assessment:office", args=[office.pk]), {"version": 0})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["assessment:year_generate", "assessment:year_remind",
                                  "assessment:year_lock"])
def test_actions_need_their_permission(client, make_user, region, year, name):
    leader = make_user(Role.LEADER, region=region("文山州"))
    client.force_login(leader)
    assert client.post(reverse(name, args=[year.pk])).status_code == 403


@pytest.mark.parametrize("name", ["assessment:year_generate", "assessment:year_lock"])
def test_another_regions_admin_cannot_act_on_the_year(client, make_user, region, year, name):
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    assert client.post(reverse(name, args=[year.pk])).status_code == 404
    assert not AssessmentYear.objects.get(pk=year.pk).is_locked


def test_a_unit_contact_sees_only_their_units_website_reports(client, make_user, year):
    unit = Unit.objects.get(name="文山州人力资源和社会保障局")
    client.force_login(make_user(Role.LIAISON, unit=unit))
    page = body(client.get(reverse("assessment:report_list")))
    assert "文山州人力资源和社会保障局" in page
    assert "文山州人民政府" not in page and "丘北" not in page


# Filing -------------------------------------------------------------------------------------

def test_a_liaison_files_the_url_and_pdf_of_their_own_report(client, liaison, year):
    client.force_login(liaison)
    report = report_of(year, "丘北县", ReportKind.WEBSITE)
    report.submitted_at = None
    report.file = ""
    report.save()
    url = reverse("assessment:report", args=[report.pk])
    response = client.post(url, {"url": "https://www.ynqb.gov.cn/ndbb/2021.html",
                                 "pdf": SimpleUploadedFile("2021年度报表.pdf", demo_pdf("x"))})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_done and report.submitted_by == liaison
    assert report.original_name == "2021年度报表.pdf"
    assert "已完成" in body(client.get(url))


def test_an_executable_named_pdf_is_refused_on_the_page(client, liaison, year):
    client.force_login(liaison)
    report = report_of(year, "丘北县", ReportKind.WEBSITE)
    report.submitted_at, report.file = None, ""
    report.save()
    response = client.post(reverse("assessment:report", args=[report.pk]), {
        "url": "https://www.ynqb.gov.cn/ndbb/2021.html",
        "pdf": SimpleUploadedFile("年度报表.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")})
    assert response.status_code == 400
    assert "不是PDF文件" in body(response)
    report.refresh_from_db()
    assert not report.is_done and not report.file


def test_a_liaison_cannot_file_another_countys_report(client, liaison, year):
    client.force_login(liaison)
    xichou = report_of(year, "西畴县")
    response = client.post(reverse("assessment:report", args=[xichou.pk]),
                           {"url": "https://x.gov.cn", "pdf": SimpleUploadedFile("a.pdf", demo_pdf("x"))})
    assert response.status_code == 404


# Admin pages --------------------------------------------------------------------------------

def test_the_year_page_ranks_the_offices_and_counts_the_reports(client, office_admin, year):
    client.force_login(office_admin)
    page = body(client.get(reverse("assessment:year", args=[year.pk])))
    ranking = re.findall(r'<a href="/assessment/offices/\d+/">(.+?)</a>', page)
    assert ranking == ["文山市", "富宁县", "砚山县", "广南县", "西畴县", "麻栗坡县", "马关县", "丘北县"]
    assert "共 19 份：已完成 7 份，逾期未完成" in page
    assert "生成年度报表任务" in page and "锁定考核" in page


def test_creating_a_year_sets_the_default_due_date_and_its_offices(client, office_admin, demo):
    client.force_login(office_admin)
    response = client.post(reverse("assessment:year_add"), {
        "year": 2023, "scheme": AssessmentYear._meta.get_field("scheme").related_model.objects.default().pk})
    assert response.status_code == 302
    created = AssessmentYear.objects.get(year=2023)
    assert created.region.name == "文山州"
    assert created.report_due_on == datetime.date(2024, 1, 31)
    assert created.offices.count() == 8
    again = client.post(reverse("assessment:year_add"), {"year": 2023, "scheme": created.scheme_id})
    assert "文山州2023年度已经建立" in body(again)


def test_generate_is_idempotent_from_the_page(client, office_admin, year):
    client.force_login(office_admin)
    response = client.post(reverse("assessment:year_generate", args=[year.pk]), follow=True)
    assert "已生成年度报表任务0个" in body(response)
    assert year.reports.count() == 19


def test_the_remind_button_mails_the_liaisons(client, office_admin, liaison, other_liaison, year):
    liaison.email, other_liaison.email = "qiubei@example.cn", "xichou@example.cn"
    liaison.save()
    other_liaison.save()
    client.force_login(office_admin)
    response = client.post(reverse("assessment:year_remind", args=[year.pk]), follow=True)
    # 丘北县 filed both its 2021 reports in the demo: only 西畴县 is reminded.
    assert "已向1位联络员发送提醒邮件" in body(response)
    assert mail.outbox[0].to == ["xichou@example.cn"]


def test_the_admin_enters_items_and_sees_the_new_total(client, office_admin, year):
    client.force_login(office_admin)
    office = office_of(year, "砚山县")
    item = year.scheme.items.get(name="信息报送").pk
    veto = year.scheme.items.get(name="严重表述错误").pk
    url = reverse("assessment:office", args=[office.pk])
    assert f'name="points-{item}"' in body(client.get(url))
    response = client.post(url, {"version": 0, f"points-{item}": "3", f"note-{item}": "报送数据不准确3处",
                                 f"veto-{veto}": "on", f"note-{veto}": ""})
    assert response.status_code == 400
    assert "单项否决请写明原因" in body(response)
    kept = year.scheme.items.get(name="清理整合").pk  # the page posts every field, filled or not
    response = client.post(url, {"version": 0, f"points-{item}": "3", f"note-{item}": "报送数据不准确3处",
                                 f"points-{kept}": "1", f"note-{kept}": "1个问题微博账号未整改"}, follow=True)
    assert "已保存：砚山县 96分，合格。" in body(response)
    stale = client.post(url, {"version": 0, f"points-{item}": "4"})
    assert stale.status_code == 409


def test_points_beyond_an_items_points_are_refused(client, office_admin, year):
    client.force_login(office_admin)
    office = office_of(year, "砚山县")
    item = year.scheme.items.get(name="信息报送").pk
    response = client.post(reverse("assessment:office", args=[office.pk]), {"version": 0, f"points-{item}": "8"})
    assert response.status_code == 400


def test_locking_from_the_page_freezes_the_entries(client, office_admin, year):
    client.force_login(office_admin)
    client.post(reverse("assessment:year_lock", args=[year.pk]))
    assert AssessmentYear.objects.get(pk=year.pk).is_locked
    page = body(client.get(reverse("assessment:office", args=[office_of(year, "丘北县").pk])))
    assert "已锁定" in page and 'name="version"' not in page
    assert client.get(reverse("assessment:year_edit", args=[year.pk])).status_code == 403


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx", "docx"])
def test_the_circular_downloads(client, office_admin, year, fmt):
    client.force_login(office_admin)
    response = client.get(reverse("assessment:year_circular", args=[year.pk]), {"format": fmt})
    assert response.status_code == 200
    if fmt != "html":
        assert "attachment" in response["Content-Disposition"]


def test_the_circular_page_previews_it(client, office_admin, year):
    client.force_login(office_admin)
    page = re.sub(r"<[^>]+>|\s+", "", body(client.get(reverse("assessment:year_circular", args=[year.pk]))))
    assert "关于2021年度全州政府网站与政务新媒体监管工作年度考核情况的通报" in page
    assert client.get(reverse("assessment:year_circular", args=[year.pk]), {"format": "exe"}).status_code == 404


# Query bounds -------------------------------------------------------------------------------

def grow(year, rows: int) -> None:
    """Add `rows` websites in 丘北县 and their duties."""
    unit = Unit.objects.get(name="丘北县人民政府办公室")
    Website.objects.bulk_create(
        Website(site_code=f"{5326260000 + 100 + rows * 10 + i}"[:10], name=f"测试网站{rows}-{i}",
                url="http://a.gov.cn", kind="department", unit=unit) for i in range(rows))
    generate_duties(year)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body(response)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("suffix", ["", "?export=xlsx", "?export=csv", "?state=overdue&year=2021&q=测试"])
def test_the_report_list_does_not_grow_with_rows(client, office_admin, year, suffix,
                                                 django_assert_max_num_queries):
    client.force_login(office_admin)
    url = reverse("assessment:report_list") + suffix
    grow(year, 3)
    small = count_queries(client, url)
    grow(year, 60)
    with django_assert_max_num_queries(small):
        body(client.get(url))
    assert small <= 12


@pytest.mark.parametrize("name", ["assessment:year_list", "assessment:year", "assessment:office",
                                  "assessment:report", "assessment:year_circular"])
def test_the_other_pages_are_bounded(client, office_admin, year, name, django_assert_max_num_queries):
    client.force_login(office_admin)
    args = {"assessment:year_list": [], "assessment:year": [year.pk], "assessment:year_circular": [year.pk],
            "assessment:office": [office_of(year, "丘北县").pk],
            "assessment:report": [report_of(year, "丘北县").pk]}[name]
    grow(year, 3)
    small = count_queries(client, reverse(name, args=args))
    grow(year, 30)
    with django_assert_max_num_queries(small):
        assert client.get(reverse(name, args=args)).status_code == 200
    assert small <= 24  # the message counts take four of them


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_years_results_download_and_stay_bounded(client, office_admin, year, fmt,
                                                     django_assert_max_num_queries):
    client.force_login(office_admin)
    url = reverse("assessment:year", args=[year.pk]) + f"?export={fmt}"
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        rows = body(response).lstrip("\ufeff").splitlines()
        assert rows[0] == "排名,地区,扣分指标得分,加分,得分,结论,扣分情况"
        assert rows[1] == "1,文山市,100,5,105,合格,集约化平台加5分（全部政府网站已迁移至集约化平台）"
        assert rows[-1].startswith("8,丘北县,89,0,89,合格,问题整改扣2分")
        assert len(rows) == 9
    page = body(client.get(reverse("assessment:year", args=[year.pk])))
    assert "?export=xlsx" in page and '<tr class="row-fail"' not in page


def test_a_county_admin_cannot_download_the_prefectures_results(client, make_user, region, year):
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    response = client.get(reverse("assessment:year", args=[year.pk]), {"export": "csv"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["assessment:year_add", "assessment:year_edit", "assessment:year_list"])
def test_the_admins_forms_and_list_are_shown(client, office_admin, year, name):
    client.force_login(office_admin)
    args = [] if name in ("assessment:year_add", "assessment:year_list") else [year.pk]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    if name == "assessment:year_edit":
        assert "已有考核得分，不能更换考核指标" in body(response)


def test_a_liaison_sees_the_filing_form_on_their_own_report(client, liaison, year):
    client.force_login(liaison)
    page = body(client.get(reverse("assessment:report", args=[report_of(year, "丘北县").pk])))
    assert 'name="url"' in page and 'name="pdf"' in page and "2022年1月28日前" in page
