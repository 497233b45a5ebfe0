from __future__ import annotations

import datetime

import django_filters
from django.utils import timezone

from common.filters import RegionSubtreeFilter, SearchFilter, visible_units
from inspections.choices import QUARTER_WORDS

from .choices import ChannelKind, MessageStatus
from .models import Channel, HolidayOverride, Message
from .statistics import quarter_dates


def visible_channels(request):
    return Channel.objects.visible_to(request.user)


def period_choices(messages, *, whole_years: bool = False) -> list[tuple[str, str]]:
    """The quarters (and, if asked, the whole years) of the years that have messages and of
    this year, newest first: ("2021", "2021年全年"), ("2021-4", "2021年第四季度"), …"""
    years = {day.year for day in messages.dates("received_at", "year")}
    years.add(timezone.localdate().year)
    choices = []
    for year in sorted(years, reverse=True):
        if whole_years:
            choices.append((str(year), f"{year}年全年"))
        choices += [(f"{year}-{quarter}", f"{year}年第{QUARTER_WORDS[quarter]}")
                    for quarter in (4, 3, 2, 1)]
    return choices


def period_dates(value: str) -> tuple[datetime.date, datetime.date]:
    """"2021-4" → the fourth quarter of 2021; "2021" → the whole year."""
    year, _, quarter = value.partition("-")
    if quarter:
        return quarter_dates(int(year), int(quarter))
    return datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)


def current_quarter(today: datetime.date) -> str:
    return f"{today.year}-{(today.month - 1) // 3 + 1}"


class PeriodFilter(django_filters.ChoiceFilter):
    """Messages received in a quarter or year; offered from the years the (scoped) queryset
    has messages in, set by the filterset once it has its queryset."""

    def __init__(self, **kwargs):
        super().__init__(choices=[], method=self.received_in, **kwargs)

    def received_in(self, queryset, name, value):
        start, end = period_dates(value)
        return queryset.filter(received_at__gte=start, received_at__lte=end)


class MessageFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["external_id", "unit__name", "note"])
    channel = django_filters.ModelChoiceFilter(label="渠道", queryset=visible_channels)
    channel_kind = django_filters.ChoiceFilter(label="渠道类型", field_name="channel__kind",
                                               choices=ChannelKind.choices)
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    unit = django_filters.ModelChoiceFilter(label="所属单位", queryset=visible_units)
    status = django_filters.ChoiceFilter(label="办理状态", choices=MessageStatus.choices)
    overdue = django_filters.ChoiceFilter(
        label="逾期", choices=[("yes", "逾期"), ("no", "未逾期")], method="filter_overdue"
    )
    unreplied = django_filters.BooleanFilter(label="尚未回复", field_name="replied_at",
                                             lookup_expr="isnull")
    provisional = django_filters.BooleanFilter(label="办理期限暂定",
                                               field_name="deadline_provisional")
    year = django_filters.NumberFilter(label="留言年度", field_name="received_at",
                                       lookup_expr="year")
    quarter = PeriodFilter(label="留言季度")

    class Meta:
        model = Message
        fields = ["q", "channel", "channel_kind", "region", "unit", "status", "overdue",
                  "unreplied", "provisional", "year", "quarter"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered from the user's own messages (the view passes the scoped queryset).
        self.filters["quarter"].extra["choices"] = period_choices(self.queryset)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate(), overdue=value == "yes")


class MessageStatisticsFilterSet(django_filters.FilterSet):
    """The statistics page: a quarter or a year (this quarter when none is given), and
    optionally a region and a channel."""

    period = PeriodFilter(label="统计期间", required=True, empty_label=None)
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    channel = django_filters.ModelChoiceFilter(label="渠道", queryset=visible_channels)

    class Meta:
        model = Message
        fields = ["period", "region", "channel"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("period", current_quarter(timezone.localdate()))
        super().__init__(data, *args, **kwargs)
        self.filters["period"].extra["choices"] = period_choices(self.queryset, whole_years=True)

    @property
    def chosen_period(self) -> tuple[datetime.date, datetime.date, str]:
        """The chosen period's first and last day and its name (2021年第四季度); the form
        must be valid."""
        value = self.form.cleaned_data["period"]
        label = dict(self.filters["period"].extra["choices"])[value]
        return (*period_dates(value), label)


class ChannelFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "website__name"])
    kind = django_filters.ChoiceFilter(label="渠道类型", choices=ChannelKind.choices)

    class Meta:
        model = Channel
        fields = ["q", "kind"]


class HolidayOverrideFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["note"])
    year = django_filters.NumberFilter(label="年度", field_name="day", lookup_expr="year")
    is_working_day = django_filters.ChoiceFilter(
        label="类型", choices=HolidayOverride._meta.get_field("is_working_day").choices)

    class Meta:
        model = HolidayOverride
        fields = ["q", "year", "is_working_day"]
