import django_filters

from common.filters import RegionSubtreeFilter, SearchFilter, visible_units

from .choices import RegionLevel, WebsiteKind, WebsiteStatus
from .models import Region, Unit, User, Website
from .roles import Role


class RegionFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "code"])
    region = RegionSubtreeFilter(region_lookup="", label="所在地区")
    level = django_filters.ChoiceFilter(label="层级", choices=RegionLevel.choices)

    class Meta:
        model = Region
        fields = ["q", "region", "level"]


class UnitFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name"])
    region = RegionSubtreeFilter(region_lookup="region__")

    class Meta:
        model = Unit
        fields = ["q", "region"]


class WebsiteFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "site_code", "url", "unit__name"])
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    unit = django_filters.ModelChoiceFilter(label="主办单位", queryset=visible_units)
    kind = django_filters.ChoiceFilter(label="网站类型", choices=WebsiteKind.choices)
    status = django_filters.ChoiceFilter(label="运行状态", choices=WebsiteStatus.choices)

    class Meta:
        model = Website
        fields = ["q", "region", "unit", "kind", "status"]


class UserRegionFilter(RegionSubtreeFilter):
    """Users of the chosen region or below it, through their unit or else their region."""

    def __init__(self, **kwargs):
        super().__init__(region_lookup="region__", **kwargs)

    def within(self, queryset, name, region):
        return queryset if region is None else queryset.within(region)


class UserFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["username", "full_name", "email", "phone"])
    role = django_filters.ChoiceFilter(label="角色", field_name="groups__name", choices=Role.choices)
    region = UserRegionFilter()
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = User
        fields = ["q", "role", "region", "is_active"]
