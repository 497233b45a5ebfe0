"""Working-day deadlines: official holidays, make-up working weekends, the office's own
table for years chinese_calendar does not cover, and provisional deadlines."""

import datetime

import pytest

from interaction import workdays
from interaction.models import HolidayOverride, HolidayYear
from interaction.workdays import LIBRARY_YEARS, Deadline, WorkCalendar, missing_schedule_note

D = datetime.date
LIBRARY_ONLY = WorkCalendar({}, confirmed_years=())


def test_a_message_received_just_before_national_day_is_due_after_the_make_up_saturday():
    received = D(2021, 9, 30)  # a Thursday, the last working day before the holiday
    assert received.weekday() == 3
    # 10-01…10-07 holiday; 10-08 Fri is the 1st, Sat 10-09 (调休上班) the 2nd, Mon 10-11 the 3rd.
    assert LIBRARY_ONLY.add_working_days(received, 3) == D(2021, 10, 11)


def test_a_message_received_during_the_holiday_counts_from_the_first_day_back():
    assert LIBRARY_ONLY.add_working_days(D(2021, 10, 2), 1) == D(2021, 10, 8)
    assert LIBRARY_ONLY.add_working_days(D(2021, 10, 2), 3) == D(2021, 10, 11)


def test_the_make_up_saturday_counts_and_the_day_of_receipt_does_not():
    assert LIBRARY_ONLY.add_working_days(D(2021, 10, 8), 1) == D(2021, 10, 9)
    assert LIBRARY_ONLY.add_working_days(D(2021, 10, 9), 1) == D(2021, 10, 11)


@pytest.mark.parametrize(("day", "working"), [
    (D(2021, 9, 26), True),   # Sunday, 调休上班
    (D(2021, 10, 1), False),  # National Day
    (D(2021, 10, 8), True),
    (D(2021, 10, 9), True),   # Saturday, 调休上班
    (D(2021, 10, 10), False),
    (D(2021, 10, 11), True),
])
def test_official_holidays_and_make_up_days(day, working):
    assert LIBRARY_ONLY.is_working_day(day) is working


def test_new_year_is_skipped():
    # 12-30, 12-31, (01-01…01-03 off), 01-04, 01-05
    assert LIBRARY_ONLY.add_working_days(D(2021, 12, 29), 5) == D(2022, 1, 6)


def test_working_days_between_counts_after_the_first_day_up_to_the_second():
    assert LIBRARY_ONLY.working_days_between(D(2021, 9, 30), D(2021, 10, 11)) == 3
    assert LIBRARY_ONLY.working_days_between(D(2021, 9, 30), D(2021, 9, 30)) == 0
    assert LIBRARY_ONLY.working_days_between(D(2021, 10, 11), D(2021, 9, 30)) == 0
    for offset in range(0, 60, 7):
        start = D(2021, 9, 20) + datetime.timedelta(days=offset)
        for n in (1, 3, 5):
            assert LIBRARY_ONLY.working_days_between(start, LIBRARY_ONLY.add_working_days(start, n)) == n


def test_zero_days_is_the_day_itself_and_negative_is_refused():
    assert LIBRARY_ONLY.add_working_days(D(2021, 10, 2), 0) == D(2021, 10, 2)
    with pytest.raises(ValueError):
        LIBRARY_ONLY.add_working_days(D(2021, 10, 2), -1)


def test_a_year_the_library_does_not_cover_falls_back_to_weekdays():
    # 2027-02-05 is a Friday; without the office's table the Spring Festival is unknown.
    assert LIBRARY_ONLY.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 8)
    assert LIBRARY_ONLY.is_working_day(D(2027, 2, 6)) is False  # Saturday
    assert LIBRARY_ONLY.is_working_day(D(2003, 1, 1)) is True  # before the library's range


@pytest.mark.django_db
def test_the_office_table_fills_an_uncovered_year():
    for day in range(8, 13):  # 春节 2027-02-08…02-12 (made up for the test)
        HolidayOverride.objects.create(day=D(2027, 2, day), is_working_day=False, note="春节")
    HolidayOverride.objects.create(day=D(2027, 2, 13), is_working_day=True, note="春节调休上班")
    assert workdays.is_working_day(D(2027, 2, 8)) is False
    assert workdays.is_working_day(D(2027, 2, 13)) is True  # a Saturday
    assert workdays.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 13)
    assert workdays.add_working_days(D(2027, 2, 5), 2) == D(2027, 2, 15)
    assert workdays.working_days_between(D(2027, 2, 5), D(2027, 2, 15)) == 2


@pytest.mark.django_db
def test_the_office_table_also_wins_over_the_library():
    HolidayOverride.objects.create(day=D(2021, 10, 8), is_working_day=False, note="地方节日")
    assert workdays.add_working_days(D(2021, 9, 30), 3) == D(2021, 10, 12)


@pytest.mark.django_db
def test_one_calendar_reads_the_tables_once(django_assert_num_queries):
    with django_assert_num_queries(2):  # the days and the confirmed years
        calendar = WorkCalendar()
        for day in range(1, 28):
            calendar.add_working_days(D(2027, 2, day), 5)


# Provisional deadlines: counted over a day whose status nobody knows.

def test_the_library_covers_2004_to_2026():
    assert (LIBRARY_YEARS.start, LIBRARY_YEARS[-1]) == (2004, 2026)


def test_a_deadline_counted_over_an_unknown_year_is_provisional():
    # Tuesday 2026-12-29: 12-30 and 12-31 count, then 2027-01-01 (New Year's Day) is only
    # a Friday to the Monday-to-Friday guess.
    assert LIBRARY_ONLY.deadline(D(2026, 12, 29), 3) == Deadline(D(2027, 1, 1), (2027,))
    assert LIBRARY_ONLY.deadline(D(2026, 12, 29), 3).provisional
    assert LIBRARY_ONLY.deadline(D(2026, 12, 28), 3) == Deadline(D(2026, 12, 31))
    assert not LIBRARY_ONLY.deadline(D(2026, 12, 28), 3).provisional
    assert LIBRARY_ONLY.deadline(D(2027, 12, 30), 3).unconfirmed_years == (2027, 2028)
    assert missing_schedule_note((2028, 2027)) == \
        "2027年、2028年节假日安排尚未录入，办理期限暂按周一至周五计算"


def test_entered_days_are_known_but_the_rest_of_the_year_is_not_until_confirmed():
    new_year = {D(2027, 1, 1): False}
    entered = WorkCalendar(new_year, confirmed_years=())
    assert entered.is_known(D(2027, 1, 1)) and not entered.is_known(D(2027, 1, 4))
    # Off on 01-01, then the weekend: Monday 01-04 is the 3rd, still a guess.
    assert entered.deadline(D(2026, 12, 29), 3) == Deadline(D(2027, 1, 4), (2027,))
    confirmed = WorkCalendar(new_year, confirmed_years=[2027])
    assert confirmed.deadline(D(2026, 12, 29), 3) == Deadline(D(2027, 1, 4))
    assert confirmed.unconfirmed_years(D(2026, 12, 1), D(2028, 1, 1)) == [2028]


@pytest.mark.django_db
def test_the_calendar_reads_the_confirmed_years():
    HolidayYear.objects.create(year=2027)
    assert WorkCalendar().is_confirmed(2027) and not WorkCalendar().is_confirmed(2028)
    assert WorkCalendar().is_confirmed(2026)  # the library's
