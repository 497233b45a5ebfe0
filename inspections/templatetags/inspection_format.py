"""Template filters that write a check's figures the way a circular does
(inspections.formatting): {{ rate|percent }}, {{ passed|percent:checked }},
{{ average|number:1 }}, {{ total|fixed:1 }}."""

from django import template

from inspections import formatting

register = template.Library()


def _value(value):
    # A missing template variable arrives as "" and is written "—", like None.
    return None if value == "" else value


@register.filter
def percent(value, denominator=1) -> str:
    """value ÷ denominator as a percent ("95.28%"); a rate alone needs no argument."""
    return formatting.percent(_value(value), _value(denominator))


@register.filter
def number(value, decimals=2) -> str:
    """At most `decimals` decimals, trailing zeros dropped ("84", "26.4")."""
    return formatting.number(_value(value), int(decimals))


@register.filter
def fixed(value, decimals=1) -> str:
    """Exactly `decimals` decimals ("77.0")."""
    return formatting.fixed(_value(value), int(decimals))
