"""List pages and exports run the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.models import refresh_planner_statistics
from newmedia.models import Account
from sites.models import Region, Unit, Website

LIST_NAMES = ["sites:region_list", "sites:unit_list", "sites:website_list", "newmedia:account_list"]


def grow_directory(rows: int) -> None:
    """Add rows to the demo until each list holds about `rows` entries."""
    parent = Region.objects.get(name="丘北县")
    regions = Region.objects.bulk_create(
        Region(name=f"测试镇{rows}-{i}", parent=parent, level="county") for i in range(rows)
    )
    Region.fill_paths(regions)
    units = Unit.objects.bulk_create(
        Unit(name=f"测试单位{rows}-{i}", region=regions[i]) for i in range(rows)
    )
    Unit.fill_paths(units)
    Website.objects.bulk_create(
        Website(site_code=f"{5300000000 + rows * 1000 + i}", name=f"测试网站{rows}-{i}",
                url="http://a.gov.cn", kind="department", unit=units[i]) for i in range(rows)
    )
    Account.objects.bulk_create(
        Account(name=f"测试账号{rows}-{i}", platform="wechat", unit=units[i]) for i in range(rows)
    )
    refresh_planner_statistics(Region, Unit, Website, Account)  # as the bulk imports do


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", LIST_NAMES)
@pytest.mark.parametrize("suffix", ["", "?export=xlsx", "?export=csv", "?sort=-name&q=测试"])
def test_list_queries_do_not_grow_with_rows(client, office_admin, name, suffix,
                                            django_assert_max_num_queries):
    client.force_login(office_admin)
    url = reverse(name) + suffix
    grow_directory(10)
    small = count_queries(client, url)
    grow_directory(500)
    with django_assert_max_num_queries(small):
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert small <= 12


@pytest.mark.parametrize("name", ["sites:website", "newmedia:account", "sites:unit", "sites:region"])
def test_detail_pages_are_bounded_too(client, office_admin, name, django_assert_max_num_queries):
    client.force_login(office_admin)
    model = {"sites:website": Website, "newmedia:account": Account, "sites:unit": Unit,
             "sites:region": Region}[name]
    obj = model.objects.first()
    for i in range(30):  # a long history must not mean a query per change
        obj.name = f"{obj.name[:20]}{i}"
        obj.save()
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name, args=[obj.pk])).status_code == 200


def grow_unit(unit: Unit, rows: int) -> None:
    Website.objects.bulk_create(
        Website(site_code=f"{5390000000 + rows * 1000 + i}", name=f"测试网站{rows}-{i}",
                url="http://a.gov.cn", kind="department", unit=unit) for i in range(rows)
    )
    Account.objects.bulk_create(
        Account(name=f"测试账号{rows}-{i}", platform="weibo", unit=unit) for i in range(rows)
    )


@pytest.mark.parametrize(("name", "model", "obj_name", "grow"), [
    ("sites:unit", Unit, "丘北县人民政府办公室", grow_unit),
    ("sites:region", Region, "丘北县", lambda region, rows: grow_directory(rows)),  # its towns
], ids=["unit", "region"])
def test_detail_tables_do_not_grow_with_rows(client, office_admin, name, model, obj_name, grow,
                                             django_assert_max_num_queries):
    """The unit page's websites and accounts, the region page's units: one page each."""
    client.force_login(office_admin)
    obj = model.objects.get(name=obj_name)
    url = reverse(name, args=[obj.pk])
    grow(obj, 10)
    small = count_queries(client, url)
    grow(obj, 500)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def test_a_users_permissions_take_one_query(make_user, django_assert_num_queries):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from sites.roles import Role

    user = make_user(Role.LIAISON)
    user.user_permissions.add(Permission.objects.get(codename="add_inspection"))
    user = get_user_model().objects.get(pk=user.pk)  # no cached permissions
    with django_assert_num_queries(1):
        assert user.has_perm("inspections.add_inspection")  # granted to the user
        assert user.has_perm("inspections.view_rectificationtask")  # through the role
        assert not user.has_perm("inspections.change_inspection")
