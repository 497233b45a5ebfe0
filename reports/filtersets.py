import django_filters

from common.filters import SearchFilter
from inspections.choices import QUARTERS

from .choices import CircularStatus
from .models import Circular


class CircularFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["title", "doc_prefix"])
    year = django_filters.NumberFilter(label="年度")
    quarter = django_filters.ChoiceFilter(label="季度", choices=QUARTERS)
    status = django_filters.ChoiceFilter(label="状态", choices=CircularStatus.choices)

    class Meta:
        model = Circular
        fields = ["q", "year", "quarter", "status"]
