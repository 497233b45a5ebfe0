"""The check page: progress, statistics, recheck and circulars in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

from inspections.models import Assessment
from newmedia.models import Account
from sites.models import Unit


def test_the_check_page_shows_progress_and_statistics(client, office_admin, demo_inspections):
    client.force_login(office_admin)
    page = client.get(reverse("inspections:inspection", args=[demo_inspections[4].pk])).content.decode()
    assert "已评分 <strong>10</strong> / 10" in page
    assert "84.01" in page and "74.94" in page  # averages, exact to two decimals on this page
    assert "<svg" in page  # the charts are server-rendered


@pytest.mark.parametrize("grow", [0, 300])
def test_the_check_page_runs_at_most_twenty_queries(client, office_admin, demo_inspections, grow,
                                                    django_assert_max_num_queries):
    check = Assessment.objects.filter(account__isnull=False).first().inspection
    units = list(Unit.objects.all()[:10])
    accounts = Account.objects.bulk_create(
        Account(name=f"增补账号{i}", platform="douyin", unit=units[i % 10]) for i in range(grow))
    Assessment.objects.bulk_create(
        Assessment(inspection=check, account=a, unit_id=a.unit_id, passed=True,
                   scored_at=datetime.datetime(2021, 12, 31, tzinfo=datetime.UTC)) for a in accounts)
    client.force_login(office_admin)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("inspections:inspection", args=[check.pk])).status_code == 200
