"""Working days (工作日), the unit of every reply deadline.

A day is a working day according to, in this order:
1. the office's `HolidayOverride` row for that day, if any (edited in the Django admin);
2. `chinese_calendar` (the State Council's official holidays and the weekend days moved to
   be working days, 调休上班) for the years it covers;
3. otherwise Monday to Friday.

The deadline of a message received on day D with n working days is the n-th working day
after D: D itself never counts, whether or not it is a working day, and a reply on the
deadline day is on time. Received Thursday 2021-09-30 with 3 working days: 10-01…10-07 are
the National Day holiday, 10-08 (Friday) is the 1st, the make-up Saturday 10-09 the 2nd,
Sunday 10-10 is off, so Monday 10-11 is the deadline.
"""

from __future__ import annotations

import datetime

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


class WorkCalendar:
    """The working days, with the office's overrides read once; reuse one instance for many
    dates (an import, a recomputation) instead of calling the module functions per date."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None):
        if overrides is None:
            from .models import HolidayOverride

            overrides = dict(HolidayOverride.objects.values_list("day", "is_working_day"))
        self.overrides = overrides

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the library has no data for
            return day.weekday() < 5

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start` (`start` itself never counts)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """How many working days lie after `a` up to and including `b` (0 when b ≤ a), so
        that working_days_between(d, add_working_days(d, n)) == n."""
        return sum(self.is_working_day(a + ONE_DAY * i) for i in range(1, (b - a).days + 1))


def is_working_day(day: datetime.date) -> bool:
    return WorkCalendar().is_working_day(day)


def add_working_days(start_date: datetime.date, n: int) -> datetime.date:
    return WorkCalendar().add_working_days(start_date, n)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    return WorkCalendar().working_days_between(a, b)
