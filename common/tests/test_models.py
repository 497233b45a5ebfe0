"""sync_rows, the loaders' bulk writer, and the planner statistics it refreshes."""

import pytest
from django.db import connection

from common.models import BULK_ROWS, sync_rows
from sites.models import Region, Unit


@pytest.fixture
def region(db):
    return Region.objects.create(name="测试州", level="city")


def unit_rows(region, count):
    return [{"name": f"单位{i}", "region_id": region.pk} for i in range(count)]


def test_sync_rows_creates_changes_and_leaves_equal_rows_alone(region):
    first = sync_rows(Unit, ("name", "region_id"), unit_rows(region, 3))
    assert sorted(unit.name for unit in first.values()) == ["单位0", "单位1", "单位2"]
    again = sync_rows(Unit, ("name", "region_id"), unit_rows(region, 3))
    assert {unit.pk for unit in again.values()} == {unit.pk for unit in first.values()}
    assert Unit.history.count() == 3  # the second load wrote nothing


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_a_bulk_load_refreshes_the_planner_statistics_inside_its_transaction(region):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sites_unit")  # as autovacuum does on a young, empty table
        sync_rows(Unit, ("name", "region_id"), unit_rows(region, BULK_ROWS))
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'sites_unit'")
        assert cursor.fetchone()[0] >= BULK_ROWS
