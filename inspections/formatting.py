"""How a circular writes its figures: the statistics keep exact values, and only these
functions round them (ROUND_HALF_UP, as offices round by hand).

- percent(259, 314) → "82.48%": at most two decimals, trailing zeros dropped ("97.5%", "100%").
- number(Decimal("26.389"), 1) → "26.4": at most n decimals, trailing zeros dropped ("84").
- fixed(Decimal("77"), 1) → "77.0": exactly n decimals, as annex score columns show them.

A missing value (None, or a zero denominator) is written "—", never as 0.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

MISSING = "—"

Number = int | Decimal | Fraction | float


def percent(numerator: Number | None, denominator: Number | None) -> str:
    """numerator ÷ denominator as a percent with at most two decimals: "95.28%"; "—" when
    the denominator is 0 or either value is missing."""
    if numerator is None or not denominator:
        return MISSING
    return f"{number(_exact(numerator) * 100 / _exact(denominator), 2)}%"


def number(value: Number | None, decimals: int) -> str:
    """`value` with at most `decimals` decimals, trailing zeros dropped: 84.01 → "84"."""
    if value is None:
        return MISSING
    text = fixed(value, decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


def fixed(value: Number | None, decimals: int) -> str:
    """`value` with exactly `decimals` decimals: 77 → "77.0"."""
    if value is None:
        return MISSING
    return f"{Decimal(_round_half_up(_exact(value), decimals)).scaleb(-decimals):f}"


def _exact(value: Number) -> Fraction:
    # A float is read as it is written (26.389), not as its binary approximation.
    return Fraction(Decimal(str(value))) if isinstance(value, float) else Fraction(value)


def _round_half_up(value: Fraction, decimals: int) -> int:
    """value × 10^decimals rounded to an integer, halves away from zero."""
    scaled = abs(value) * 10**decimals
    rounded = math.floor(scaled + Fraction(1, 2))
    return -rounded if value < 0 else rounded
