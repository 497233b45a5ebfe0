"""Filters of the campaign pages: the campaigns, a campaign's items, and the accounts or
websites an admin may add to a campaign (preset: running accounts without 备案)."""

import django_filters

from common.filters import RegionSubtreeFilter, SearchFilter, visible_units
from newmedia.choices import AccountStatus, Filing, Platform
from newmedia.models import Account
from sites.choices import WebsiteKind, WebsiteStatus
from sites.models import Website

from .choices import TaskState
from .models import Campaign, CampaignItem


class CampaignFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "description"])
    region = RegionSubtreeFilter(region_lookup="region__")

    class Meta:
        model = Campaign
        fields = ["q", "region"]


class CampaignItemFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["account__name", "account__subject", "website__name",
                                    "unit__name", "result"])
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    platform = django_filters.ChoiceFilter(label="平台", choices=Platform.choices,
                                           field_name="account__platform")
    state = django_filters.ChoiceFilter(label="整改状态", choices=TaskState.choices,
                                        field_name="task__state")

    class Meta:
        model = CampaignItem
        fields = ["q", "region", "platform", "state"]


class AccountCandidateFilterSet(django_filters.FilterSet):
    """The preset (no filter given) is 未备案未注销: running accounts without 备案."""

    PRESET = {"filing": Filing.UNFILED, "status": AccountStatus.RUNNING}

    q = SearchFilter(search_fields=["name", "account_id", "subject", "unit__name"])
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    unit = django_filters.ModelChoiceFilter(label="主办单位", queryset=visible_units)
    platform = django_filters.ChoiceFilter(label="平台", choices=Platform.choices)
    filing = django_filters.ChoiceFilter(label="备案状态", choices=Filing.choices)
    status = django_filters.ChoiceFilter(label="运行状态", choices=AccountStatus.choices)

    class Meta:
        model = Account
        fields = ["q", "region", "unit", "platform", "filing", "status"]


class WebsiteCandidateFilterSet(django_filters.FilterSet):
    PRESET = {"status": WebsiteStatus.RUNNING}

    q = SearchFilter(search_fields=["name", "site_code", "url", "unit__name"])
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    kind = django_filters.ChoiceFilter(label="网站类型", choices=WebsiteKind.choices)
    status = django_filters.ChoiceFilter(label="运行状态", choices=WebsiteStatus.choices)

    class Meta:
        model = Website
        fields = ["q", "region", "kind", "status"]
