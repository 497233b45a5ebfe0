"""The years of the office's holiday table (节假日调整): which ones the portal needs a
schedule for, and whether the office has confirmed each one as entered in full."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .models import HolidayOverride, HolidayYear, Message
from .workdays import LIBRARY_YEARS, WorkCalendar

# How far ahead admins are reminded of a year without a schedule: a message received then
# may already be due in the next year.
REMINDER_DAYS = datetime.timedelta(days=30)


@dataclass(frozen=True)
class ScheduleYear:
    year: int
    days: int  # the office's entries in that year
    confirmation: HolidayYear | None

    @property
    def confirmed(self) -> bool:
        return self.confirmation is not None


def schedule_years(today: datetime.date) -> list[ScheduleYear]:
    """Every year outside the library's range that matters: this year and the next, the
    years with entries or a confirmation, and those provisional deadlines count over.
    Four queries."""
    days = dict(HolidayOverride.objects.annotate(year=ExtractYear("day")).order_by()
                .values_list("year").annotate(Count("pk")))
    confirmations = {c.year: c for c in HolidayYear.objects.select_related("confirmed_by")}
    provisional = Message.objects.filter(deadline_provisional=True)
    years = {today.year, today.year + 1, *days, *confirmations,
             *(day.year for day in provisional.dates("received_at", "year")),
             *(day.year for day in provisional.dates("deadline", "year"))}
    return [ScheduleYear(year, days.get(year, 0), confirmations.get(year))
            for year in sorted(years) if year not in LIBRARY_YEARS]


def upcoming_unconfirmed_years(today: datetime.date,
                               calendar: WorkCalendar | None = None) -> list[int]:
    """The years without a schedule from today to REMINDER_DAYS ahead."""
    return (calendar or WorkCalendar()).unconfirmed_years(today, today + REMINDER_DAYS)
