"""Fixtures of this app's tests: the demo's annual work."""

import pytest


@pytest.fixture
def wenshan_2021(demo):
    """文山州's demo years 2020 and 2021 (duties, filings, entered items); returns 2021."""
    from assessment.demo import load_assessment
    from assessment.models import AssessmentYear

    load_assessment(demo)
    return AssessmentYear.objects.get(region__name="文山州", year=2021)
