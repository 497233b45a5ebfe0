"""Working days (工作日), the unit of every reply deadline.

A day is a working day according to, in this order:
1. the office's `HolidayOverride` row for that day, if any (节假日调整 in the portal);
2. `chinese_calendar` (the State Council's official holidays and the weekend days moved to
   be working days, 调休上班) for the years it covers;
3. otherwise Monday to Friday.

The deadline of a message received on day D with n working days is the n-th working day
after D: D itself never counts, whether or not it is a working day, and a reply on the
deadline day is on time. Received Thursday 2021-09-30 with 3 working days: 10-01…10-07 are
the National Day holiday, 10-08 (Friday) is the 1st, the make-up Saturday 10-09 the 2nd,
Sunday 10-10 is off, so Monday 10-11 is the deadline.

Rule 3 is a guess: it misses the Spring Festival and every 调休. A day's status is *known*
when the office's table has a row for it or its year is *confirmed*: covered by the library,
or marked by the office as entered in full (`HolidayYear`). A deadline whose counting passes
over a day that is not known is provisional (暂定), and every page, import and circular that
shows or counts it says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)
# The years chinese_calendar has the State Council's schedule for (2004–2026 in 1.11.0); it
# refuses any other year.
LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


class Deadline(NamedTuple):
    day: datetime.date
    # The years of the days counted over whose status is not known: the Monday-to-Friday
    # guess decided them.
    unconfirmed_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.unconfirmed_years)


class WorkCalendar:
    """The working days, with the office's table read once; reuse one instance for many
    dates (an import, a recomputation) instead of calling the module functions per date.

    `overrides` (day → is a working day) and `confirmed_years` (the years the office marked
    as entered) are read from the database when omitted."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None,
                 confirmed_years: Iterable[int] | None = None):
        from .models import HolidayOverride, HolidayYear

        if overrides is None:
            overrides = dict(HolidayOverride.objects.values_list("day", "is_working_day"))
        if confirmed_years is None:
            confirmed_years = HolidayYear.objects.values_list("year", flat=True)
        self.overrides = overrides
        self.confirmed_years = set(confirmed_years)

    def is_confirmed(self, year: int) -> bool:
        return year in LIBRARY_YEARS or year in self.confirmed_years

    def is_known(self, day: datetime.date) -> bool:
        return day in self.overrides or self.is_confirmed(day.year)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in LIBRARY_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def deadline(self, start: datetime.date, n: int) -> Deadline:
        """The n-th working day after `start` (`start` itself never counts), and the years
        of the days counted over that are not known."""
        if n < 0:
            raise ValueError("n must not be negative")
        day, unknown = start, set()
        while n:
            day += ONE_DAY
            if not self.is_known(day):
                unknown.add(day.year)
            if self.is_working_day(day):
                n -= 1
        return Deadline(day, tuple(sorted(unknown)))

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        return self.deadline(start, n).day

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """How many working days lie after `a` up to and including `b` (0 when b ≤ a), so
        that working_days_between(d, add_working_days(d, n)) == n."""
        return sum(self.is_working_day(a + ONE_DAY * i) for i in range(1, (b - a).days + 1))

    def unconfirmed_years(self, first: datetime.date, last: datetime.date) -> list[int]:
        """The years from `first` to `last` whose schedule is neither in the library nor
        marked as entered by the office."""
        return [year for year in range(first.year, last.year + 1) if not self.is_confirmed(year)]


def missing_schedule_note(years: Iterable[int]) -> str:
    """2027年节假日安排尚未录入，办理期限暂按周一至周五计算 — the warning shown with every
    provisional deadline or figure."""
    named = "、".join(f"{year}年" for year in sorted(years))
    return f"{named}节假日安排尚未录入，办理期限暂按周一至周五计算"


def is_working_day(day: datetime.date) -> bool:
    return WorkCalendar().is_working_day(day)


def add_working_days(start_date: datetime.date, n: int) -> datetime.date:
    return WorkCalendar().add_working_days(start_date, n)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    return WorkCalendar().working_days_between(a, b)
