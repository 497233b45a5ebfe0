import django_filters

from common.filters import SearchFilter

from .choices import Target
from .models import Scheme


class SchemeFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "description"])
    target = django_filters.ChoiceFilter(label="检查对象", choices=Target.choices)

    class Meta:
        model = Scheme
        fields = ["q", "target"]
