"""The holiday table in the portal (节假日调整): who reads and who changes it, how an
entry and a year's confirmation move the deadlines, and the warnings wherever a deadline
is only a guess."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interaction.holidays import schedule_years, upcoming_unconfirmed_years
from interaction.models import HolidayOverride, HolidayYear, Message
from sites.roles import Role

D = datetime.date
NOTE = "2027年节假日安排尚未录入，办理期限暂按周一至周五计算"


def text(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.fixture
def county_admin(make_user, region):
    return make_user(Role.ADMIN, region=region("丘北县"))


@pytest.fixture
def new_year_message(channel, unit, add_message):
    """Received Tuesday 2026-12-29 on 我为政府网站找错: due 2027-01-01 by the guess."""
    return add_message(channel(), "2612", unit("丘北县公安局"), "2026-12-29")


@pytest.fixture
def entry(db):
    return HolidayOverride.objects.create(day=D(2027, 1, 1), is_working_day=False, note="元旦")


# Who

def test_every_admin_reads_the_table_others_do_not(client, office_admin, county_admin, liaison,
                                                    make_user, region, entry):
    for user in (office_admin, county_admin):
        client.force_login(user)
        assert client.get(reverse("interaction:holiday_list")).status_code == 200
        assert client.get(reverse("interaction:holiday", args=[entry.pk])).status_code == 200
    for user in (liaison, make_user(Role.LEADER, region=region("文山州"))):
        client.force_login(user)
        assert client.get(reverse("interaction:holiday_list")).status_code == 403
        assert client.get(reverse("interaction:holiday", args=[entry.pk])).status_code == 403
        assert client.get(reverse("interaction:holiday_list") + "?export=csv").status_code == 403


def test_only_the_office_that_runs_the_portal_changes_it(client, county_admin, entry):
    client.force_login(county_admin)
    page = text(client.get(reverse("interaction:holiday_list")))
    assert "元旦" in page and "编辑" not in page and "录入完毕</button>" not in page
    assert client.get(reverse("interaction:holiday_add")).status_code == 403
    assert client.post(reverse("interaction:holiday_add"), {
        "day": "2027-01-04", "is_working_day": "False"}).status_code == 403
    for name in ("interaction:holiday_edit", "interaction:holiday_delete"):
        assert client.post(reverse(name, args=[entry.pk])).status_code == 403
    assert client.post(reverse("interaction:holiday_year_confirm"), {"year": 2027}).status_code == 403
    HolidayYear.objects.create(year=2027)
    assert client.post(reverse("interaction:holiday_year_withdraw", args=[2027])).status_code == 403
    assert HolidayOverride.objects.count() == 1 and HolidayYear.objects.exists()


# What an entry and a confirmation do

def test_the_new_year_entered_and_confirmed_in_the_portal_settles_the_deadline(
        client, office_admin, new_year_message):
    client.force_login(office_admin)
    detail = reverse("interaction:message", args=[new_year_message.pk])
    page = text(client.get(detail))
    assert "办理期限暂定：" + NOTE in page and "2027年1月1日（暂定）" in page
    response = client.post(reverse("interaction:holiday_add"), {
        "day": "2027-01-01", "is_working_day": "False", "note": "元旦"})
    assert response.status_code == 302
    new_year_message.refresh_from_db()
    assert (new_year_message.deadline, new_year_message.deadline_provisional) == (D(2027, 1, 4), True)
    response = client.post(reverse("interaction:holiday_year_confirm"), {"year": 2027}, follow=True)
    assert "已确认2027年节假日安排录入完毕" in text(response)
    new_year_message.refresh_from_db()
    assert (new_year_message.deadline, new_year_message.deadline_provisional) == (D(2027, 1, 4), False)
    assert HolidayYear.objects.get(year=2027).confirmed_by == office_admin
    page = text(client.get(detail))
    assert NOTE not in page and "（暂定）" not in page and "2027年1月4日" in page
    listing = text(client.get(reverse("interaction:holiday_list")))
    assert "2027年：已录入 1 天；" in listing and "已确认录入完毕" in listing


def test_editing_or_deleting_an_entry_moves_the_deadline_back(client, office_admin, entry,
                                                               new_year_message):
    client.force_login(office_admin)
    new_year_message.refresh_from_db()
    assert new_year_message.deadline == D(2027, 1, 4)
    client.post(reverse("interaction:holiday_edit", args=[entry.pk]), {
        "day": "2027-01-01", "is_working_day": "True", "note": "元旦（改为上班）"})
    new_year_message.refresh_from_db()
    assert new_year_message.deadline == D(2027, 1, 1)
    client.post(reverse("interaction:holiday_edit", args=[entry.pk]), {
        "day": "2027-01-01", "is_working_day": "False", "note": "元旦"})
    response = client.post(reverse("interaction:holiday_delete", args=[entry.pk]), follow=True)
    assert "已删除" in text(response)
    new_year_message.refresh_from_db()
    assert new_year_message.deadline == D(2027, 1, 1)
    assert HolidayOverride.history.filter(history_type="-").count() == 1  # kept in the history


def test_a_day_entered_twice_is_refused_in_chinese(client, office_admin, entry):
    client.force_login(office_admin)
    page = text(client.post(reverse("interaction:holiday_add"), {
        "day": "2027-01-01", "is_working_day": "False"}))
    assert "这一天已有调整记录，请修改原记录。" in page
    assert HolidayOverride.objects.count() == 1


@pytest.mark.parametrize(("year", "said"), [
    (2026, "2026年的节假日安排由 chinesecalendar 提供，无需确认。"),
    (2028, "尚未录入2028年的任何节假日调整"),
    ("二〇二七", "年度无效。"),
])
def test_a_confirmation_that_makes_no_sense_is_refused(client, office_admin, entry, year, said):
    client.force_login(office_admin)
    response = client.post(reverse("interaction:holiday_year_confirm"), {"year": year}, follow=True)
    assert said in text(response)
    assert not HolidayYear.objects.exists()


def test_a_confirmation_can_be_withdrawn(client, office_admin, entry, new_year_message):
    HolidayYear.objects.create(year=2027)
    client.force_login(office_admin)
    client.post(reverse("interaction:holiday_year_withdraw", args=[2027]))
    assert not HolidayYear.objects.exists()
    new_year_message.refresh_from_db()
    assert new_year_message.deadline_provisional


def test_the_list_filters_and_downloads(client, office_admin, entry):
    HolidayOverride.objects.create(day=D(2027, 2, 20), is_working_day=True, note="春节调休上班")
    client.force_login(office_admin)
    url = reverse("interaction:holiday_list")
    rows = text(client.get(url, {"export": "csv"})).splitlines()
    assert rows == ["日期,星期,类型,说明", "2027-01-01,星期五,休息日,元旦",
                    "2027-02-20,星期六,工作日,春节调休上班"]
    assert len(text(client.get(url, {"is_working_day": "True", "export": "csv"})).splitlines()) == 2
    assert len(text(client.get(url, {"year": 2028, "export": "csv"})).splitlines()) == 1


def test_the_years_listed_are_those_outside_the_library_that_matter(db, entry, channel, unit,
                                                                    add_message):
    add_message(channel(), "1", unit("丘北县公安局"), "2029-12-30")
    listed = schedule_years(D(2026, 12, 1))
    assert [(y.year, y.days, y.confirmed) for y in listed] == [
        (2027, 1, False), (2029, 0, False), (2030, 0, False)]


# Warnings

def test_admins_are_reminded_a_month_ahead(client, office_admin, liaison, monkeypatch):
    assert upcoming_unconfirmed_years(D(2026, 12, 1)) == []
    assert upcoming_unconfirmed_years(D(2026, 12, 2)) == [2027]
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 12, 15))
    client.force_login(office_admin)
    banner = "2027年节假日安排尚未录入：跨入该年的留言办理期限暂按周一至周五计算"
    for name in ("interaction:message_list", "interaction:statistics", "interaction:holiday_list"):
        assert banner in text(client.get(reverse(name)))
    client.force_login(liaison)
    assert banner not in text(client.get(reverse("interaction:message_list")))
    HolidayOverride.objects.create(day=D(2027, 1, 1), is_working_day=False)
    HolidayYear.objects.create(year=2027)
    client.force_login(office_admin)
    assert banner not in text(client.get(reverse("interaction:message_list")))


def test_lists_statistics_and_downloads_mark_provisional_deadlines(client, office_admin,
                                                                    new_year_message, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 12, 31))
    client.force_login(office_admin)
    page = text(client.get(reverse("interaction:message_list"), {"provisional": "true"}))
    assert "2612" in page and "暂定</span>" in page
    rows = text(client.get(reverse("interaction:message_list"),
                           {"export": "csv", "provisional": "true"})).splitlines()
    assert rows[0].split(",")[5:7] == ["办理期限", "办理期限暂定"]
    assert rows[1].split(",")[5:7] == ["2027-01-01", "是"]
    stats = text(client.get(reverse("interaction:statistics"), {"period": "2026-4"}))
    assert NOTE in stats and "期限暂定" in stats
    assert Message.objects.filter(deadline_provisional=True).count() == 1


def test_provisional_overdue_messages_are_listed_and_flagged(client, office_admin,
                                                             new_year_message, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2027, 1, 6))
    client.force_login(office_admin)
    page = text(client.get(reverse("interaction:message_list"), {"overdue": "yes"}))
    assert "2612" in page and "未办理（逾期，期限暂定）" in page


def test_the_holiday_list_is_bounded(client, office_admin, django_assert_max_num_queries):
    client.force_login(office_admin)

    def grow(start: int, count: int):
        HolidayOverride.objects.bulk_create(
            HolidayOverride(day=D(2030, 1, 1) + datetime.timedelta(days=start + i),
                            is_working_day=False) for i in range(count))

    url = reverse("interaction:holiday_list")
    grow(0, 5)
    with django_assert_max_num_queries(14) as captured:
        client.get(url)
    small = len(captured)
    grow(5, 200)
    for suffix in ("", "?export=xlsx", "?year=2030&sort=-day"):
        with django_assert_max_num_queries(small):
            assert client.get(url + suffix).status_code == 200
