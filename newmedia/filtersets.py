import django_filters

from common.filters import RegionSubtreeFilter, SearchFilter, visible_units

from .choices import AccountStatus, Filing, Platform
from .models import Account


class AccountFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "account_id", "subject", "unit__name"])
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    unit = django_filters.ModelChoiceFilter(label="主办单位", queryset=visible_units)
    platform = django_filters.ChoiceFilter(label="平台", choices=Platform.choices)
    filing = django_filters.ChoiceFilter(label="备案状态", choices=Filing.choices)
    status = django_filters.ChoiceFilter(label="运行状态", choices=AccountStatus.choices)

    class Meta:
        model = Account
        fields = ["q", "region", "unit", "platform", "filing", "status"]
