import django_filters
from django.utils import timezone

from common.filters import RegionSubtreeFilter, SearchFilter

from .choices import ReportKind, ReportState
from .models import AnnualReport, AssessmentYear, state_q


class AnnualReportFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["website__name", "region__name", "url"])
    year = django_filters.NumberFilter(label="年度", field_name="assessment_year__year")
    kind = django_filters.ChoiceFilter(label="报表", choices=ReportKind.choices)
    state = django_filters.ChoiceFilter(label="状态", choices=ReportState.choices, method="in_state")
    region = RegionSubtreeFilter(region_lookup="region__")

    class Meta:
        model = AnnualReport
        fields = ["q", "year", "kind", "state", "region"]

    def in_state(self, queryset, name, value):
        return queryset.filter(state_q(value, timezone.localdate())) if value else queryset


class AssessmentYearFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    region = RegionSubtreeFilter(region_lookup="region__")

    class Meta:
        model = AssessmentYear
        fields = ["year", "region"]
