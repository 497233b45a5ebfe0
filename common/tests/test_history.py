"""history_rows: the 变更记录 of a detail page, read from django-simple-history."""

import pytest

from common.history import history_rows
from sites.models import Region, Unit, Website


@pytest.fixture
def site(db, django_user_model):
    region = Region.objects.create(name="丘北县", level="county")
    first = Unit.objects.create(name="丘北县政府办", region=region)
    site = Website(site_code="5326260001", name="丘北县人民政府", url="http://www.ynqb.gov.cn",
                   kind="portal", unit=first)
    site.save()
    clerk = django_user_model.objects.create_user("clerk", last_name="张", first_name="三")
    site.name, site.kind = "丘北县人民政府门户网站", "department"
    site.unit = Unit.objects.create(name="丘北县档案馆", region=region)
    site._history_user = clerk
    site.save()
    return site


def test_rows_are_newest_first_with_who_and_what(site):
    edit, created = history_rows(site)
    assert (edit["action"], str(edit["who"]), created["action"], created["who"]) == (
        "修改", "张三", "新建", None)
    assert edit["changes"] == [
        {"field": "网站名称", "old": "丘北县人民政府", "new": "丘北县人民政府门户网站"},
        {"field": "网站类型", "old": "门户网站", "new": "部门网站"},
        {"field": "主办单位", "old": "丘北县政府办", "new": "丘北县档案馆"},
    ]


def test_the_creation_lists_what_was_entered_without_the_id(site):
    created = history_rows(site)[-1]
    fields = [change["field"] for change in created["changes"]]
    assert fields == ["网站标识码", "网站名称", "首页网址", "网站类型", "主办单位", "运行状态"]
    assert all(change["old"] == "" for change in created["changes"])


def test_a_save_without_changes_is_listed_with_no_differences(site):
    site.save()
    assert history_rows(site)[0]["changes"] == []


def test_a_tree_path_is_not_shown(db):
    region = Region.objects.create(name="文山州", level="city")
    region.code = "532600"
    region.save()
    changed = [[c["field"] for c in row["changes"]] for row in history_rows(region)]
    assert changed == [["区划代码"], ["地区名称", "层级"]]
