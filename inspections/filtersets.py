import django_filters
from django.contrib.auth import get_user_model

from common.filters import RegionSubtreeFilter, SearchFilter

from .choices import QUARTERS, CheckStatus, Target
from .models import Assessment, Inspection


class InspectionFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    quarter = django_filters.ChoiceFilter(label="季度", choices=QUARTERS)
    target = django_filters.ChoiceFilter(label="检查对象", choices=Target.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=CheckStatus.choices)

    class Meta:
        model = Inspection
        fields = ["year", "quarter", "target", "status"]


RESULT_CHOICES = [("pass", "合格"), ("fail", "不合格"), ("unscored", "未评分")]


class AssessmentFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["website__name", "website__site_code", "account__name",
                                    "unit__name"])
    region = RegionSubtreeFilter(region_lookup="unit__region__")
    result = django_filters.ChoiceFilter(label="结论", choices=RESULT_CHOICES, method="by_result")
    assigned_to = django_filters.ModelChoiceFilter(
        label="负责检查员", queryset=get_user_model().objects.none(), null_label="未分配")
    mine = django_filters.BooleanFilter(label="只看分配给我的", method="assigned_to_me",
                                        widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Assessment
        fields = ["q", "region", "result", "assigned_to", "mine"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the inspectors the listed targets are assigned to are offered.
        self.filters["assigned_to"].queryset = get_user_model().objects.filter(
            pk__in=self.queryset.values("assigned_to")).order_by("last_name", "first_name", "username")

    def by_result(self, queryset, name, value):
        return {
            "pass": queryset.filter(passed=True),
            "fail": queryset.filter(passed=False),
            "unscored": queryset.filter(scored_at__isnull=True),
        }[value]

    def assigned_to_me(self, queryset, name, value):
        return queryset.filter(assigned_to=self.request.user) if value else queryset
