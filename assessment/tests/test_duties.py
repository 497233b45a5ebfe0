"""年度报表 duties: generation, states around the due date, filing with a PDF, reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from assessment import duties
from assessment.choices import ReportKind, ReportState
from assessment.demo import demo_pdf
from assessment.models import AnnualReport, AssessmentYear, Scheme, default_due_on
from sites.models import Region, Website
from sites.roles import Role


@pytest.fixture
def year_2022(demo):
    return AssessmentYear.objects.create(region=Region.objects.get(name="文山州"), year=2022,
                                         scheme=Scheme.objects.default())


def pdf_upload(name="年度报表.pdf", content=None):
    return SimpleUploadedFile(name, content or demo_pdf("annual report"), "application/pdf")


def test_the_due_date_defaults_to_january_31_of_the_next_year(year_2022):
    assert year_2022.report_due_on == datetime.date(2023, 1, 31) == default_due_on(2022)


def test_a_year_has_a_duty_per_running_website_and_per_office(year_2022):
    assert duties.generate_duties(year_2022) == 10 + 9
    reports = year_2022.reports
    assert reports.filter(kind=ReportKind.WEBSITE).count() == 10
    assert set(reports.filter(kind=ReportKind.SUPERVISION).values_list("region__name", flat=True)) == {
        "文山州", "文山市", "砚山县", "西畴县", "麻栗坡县", "马关县", "丘北县", "广南县", "富宁县"}
    qiubei = reports.get(website__name="丘北县人民政府")
    assert (qiubei.region.name, qiubei.unit.name) == ("丘北县", "丘北县人民政府办公室")


def test_generating_again_creates_nothing_and_keeps_what_was_filed(year_2022, office_admin):
    duties.generate_duties(year_2022)
    filed = year_2022.reports.get(website__name="丘北县人民政府")
    duties.file_report(filed, url="http://www.ynqb.gov.cn/ndbb.html", upload=pdf_upload(), user=office_admin)
    assert duties.generate_duties(year_2022) == 0
    assert year_2022.reports.count() == 19
    filed.refresh_from_db()
    assert filed.is_done


def test_a_website_that_ran_during_the_year_has_a_duty_and_one_stopped_before_has_none(year_2022):
    Website.objects.filter(name="丘北县人民政府").update(status="closed", closed_on=datetime.date(2022, 3, 1))
    Website.objects.filter(name="西畴县人民政府").update(status="closed", closed_on=datetime.date(2021, 12, 31))
    Website.objects.filter(name="富宁县人民政府").update(opened_on=datetime.date(2023, 2, 1))
    duties.generate_duties(year_2022)
    names = set(year_2022.reports.values_list("website__name", flat=True))
    assert "丘北县人民政府" in names
    assert "西畴县人民政府" not in names and "富宁县人民政府" not in names


@pytest.mark.parametrize(("today", "state"), [
    (datetime.date(2023, 1, 30), ReportState.PENDING),
    (datetime.date(2023, 1, 31), ReportState.PENDING),  # the due date itself is still in time
    (datetime.date(2023, 2, 1), ReportState.OVERDUE),
])
def test_a_duty_not_done_is_overdue_only_after_its_due_date(year_2022, today, state):
    duties.generate_duties(year_2022)
    report = year_2022.reports.first()
    assert report.state_on(today) == state
    assert list(AnnualReport.objects.in_state(state, today)) == list(year_2022.reports.all())


def test_the_due_date_is_set_per_year(year_2022):
    duties.generate_duties(year_2022)
    year_2022.report_due_on = datetime.date(2023, 1, 28)
    year_2022.save()
    report = year_2022.reports.first()
    assert report.state_on(datetime.date(2023, 1, 29)) == ReportState.OVERDUE


def test_a_duty_is_done_once_url_and_pdf_are_in_and_on_time_by_its_due_date(year_2022, liaison):
    duties.generate_duties(year_2022)
    report = year_2022.reports.get(kind=ReportKind.SUPERVISION, region__name="丘北县")
    duties.file_report(report, url="http://www.ynqb.gov.cn/ndbb.html", upload=None, user=liaison)
    assert not report.is_done
    duties.file_report(report, url="http://www.ynqb.gov.cn/ndbb.html", upload=pdf_upload(), user=liaison)
    assert report.is_done and report.submitted_by == liaison
    assert report.state_on(datetime.date(2030, 1, 1)) == ReportState.DONE
    assert report.on_time is False  # filed today, long after 2023-01-31
    assert report.sha256 and report.size == len(demo_pdf("annual report"))
    assert report.file.name.startswith("annual-reports/") and "年度报表" not in report.file.name
    first = report.submitted_at
    duties.file_report(report, url="http://www.ynqb.gov.cn/ndbb2.html", upload=pdf_upload(), user=liaison)
    assert report.submitted_at == first  # replacing the file does not move the completion date


def test_an_executable_renamed_pdf_is_refused():
    exe = SimpleUploadedFile("年度报表.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf")
    with pytest.raises(ValidationError, match="不是PDF文件"):
        duties.check_pdf(exe)


def test_a_pdf_over_20_mb_is_refused():
    big = SimpleUploadedFile("年度报表.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError, match="超过 20 MB"):
        duties.check_pdf(big)


def test_a_real_pdf_is_accepted_whatever_its_name():
    duties.check_pdf(SimpleUploadedFile("report.bin", demo_pdf("x")))
    duties.check_pdf(SimpleUploadedFile("a.pdf", b"%PDF-1.7 rest"))


# Reminders ----------------------------------------------------------------------------------

@pytest.fixture
def liaisons(year_2022, liaison, other_liaison):
    duties.generate_duties(year_2022)
    liaison.email, other_liaison.email = "qiubei@example.cn", "xichou@example.cn"
    liaison.save()
    other_liaison.save()
    return liaison, other_liaison


def test_a_reminder_lists_each_liaison_the_duties_of_their_region_not_done(liaisons):
    year = AssessmentYear.objects.get(year=2022)
    xichou_site = year.reports.get(website__name="西畴县人民政府")
    duties.file_report(xichou_site, url="http://www.ynxc.gov.cn/ndbb.html", upload=pdf_upload(),
                       user=liaisons[1])
    assert duties.remind(year, today=datetime.date(2023, 2, 3)) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    qiubei = by_address["qiubei@example.cn"].body
    assert "《政府网站工作年度报表》丘北县人民政府（逾期未完成）" in qiubei
    assert "《政府网站监管年度报表》丘北县人民政府办公室（逾期未完成）" in qiubei
    assert "西畴" not in qiubei
    assert "2023年1月31日前" in qiubei and "/assessment/reports/?year=2022" in qiubei
    xichou = by_address["xichou@example.cn"].body
    assert "西畴县人民政府办公室" in xichou and "《政府网站工作年度报表》西畴县人民政府" not in xichou


def test_no_mail_goes_to_liaisons_whose_duties_are_done(liaisons, make_user, region):
    year = AssessmentYear.objects.get(year=2022)
    for report in year.reports.filter(region__name="丘北县"):
        duties.file_report(report, url="http://www.ynqb.gov.cn/ndbb.html", upload=pdf_upload(),
                           user=liaisons[0])
    make_user(Role.LIAISON, region=region("马关县"))  # no e-mail address: nobody to write to
    assert duties.remind(year) == 1
    assert mail.outbox[0].to == ["xichou@example.cn"]


def test_the_command_reminds_for_a_year(liaisons, capsys):
    call_command("remind_annual_reports", "--year", "2022")
    assert len(mail.outbox) == 2
    assert "已发送提醒邮件 2 封" in capsys.readouterr().out
