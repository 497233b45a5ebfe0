"""load_demo: a second run changes nothing, in any table, history included."""

import io

from django.apps import apps
from django.core.management import call_command


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_load_demo_twice_changes_nothing(db):
    call_command("load_demo", stdout=io.StringIO())
    first = row_counts()
    assert first["sites.Website"] and first["newmedia.HistoricalAccount"]
    call_command("load_demo", stdout=io.StringIO())
    assert row_counts() == first
