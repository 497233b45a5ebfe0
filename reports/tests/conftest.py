"""Fixtures of the circular tests."""

import pytest

from reports.assembly import new_circular
from reports.testing import mark_issued
from sites.models import Region


@pytest.fixture
def circular(demo_inspections):
    """文山州's 2021 Q4 circular, drafted from the demo and saved."""
    draft = new_circular(Region.objects.get(name="文山州"), 2021, 4)
    draft.save()
    return draft


@pytest.fixture
def issued(circular):
    """That circular issued (without its files)."""
    return mark_issued(circular)
