import django_filters
from django.utils import timezone

from common.filters import RegionSubtreeFilter, SearchFilter, visible_units
from inspections.choices import QUARTER_WORDS

from .choices import ChannelKind, MessageStatus
from .models import Channel, Message
from .statistics import quarter_dates


def visible_channels(request):
    return Channel.objects.visible_to(request.user)


def quarter_choices(messages) -> list[tuple[str, str]]:
    """The quarters of the years that have messages, newest first: ("2021-4", "2021年第四季度")."""
    years = {day.year for day in messages.dates("received_at", "year")}
    years.add(timezone.localdate().year)
    return [(f"{year}-{quarter}", f"{year}年第{QUARTER_WORDS[quarter]}")
            for year in sorted(years, reverse=True) for quarter in (4, 3, 2, 1)]


class MessageFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["external_id", "unit__name", "note"])
    channel = django_filters.ModelChoiceFilter(label="渠道", queryset=visible_channels)
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    unit = django_filters.ModelChoiceFilter(label="所属单位", queryset=visible_units)
    status = django_filters.ChoiceFilter(label="办理状态", choices=MessageStatus.choices)
    overdue = django_filters.ChoiceFilter(
        label="逾期", choices=[("yes", "逾期"), ("no", "未逾期")], method="filter_overdue"
    )
    quarter = django_filters.ChoiceFilter(label="留言季度", choices=[], method="filter_quarter")

    class Meta:
        model = Message
        fields = ["q", "channel", "region", "unit", "status", "overdue", "quarter"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered from the user's own messages (the view passes the scoped queryset).
        self.filters["quarter"].extra["choices"] = quarter_choices(self.queryset)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate(), overdue=value == "yes")

    def filter_quarter(self, queryset, name, value):
        year, quarter = (int(part) for part in value.split("-"))
        start, end = quarter_dates(year, quarter)
        return queryset.filter(received_at__gte=start, received_at__lte=end)


class ChannelFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "website__name"])
    kind = django_filters.ChoiceFilter(label="渠道类型", choices=ChannelKind.choices)

    class Meta:
        model = Channel
        fields = ["q", "kind"]
