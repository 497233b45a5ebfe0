"""The home page's 待办 from the 年度报表: those not done, overdue first."""

import datetime

from django.urls import reverse

from assessment.models import AnnualReport
from common.todo import todos_for


def by_label(user):
    return {t.label: t for t in todos_for(user)}


def undo_one_of(user, year) -> None:
    """The demo's 丘北县 filed all its reports: take one of the year back."""
    report = AnnualReport.objects.visible_to(user).filter(assessment_year=year).first()
    AnnualReport.objects.filter(pk=report.pk).update(submitted_at=None)


def test_a_liaison_sees_their_reports_not_done(wenshan_2021, liaison):
    assert "逾期未完成的年度报表" not in by_label(liaison)
    undo_one_of(liaison, wenshan_2021)
    found = by_label(liaison)
    assert found["逾期未完成的年度报表"].count == 1  # due 2022-01-31
    assert found["逾期未完成的年度报表"].urgent and "待填报的年度报表" not in found
    url = reverse("assessment:report_list") + "?state=overdue"
    assert found["逾期未完成的年度报表"].url == url


def test_reports_still_in_time_are_named_as_such(wenshan_2021, liaison):
    undo_one_of(liaison, wenshan_2021)
    wenshan_2021.report_due_on = datetime.date.today() + datetime.timedelta(days=30)
    wenshan_2021.save()
    found = by_label(liaison)
    assert found["待填报的年度报表"].count and not found["待填报的年度报表"].urgent


def test_a_leader_has_no_reports_to_file(wenshan_2021, make_user, region):
    from sites.roles import Role

    assert "逾期未完成的年度报表" not in by_label(make_user(Role.LEADER, region=region("文山州")))
