"""Who a check covers: its population, and the sample drawn from it.

The population is the targets registered and running at the end of the monitoring window.
A sample is drawn by rate or by count, optionally stratified by region (the top region's
children, its directly-administered units as one stratum) and by platform; the stored seed
makes the draw reproducible.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from newmedia.models import Account
from sites.models import Website

from .choices import Target


def population(inspection) -> list:
    """The targets registered and running at the window's end, in a stable order."""
    if inspection.target == Target.WEBSITES:
        rows = Website.objects.within(inspection.region).running_on(inspection.window_end)
    else:
        rows = Account.objects.within(inspection.region).registered_running_on(
            inspection.window_end
        )
    return list(rows.select_related("unit__region").order_by("pk"))


def stratum_of(target, top_region, by_region: bool, by_platform: bool) -> tuple:
    key = ()
    if by_region:
        region_ids = target.unit.region.ancestors_and_self_ids()
        top_index = region_ids.index(top_region.pk)
        key += (region_ids[top_index + 1] if len(region_ids) > top_index + 1 else None,)
    if by_platform:
        key += (getattr(target, "platform", None),)
    return key


def draw(targets: list, *, seed: int, rate: Decimal | None = None, size: int | None = None,
         top_region=None, by_region: bool = False, by_platform: bool = False) -> list:
    """A reproducible random sample of `targets` by rate (percent) or by count.

    With strata, every stratum gets its share of the sample (largest remainders), and at
    least one target when it has any, so that no county goes unchecked.
    """
    if not targets:
        return []
    wanted = size if size is not None else _by_rate(len(targets), rate)
    wanted = max(0, min(wanted, len(targets)))
    strata: dict[tuple, list] = defaultdict(list)
    for target in targets:
        strata[stratum_of(target, top_region, by_region, by_platform)].append(target)
    rng = random.Random(seed)
    chosen = []
    for key, quota in _quotas(strata, wanted).items():
        members = sorted(strata[key], key=lambda t: t.pk)
        chosen.extend(rng.sample(members, quota))
    return sorted(chosen, key=lambda t: t.pk)


def _by_rate(count: int, rate: Decimal | None) -> int:
    if rate is None:
        raise ValueError("按比例抽查需要抽查比例")
    return int((Decimal(count) * rate / 100).to_integral_value(ROUND_HALF_UP))



def _quotas(strata: dict[tuple, list], wanted: int) -> dict[tuple, int]:
    """Each stratum's share of `wanted` (largest remainders), summing to exactly `wanted`;
    when the sample is large enough, every stratum gets at least one."""
    sizes = {key: len(members) for key, members in strata.items()}
    total = sum(sizes.values())
    exact = {key: wanted * size / total for key, size in sizes.items()}
    quotas = {key: min(sizes[key], math.floor(share)) for key, share in exact.items()}
    if wanted >= len(strata):
        for key in quotas:
            quotas[key] = max(quotas[key], 1)
        while sum(quotas.values()) > wanted:  # give back from the most over-served stratum
            key = max((k for k in quotas if quotas[k] > 1), key=lambda k: (quotas[k] - exact[k], str(k)))
            quotas[key] -= 1
    by_remainder = sorted(exact, key=lambda k: (exact[k] - quotas[k], str(k)), reverse=True)
    while sum(quotas.values()) < wanted:
        key = next(k for k in by_remainder if quotas[k] < sizes[k])
        quotas[key] += 1
        by_remainder.remove(key)
        by_remainder.append(key)
    return quotas
