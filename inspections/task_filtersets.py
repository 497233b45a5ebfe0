"""Filters of the rectification task lists."""

from __future__ import annotations

import django_filters
from django.utils import timezone

from common.filters import RegionSubtreeFilter, SearchFilter

from .choices import QUARTER_WORDS, TaskState
from .models import RectificationTask

OVERDUE_CHOICES = [("yes", "已逾期"), ("no", "未逾期")]


def source_choices(user) -> list[tuple[str, str]]:
    """The quarters and campaigns the user's tasks come from, newest first."""
    tasks = RectificationTask.objects.visible_to(user)
    quarters = (tasks.filter(finding__isnull=False)
                .values_list("finding__assessment__inspection__year",
                             "finding__assessment__inspection__quarter")
                .distinct().order_by("-finding__assessment__inspection__year",
                                     "-finding__assessment__inspection__quarter"))
    campaigns = (tasks.filter(campaign_item__isnull=False)
                 .values_list("campaign_item__campaign_id", "campaign_item__campaign__name")
                 .distinct().order_by("-campaign_item__campaign__started_on",
                                      "campaign_item__campaign_id"))
    return ([(f"q{year}-{quarter}", f"{year}年{QUARTER_WORDS[quarter]}检查")
             for year, quarter in quarters]
            + [(f"c{pk}", name) for pk, name in campaigns])


class TaskReviewFilterSet(django_filters.FilterSet):
    """The review queue's filters (it holds only submitted tasks)."""

    q = SearchFilter(search_fields=[
        "finding__description", "finding__assessment__website__name",
        "finding__assessment__account__name", "campaign_item__website__name",
        "campaign_item__account__name", "campaign_item__result", "unit__name", "report",
    ])
    source = django_filters.ChoiceFilter(label="检查或专项", method="by_source")
    overdue = django_filters.ChoiceFilter(label="是否逾期", choices=OVERDUE_CHOICES,
                                          method="by_overdue")
    region = RegionSubtreeFilter(region_lookup="unit__region__")

    class Meta:
        model = RectificationTask
        fields = ["q", "source", "overdue", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        self.filters["source"].extra["choices"] = source_choices(user)

    def by_source(self, queryset, name, value):
        if value.startswith("q"):
            year, quarter = value[1:].split("-")
            return queryset.filter(finding__assessment__inspection__year=int(year),
                                   finding__assessment__inspection__quarter=int(quarter))
        return queryset.filter(campaign_item__campaign_id=int(value[1:]))

    def by_overdue(self, queryset, name, value):
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value == "yes" else queryset.exclude(pk__in=overdue.values("pk"))


class TaskFilterSet(TaskReviewFilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=TaskState.choices)

    class Meta(TaskReviewFilterSet.Meta):
        fields = ["q", "state", "overdue", "source", "region"]
