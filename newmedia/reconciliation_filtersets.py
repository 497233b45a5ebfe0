import django_filters

from common.filters import RegionSubtreeFilter, SearchFilter

from .choices import Platform
from .models import DifferenceKind, Reconciliation, ReconciliationDifference


class ReconciliationFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "left_label", "right_label", "left_file", "right_file"])
    region = RegionSubtreeFilter(region_lookup="region__")

    class Meta:
        model = Reconciliation
        fields = ["q", "region"]


class ReconciliationDifferenceFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "account_id", "unit_name", "unit__name", "description"])
    kind = django_filters.ChoiceFilter(label="差异类型", choices=DifferenceKind.choices)
    platform = django_filters.ChoiceFilter(label="平台", choices=Platform.choices)
    region = RegionSubtreeFilter(region_lookup="region__")

    class Meta:
        model = ReconciliationDifference
        fields = ["q", "kind", "platform", "region"]
