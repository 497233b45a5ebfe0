"""Filter pieces shared by every list: free-text search and "within this region"."""

from __future__ import annotations

import django_filters
from django.db.models import Q


class SearchFilter(django_filters.CharFilter):
    """Free text matched (icontains) against several fields at once."""

    def __init__(self, *, search_fields: list[str], **kwargs):
        kwargs.setdefault("label", "搜索")
        super().__init__(method=self.search, **kwargs)
        self.search_fields = search_fields

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class RegionSubtreeFilter(django_filters.ModelChoiceFilter):
    """Rows whose region is the chosen region or below it. Only regions the user may see
    are offered, so the filter cannot widen anyone's scope."""

    def __init__(self, *, region_lookup: str, **kwargs):
        from sites.models import Region

        kwargs.setdefault("label", "地区")
        kwargs.setdefault("queryset", lambda request: Region.objects.visible_to(request.user))
        super().__init__(method=self.within, **kwargs)
        self.region_lookup = region_lookup

    def within(self, queryset, name, region):
        if region is None:
            return queryset
        return queryset.filter(**{f"{self.region_lookup}path__startswith": region.path})


def visible_units(request):
    from sites.models import Unit

    return Unit.objects.visible_to(request.user).select_related("region")
