import datetime
from collections import Counter
from decimal import Decimal

import pytest

from inspections.choices import CheckMode, Target
from inspections.models import Inspection, Scheme
from inspections.sampling import draw, population, stratum_of
from newmedia.models import Account
from sites.models import Region


@pytest.fixture
def account_check(demo):
    return Inspection(
        region=Region.objects.get(name="文山州"), year=2021, quarter=4, target=Target.NEWMEDIA,
        mode=CheckMode.SAMPLE, window_start=datetime.date(2021, 11, 1),
        window_end=datetime.date(2021, 12, 31), scheme=Scheme.objects.default_for("newmedia"),
    )


def test_population_is_filed_and_running_at_the_windows_end(account_check):
    targets = population(account_check)
    assert len(targets) == 113
    assert all(a.filing == "filed" for a in targets)
    account_check.window_end = datetime.date(2021, 10, 31)
    assert len(population(account_check)) == 114  # the account cancelled in November


def test_the_same_seed_draws_the_same_sample(account_check):
    targets = population(account_check)
    first = draw(targets, seed=42, rate=Decimal("13.6"))
    again = draw(list(reversed(targets)), seed=42, rate=Decimal("13.6"))
    other = draw(targets, seed=43, rate=Decimal("13.6"))
    assert [t.pk for t in first] == [t.pk for t in again]
    assert [t.pk for t in first] != [t.pk for t in other]
    assert len(first) == 15  # 13.6% of 113, rounded


def test_a_sample_by_count(account_check):
    assert len(draw(population(account_check), seed=1, size=20)) == 20
    assert len(draw(population(account_check), seed=1, size=500)) == 113


def test_strata_get_their_share_and_at_least_one(account_check):
    targets = population(account_check)
    top = account_check.region
    sample = draw(targets, seed=7, size=18, top_region=top, by_region=True)
    assert len(sample) == 18
    regions = {stratum_of(t, top, True, False) for t in targets}
    assert {stratum_of(t, top, True, False) for t in sample} == regions  # every county drawn
    sizes = Counter(stratum_of(t, top, True, False) for t in targets)
    drawn = Counter(stratum_of(t, top, True, False) for t in sample)
    for key, count in drawn.items():
        assert abs(count - 18 * sizes[key] / len(targets)) <= 1


def test_strata_by_region_and_platform(account_check):
    targets = population(account_check)
    top = account_check.region
    sample = draw(targets, seed=3, rate=Decimal(50), top_region=top, by_region=True,
                  by_platform=True)
    strata = Counter(stratum_of(t, top, True, True) for t in targets)
    drawn = Counter(stratum_of(t, top, True, True) for t in sample)
    assert set(drawn) == set(strata)
    assert len(sample) == 57  # 50% of 113, rounded half up


def test_the_top_regions_own_units_are_one_stratum(account_check):
    top = account_check.region
    direct = Account.objects.filter(unit__region=top).first()
    assert stratum_of(direct, top, True, False) == (None,)
