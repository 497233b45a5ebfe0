import pytest

from newmedia.models import Account
from sites.models import Region, Unit, Website
from sites.roles import Role


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_a_county_user_sees_only_that_county(liaison):
    assert names(Region.objects.visible_to(liaison)) == {"丘北县"}
    assert names(Website.objects.visible_to(liaison)) == {"丘北县人民政府"}
    accounts = Account.objects.visible_to(liaison)
    assert accounts.count() > 9
    assert {a.unit.region.name for a in accounts} == {"丘北县"}


def test_the_office_admin_sees_the_whole_tree(office_admin):
    assert Website.objects.visible_to(office_admin).count() == Website.objects.count()
    assert Region.objects.visible_to(office_admin).count() == 9


def test_a_unit_user_sees_only_that_unit_and_its_region(make_user, demo):
    unit = Unit.objects.get(name="丘北县曰者镇人民政府")
    user = make_user(Role.LIAISON, unit=unit)
    assert names(Unit.objects.visible_to(user)) == {"丘北县曰者镇人民政府"}
    assert names(Account.objects.visible_to(user)) == {
        "曰者扶贫", "曰者基层党建", "曰者镇基层党建", "曰者镇人民政府"
    }
    assert names(Region.objects.visible_to(user)) == {"丘北县"}
    assert not Website.objects.visible_to(user).exists()


def test_a_unit_user_sees_its_child_units(make_user, demo):
    county_unit = Unit.objects.get(name="丘北县人民政府办公室")
    town = Unit.objects.get(name="丘北县官寨乡人民政府")
    town.parent = county_unit
    town.save()
    user = make_user(Role.LIAISON, unit=county_unit)
    assert names(Unit.objects.visible_to(user)) == {"丘北县人民政府办公室", "丘北县官寨乡人民政府"}


@pytest.mark.django_db
def test_a_user_without_scope_sees_nothing(make_user, demo):
    user = make_user(Role.LEADER)
    assert not Website.objects.visible_to(user).exists()
    assert not Region.objects.visible_to(user).exists()


def test_an_inactive_or_anonymous_user_sees_nothing(demo, make_user, region):
    from django.contrib.auth.models import AnonymousUser

    assert not Website.objects.visible_to(AnonymousUser()).exists()
    user = make_user(Role.ADMIN, region=region("文山州"), is_active=False)
    assert not Website.objects.visible_to(user).exists()


def test_a_superuser_sees_everything(make_user, demo):
    user = make_user(is_superuser=True)
    assert Account.objects.visible_to(user).count() == Account.objects.count()
