from decimal import Decimal as D
from fractions import Fraction

import pytest

from inspections.formatting import fixed, number, percent


@pytest.mark.parametrize(("numerator", "denominator", "text"), [
    (259, 314, "82.48%"),  # 某市 2019Q3 new media
    (566, 591, "95.77%"),  # 甘肃 2021Q2 spot check
    (195, 200, "97.5%"),
    (2377, 2495, "95.27%"),
    (10, 10, "100%"),
    (0, 10, "0%"),
    (1, 3, "33.33%"),
    (2, 3, "66.67%"),
])
def test_percent_has_at_most_two_decimals_without_trailing_zeros(numerator, denominator, text):
    assert percent(numerator, denominator) == text


def test_percent_rounds_half_up():
    assert percent(19057, 20000) == "95.29%"  # 95.285 exactly
    assert percent(1, 8) == "12.5%"
    assert percent(1, 16) == "6.25%"
    assert percent(1, 32) == "3.13%"  # 3.125


def test_percent_of_the_seed_figures_written_as_rates():
    assert percent(D("0.9528"), 1) == "95.28%"
    assert percent(D("0.975"), 1) == "97.5%"
    assert percent(D(1), 1) == "100%"


@pytest.mark.parametrize("denominator", [0, None])
def test_percent_of_nothing_is_a_dash(denominator):
    assert percent(0, denominator) == "—"
    assert percent(None, 5) == "—"


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (D("84.01"), 1, "84"),
    (D("84.0111111"), 1, "84"),
    (D("74.9444444"), 1, "74.9"),
    (D("26.389"), 1, "26.4"),
    (D("23.944"), 2, "23.94"),
    (D("15.1111"), 2, "15.11"),
    (D("16.7777"), 2, "16.78"),
    (D("0.05"), 1, "0.1"),
    (D("2.675"), 2, "2.68"),
    (2.675, 2, "2.68"),  # a float is read as written, not as 2.67499999…
    (D("-2.25"), 1, "-2.3"),
    (D("-0.04"), 1, "0"),
    (D(100), 2, "100"),
    (Fraction(2, 3), 3, "0.667"),
    (7, 0, "7"),
    (D("7.5"), 0, "8"),
])
def test_number_drops_trailing_zeros(value, decimals, text):
    assert number(value, decimals) == text


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (D(77), 1, "77.0"),
    (D("91.5"), 1, "91.5"),
    (D("72.45"), 1, "72.5"),
    (D("84.0111"), 2, "84.01"),
    (D(85), 0, "85"),
    (D("0"), 2, "0.00"),
])
def test_fixed_keeps_trailing_zeros(value, decimals, text):
    assert fixed(value, decimals) == text


def test_a_missing_value_is_a_dash():
    assert number(None, 1) == "—"
    assert fixed(None, 1) == "—"


def test_the_template_filters():
    from django.template import Context, Template

    template = Template(
        "{% load inspection_format %}{{ a|percent:b }} {{ rate|percent }} {{ avg|number:1 }} "
        "{{ avg|fixed:2 }} {{ missing|percent }} {{ missing|number:1 }}"
    )
    context = {"a": 566, "b": 591, "rate": D("0.975"), "avg": D("84.0111")}
    assert template.render(Context(context)) == "95.77% 97.5% 84 84.01 — —"
