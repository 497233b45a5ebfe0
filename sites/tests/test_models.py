import datetime

import pytest
from django.core.exceptions import ValidationError

from newmedia.choices import AccountStatus, Filing
from newmedia.models import Account
from sites.choices import RegionLevel, WebsiteStatus
from sites.models import Region, Unit, Website

pytestmark = pytest.mark.django_db


def make_tree():
    province = Region.objects.create(name="云南省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(name="文山州", parent=province, level=RegionLevel.CITY)
    county = Region.objects.create(name="丘北县", parent=city, level=RegionLevel.COUNTY)
    return province, city, county


def website(unit, code="5326260001", **extra):
    return Website(site_code=code, name="丘北县人民政府", url="http://www.ynqb.gov.cn",
                   kind="portal", unit=unit, **extra)


@pytest.mark.parametrize("code", ["5326260001", "bm64130001"])
def test_site_code_accepts_ten_digits_or_bm_and_eight(code):
    _, _, county = make_tree()
    website(Unit.objects.create(name="丘北县政府办", region=county), code=code).full_clean()


@pytest.mark.parametrize("code", ["532626001", "53262600011", "BM64130001", "bm6413000", "abcdefghij"])
def test_site_code_rejects_other_shapes(code):
    _, _, county = make_tree()
    with pytest.raises(ValidationError) as error:
        website(Unit.objects.create(name="丘北县政府办", region=county), code=code).full_clean()
    assert "网站标识码" in str(error.value)


def test_region_code_must_be_six_digits():
    with pytest.raises(ValidationError):
        Region(name="文山州", code="53260", level=RegionLevel.CITY).full_clean()


def test_region_path_follows_the_tree_and_moves_with_its_parent():
    province, city, county = make_tree()
    assert county.path == f"/{province.pk}/{city.pk}/{county.pk}/"
    other = Region.objects.create(name="红河州", parent=province, level=RegionLevel.CITY)
    city.parent = other
    city.save()
    county.refresh_from_db()
    assert county.path == f"/{province.pk}/{other.pk}/{city.pk}/{county.pk}/"
    assert county.is_within(other)


def test_a_region_cannot_become_its_own_descendant():
    _province, city, county = make_tree()
    city.parent = county
    with pytest.raises(ValidationError):
        city.clean()


@pytest.mark.parametrize(("name", "direct", "whole"), [
    ("文山州", "州直", "全州"), ("咸宁市", "市直", "全市"), ("四川省", "省直", "全省"),
    ("广西壮族自治区", "区直", "全区"),
])
def test_direct_and_whole_labels_come_from_the_name(name, direct, whole):
    region = Region(name=name, level=Region.level_below(None, name))
    assert (region.direct_label, region.whole_label) == (direct, whole)


def test_level_below_a_parent():
    assert Region.level_below(None, "四川省") == RegionLevel.PROVINCE
    assert Region.level_below(RegionLevel.PROVINCE, "成都市") == RegionLevel.CITY
    assert Region.level_below(RegionLevel.CITY, "丘北县") == RegionLevel.COUNTY
    assert Region.level_below(RegionLevel.COUNTY, "城关镇") is None


@pytest.mark.parametrize(("parent_level", "level", "ok"), [
    (RegionLevel.PROVINCE, RegionLevel.CITY, True),
    (RegionLevel.PROVINCE, RegionLevel.COUNTY, True),
    (RegionLevel.CITY, RegionLevel.COUNTY, True),
    (RegionLevel.CITY, RegionLevel.CITY, False),
    (RegionLevel.COUNTY, RegionLevel.PROVINCE, False),
    (RegionLevel.COUNTY, RegionLevel.COUNTY, False),
])
def test_a_region_is_below_its_parents_level(parent_level, level, ok):
    parent = Region.objects.create(name="上级", level=parent_level)
    region = Region(name="下级", parent=parent, level=level)
    if ok:
        region.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            region.full_clean()
        assert "层级应低于上级地区“上级”" in error.value.message_dict["level"][0]


def test_unit_parent_must_be_in_the_units_region_or_above():
    _, city, county = make_tree()
    county_unit = Unit.objects.create(name="丘北县人民政府", region=county)
    town = Unit(name="官寨乡人民政府", region=city, parent=county_unit)
    with pytest.raises(ValidationError):
        town.clean()


def test_running_on_a_date_uses_the_opening_and_closing_dates():
    _, _, county = make_tree()
    unit = Unit.objects.create(name="丘北县政府办", region=county)
    always = website(unit, "5326260001")
    always.save()
    later = website(unit, "5326260002", opened_on=datetime.date(2022, 3, 1))
    later.save()
    closed = website(unit, "5326260003")
    closed.save()
    closed.set_status(WebsiteStatus.CLOSED, datetime.date(2021, 11, 15))
    closed.save()
    undated = website(unit, "5326260004", status=WebsiteStatus.CLOSED)
    undated.save()

    def running(day):
        return set(Website.objects.running_on(day).values_list("site_code", flat=True))

    assert running(datetime.date(2021, 9, 30)) == {"5326260001", "5326260003"}
    assert running(datetime.date(2021, 12, 31)) == {"5326260001"}
    assert running(datetime.date(2022, 3, 31)) == {"5326260001", "5326260002"}


def test_reopening_clears_the_closing_date():
    _, _, county = make_tree()
    site = website(Unit.objects.create(name="丘北县政府办", region=county))
    site.set_status(WebsiteStatus.CLOSED, datetime.date(2021, 1, 1))
    assert site.closed_on == datetime.date(2021, 1, 1)
    site.set_status(WebsiteStatus.RUNNING, datetime.date(2021, 2, 1))
    assert site.closed_on is None


@pytest.mark.parametrize(("status", "closed_on", "field"), [
    (WebsiteStatus.RUNNING, datetime.date(2021, 1, 1), "closed_on"),
    (WebsiteStatus.CLOSED, None, "closed_on"),
])
def test_status_and_closing_date_must_agree(status, closed_on, field):
    _, _, county = make_tree()
    site = website(Unit.objects.create(name="丘北县政府办", region=county),
                   status=status, closed_on=closed_on)
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert field in error.value.message_dict


def test_population_of_accounts_is_filed_and_running():
    _, _, county = make_tree()
    unit = Unit.objects.create(name="丘北县政府办", region=county)
    Account.objects.create(name="丘北发布", platform="wechat", unit=unit)
    Account.objects.create(name="官寨乡号", platform="wechat", unit=unit, filing=Filing.UNFILED)
    Account.objects.create(name="丘北微博", platform="weibo", unit=unit,
                           status=AccountStatus.CANCELLED, closed_on=datetime.date(2021, 11, 1))
    names = Account.objects.registered_running_on(datetime.date(2021, 12, 31))
    assert [a.name for a in names] == ["丘北发布"]
    assert Account.objects.registered_running_on(datetime.date(2021, 9, 30)).count() == 2


def test_changes_are_kept_as_history_with_who(django_user_model):
    _, _, county = make_tree()
    user = django_user_model.objects.create_user("clerk")
    site = website(Unit.objects.create(name="丘北县政府办", region=county))
    site.save()
    site.name = "丘北县人民政府门户网站"
    site._history_user = user
    site.save()
    latest = site.history.first()
    assert latest.history_user == user
    assert latest.diff_against(latest.prev_record).changed_fields == ["name"]
