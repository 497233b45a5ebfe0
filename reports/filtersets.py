import django_filters

from common.filters import SearchFilter
from inspections.choices import QUARTERS

from .addressees import circulars_to_sign
from .choices import CircularStatus
from .models import Circular


class CircularFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["title", "doc_prefix"])
    year = django_filters.NumberFilter(label="年度")
    quarter = django_filters.ChoiceFilter(label="季度", choices=QUARTERS)
    status = django_filters.ChoiceFilter(label="状态", choices=CircularStatus.choices)
    to_sign = django_filters.BooleanFilter(label="只看待我签收的", method="filter_to_sign",
                                           widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Circular
        fields = ["q", "year", "quarter", "status", "to_sign"]

    def filter_to_sign(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=circulars_to_sign(self.request.user).values("pk"))
