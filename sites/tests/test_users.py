"""Users managed in the portal: scope, permissions and the refusals that keep an admin from
widening anyone's powers, their own included."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, UserManager
from django.urls import reverse
from openpyxl import load_workbook

from sites.models import Unit, User
from sites.roles import Role

PASSWORD = "Wenshan-2024-pw"


def user_form(**changes):
    data = {
        "username": "newuser", "last_name": "杨", "first_name": "新", "email": "y@example.cn",
        "phone": "", "role": Group.objects.get(name=Role.LIAISON.value).pk, "region": "",
        "unit": "", "is_active": "on", "password1": PASSWORD, "password2": PASSWORD,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_form(target: User, **changes):
    """The edit form as the page fills it in for `target`, with `changes`."""
    as_shown = {
        "username": target.username, "last_name": target.last_name,
        "first_name": target.first_name, "email": target.email, "role": target.groups.get().pk,
        "region": target.region_id or "", "unit": target.unit_id or "",
        "is_active": "on" if target.is_active else None, "password1": "", "password2": "",
    }
    return user_form(**{**as_shown, **changes})


def usernames(queryset):
    return set(queryset.values_list("username", flat=True))


def form_errors(response) -> dict:
    return response.context["form"].errors


@pytest.fixture
def qiubei_admin(make_user, region):
    return make_user(Role.ADMIN, region=region("丘北县"))


@pytest.fixture
def xichou_admin(make_user, region):
    return make_user(Role.ADMIN, region=region("西畴县"))


@pytest.fixture
def town_unit(demo):
    return Unit.objects.get(name="丘北县曰者镇人民政府")


# Scope

def test_a_region_admin_sees_the_users_of_their_region_and_below(
        office_admin, qiubei_admin, make_user, town_unit, other_liaison):
    town_user = make_user(Role.LIAISON, unit=town_unit)
    seen = usernames(User.objects.visible_to(qiubei_admin))
    assert seen == {"liaison", qiubei_admin.username, town_user.username}
    everyone = usernames(User.objects.visible_to(office_admin))
    assert {"admin", "inspector", "leader", other_liaison.username, town_user.username} <= everyone


def test_a_unit_admin_sees_only_the_people_of_the_unit(make_user, town_unit, qiubei_admin):
    unit_admin = make_user(Role.ADMIN, unit=town_unit)
    colleague = make_user(Role.LIAISON, unit=town_unit)
    assert usernames(User.objects.visible_to(unit_admin)) == {
        unit_admin.username, colleague.username}


def test_a_user_is_placed_by_their_unit_before_their_region(make_user, region, town_unit,
                                                            xichou_admin):
    # Such a user sees the unit only (common.scope), so the unit decides who oversees them.
    both = make_user(Role.LIAISON, region=region("西畴县"), unit=town_unit)
    assert not User.objects.visible_to(xichou_admin).filter(pk=both.pk).exists()
    assert User.objects.within(region("丘北县")).filter(pk=both.pk).exists()
    assert not User.objects.within(region("西畴县")).filter(pk=both.pk).exists()


def test_superusers_see_every_user_and_strangers_none(demo, django_user_model, make_user):
    from django.contrib.auth.models import AnonymousUser

    root = django_user_model.objects.create_superuser("root", password="pw")
    nobody = make_user(Role.ADMIN)
    assert User.objects.visible_to(root).count() == User.objects.count()
    assert not User.objects.visible_to(AnonymousUser()).exists()
    assert not User.objects.visible_to(nobody).exists()


def test_the_manager_is_still_a_user_manager(db):
    assert isinstance(User.objects, UserManager)
    user = User.objects.create_user("someone", password="pw")
    assert User.objects.get_by_natural_key("someone") == user and user.check_password("pw")


# The pages

def test_the_list_and_its_exports_hold_only_the_admins_scope(client, qiubei_admin, office_admin):
    client.force_login(qiubei_admin)
    page = client.get(reverse("sites:user_list")).content.decode()
    assert "liaison" in page and "张联络" in page and "丘北县" in page
    assert "inspector" not in page and "李虹霞" not in page
    export = b"".join(client.get(reverse("sites:user_list") + "?export=csv").streaming_content)
    rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))
    assert rows[0] == ["用户名", "姓名", "角色", "所属地区/单位", "邮箱", "启用", "最近登录"]
    assert sorted(row[0] for row in rows[1:]) == sorted(["liaison", qiubei_admin.username])
    assert ["liaison", "张联络", "联络员", "丘北县", "", "是", ""] in rows


def test_the_xlsx_export_reads_as_on_screen(client, office_admin):
    client.force_login(office_admin)
    response = client.get(reverse("sites:user_list"), {"role": Role.ADMIN.value, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("admin", "李虹霞", "管理员", "文山州")
    assert rows[1][6].startswith("20")  # the admin's own sign-in, in local time
    assert len(rows) == 2


@pytest.mark.parametrize(("query", "expected"), [
    ({"q": "李虹霞"}, {"admin"}),
    ({"role": "检查员"}, {"inspector"}),
    ({"is_active": "false"}, {"gone"}),
])
def test_the_list_filters(client, office_admin, make_user, region, query, expected):
    gone = make_user(Role.LEADER, region=region("文山州"), is_active=False)
    expected = {gone.username if name == "gone" else name for name in expected}
    client.force_login(office_admin)
    response = client.get(reverse("sites:user_list"), query)
    assert {row.record.username for row in response.context["table"].rows} == expected


def test_the_region_filter_takes_units_people_too(client, office_admin, make_user, region,
                                                  town_unit):
    town_user = make_user(Role.LIAISON, unit=town_unit)
    client.force_login(office_admin)
    response = client.get(reverse("sites:user_list"), {"region": region("丘北县").pk})
    assert {r.record.username for r in response.context["table"].rows} == {
        "liaison", town_user.username}


def test_another_regions_users_are_not_found(client, qiubei_admin, other_liaison, region):
    client.force_login(qiubei_admin)
    for name in ("sites:user", "sites:user_edit"):
        assert client.get(reverse(name, args=[other_liaison.pk])).status_code == 404
    edit = reverse("sites:user_edit", args=[other_liaison.pk])
    assert client.post(edit, edit_form(other_liaison, is_active=None)).status_code == 404
    response = client.get(reverse("sites:user_list"), {"region": region("西畴县").pk,
                                                       "export": "csv"})
    assert response.status_code == 404
    other_liaison.refresh_from_db()
    assert other_liaison.is_active


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.LIAISON, Role.LEADER])
def test_other_roles_may_not_manage_users(client, make_user, region, liaison, role):
    client.force_login(make_user(role, region=region("丘北县")))
    for url in (reverse("sites:user_list"), reverse("sites:user_add"),
                reverse("sites:user", args=[liaison.pk]),
                reverse("sites:user_edit", args=[liaison.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("sites:user_add"), user_form()).status_code == 403
    assert not User.objects.filter(username="newuser").exists()


def test_the_detail_page_shows_the_user(client, qiubei_admin, liaison):
    client.force_login(qiubei_admin)
    page = client.get(reverse("sites:user", args=[liaison.pk])).content.decode()
    assert "张联络" in page and "联络员" in page and "丘北县" in page
    assert reverse("sites:user_edit", args=[liaison.pk]) in page


def test_the_nav_offers_users_to_admins_and_the_django_admin_to_superusers(
        client, office_admin, liaison, django_user_model):
    client.force_login(office_admin)
    page = client.get(reverse("home")).content.decode()
    assert reverse("sites:user_list") in page and reverse("admin:index") not in page
    client.force_login(liaison)
    assert reverse("sites:user_list") not in client.get(reverse("home")).content.decode()
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


# Creating and editing

def test_an_admin_creates_a_user_who_can_sign_in(client, qiubei_admin, town_unit):
    client.force_login(qiubei_admin)
    response = client.post(reverse("sites:user_add"), user_form(unit=town_unit.pk))
    created = User.objects.get(username="newuser")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.unit == town_unit and created.region is None and created.is_active
    assert [g.name for g in created.groups.all()] == [Role.LIAISON.value]
    assert created.check_password(PASSWORD)
    assert not created.is_staff and not created.is_superuser


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"password2": "Other-2024-pw"}, "password2", "不一致"),
    ({"password1": "12345678", "password2": "12345678"}, "password1", "数字"),
    ({"password1": "", "password2": ""}, "password1", "必填"),
    ({"region": None, "unit": None}, "region", "只选其一"),
    ({"username": "LIAISON"}, "username", "已被使用"),
])
def test_bad_input_is_refused_with_a_clear_message(client, qiubei_admin, town_unit, region,
                                                   changes, field, message):
    client.force_login(qiubei_admin)
    data = user_form(**{"region": region("丘北县").pk, **changes})
    response = client.post(reverse("sites:user_add"), data)
    assert response.status_code == 200
    assert message in " ".join(form_errors(response)[field])
    assert not User.objects.filter(username__in=["newuser", "LIAISON"]).exists()


def test_a_user_has_one_region_or_one_unit_not_both(client, qiubei_admin, town_unit, region):
    client.force_login(qiubei_admin)
    data = user_form(region=region("丘北县").pk, unit=town_unit.pk)
    response = client.post(reverse("sites:user_add"), data)
    assert "只选其一" in form_errors(response)["region"][0]


def test_no_place_outside_the_admins_scope(client, qiubei_admin, region):
    client.force_login(qiubei_admin)
    for place in ({"region": region("西畴县").pk}, {"region": region("文山州").pk},
                  {"unit": Unit.objects.get(name="西畴县人民政府办公室").pk}):
        response = client.post(reverse("sites:user_add"), user_form(**place))
        assert response.status_code == 200 and form_errors(response)
    assert not User.objects.filter(username="newuser").exists()


def test_a_unit_admin_may_not_place_anyone_at_region_level(client, make_user, town_unit, region):
    client.force_login(make_user(Role.ADMIN, unit=town_unit))
    response = client.post(reverse("sites:user_add"), user_form(region=region("丘北县").pk))
    assert "region" in form_errors(response)
    assert client.post(reverse("sites:user_add"), user_form(unit=town_unit.pk)).status_code == 302


def test_no_role_outside_the_four(client, qiubei_admin, region):
    other = Group.objects.create(name="审计")
    client.force_login(qiubei_admin)
    response = client.post(reverse("sites:user_add"),
                           user_form(region=region("丘北县").pk, role=other.pk))
    assert "role" in form_errors(response)
    assert not User.objects.filter(username="newuser").exists()


def test_superuser_and_staff_cannot_be_granted(client, qiubei_admin, liaison, region):
    client.force_login(qiubei_admin)
    grant = {"is_superuser": "on", "is_staff": "on"}
    client.post(reverse("sites:user_add"), user_form(region=region("丘北县").pk, **grant))
    client.post(reverse("sites:user_edit", args=[liaison.pk]), edit_form(liaison, **grant))
    client.post(reverse("sites:user_edit", args=[qiubei_admin.pk]),
                edit_form(qiubei_admin, **grant))
    for user in User.objects.filter(username__in=["newuser", "liaison", qiubei_admin.username]):
        assert not user.is_superuser and not user.is_staff


def test_a_superuser_is_not_edited_by_an_admin(client, qiubei_admin, django_user_model, region):
    root = django_user_model.objects.create_superuser("root", password="pw",
                                                      region=region("丘北县"))
    root.groups.add(Group.objects.get(name=Role.ADMIN.value))
    client.force_login(qiubei_admin)
    url = reverse("sites:user_edit", args=[root.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, edit_form(root, is_active=None, password1=PASSWORD,
                                      password2=PASSWORD)).status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.check_password("pw")
    detail = client.get(reverse("sites:user", args=[root.pk])).content.decode()
    assert url not in detail


def test_editing_without_a_password_keeps_it_and_a_new_one_replaces_it(
        client, qiubei_admin, liaison):
    client.force_login(qiubei_admin)
    url = reverse("sites:user_edit", args=[liaison.pk])
    assert client.post(url, edit_form(liaison, email="z@example.cn")).status_code == 302
    liaison.refresh_from_db()
    assert liaison.email == "z@example.cn" and liaison.check_password("qiubei-liaison")
    response = client.post(url, edit_form(liaison, password1=PASSWORD, password2=""))
    assert "两次" in form_errors(response)["password2"][0]
    client.post(url, edit_form(liaison, password1=PASSWORD, password2=PASSWORD))
    liaison.refresh_from_db()
    assert liaison.check_password(PASSWORD)


def test_an_admin_changes_a_users_role_and_place(client, qiubei_admin, liaison, town_unit):
    client.force_login(qiubei_admin)
    inspector = Group.objects.get(name=Role.INSPECTOR.value)
    client.post(reverse("sites:user_edit", args=[liaison.pk]),
                edit_form(liaison, role=inspector.pk, region="", unit=town_unit.pk))
    liaison.refresh_from_db()
    assert list(liaison.groups.all()) == [inspector]
    assert liaison.unit == town_unit and liaison.region is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"is_active": None}, "is_active"),
    ({"role": "leader"}, "role"),
    ({"region": "丘北县"}, "region"),
])
def test_an_admin_cannot_lock_themselves_out(client, office_admin, region, changes, field):
    if "role" in changes:
        changes["role"] = Group.objects.get(name=Role.LEADER.value).pk
    if "region" in changes:
        changes["region"] = region(changes["region"]).pk
    client.force_login(office_admin)
    url = reverse("sites:user_edit", args=[office_admin.pk])
    response = client.post(url, edit_form(office_admin, **changes))
    assert response.status_code == 200
    assert "不能" in form_errors(response)[field][0]
    office_admin.refresh_from_db()
    assert office_admin.is_active and office_admin.region == region("文山州")
    assert office_admin.has_role(Role.ADMIN)


def test_an_admin_changes_their_own_password_and_stays_signed_in(client, office_admin):
    client.force_login(office_admin)
    url = reverse("sites:user_edit", args=[office_admin.pk])
    client.post(url, edit_form(office_admin, password1=PASSWORD, password2=PASSWORD))
    office_admin.refresh_from_db()
    assert office_admin.check_password(PASSWORD)
    assert client.get(reverse("sites:user_list")).status_code == 200


def test_the_lockout_rules_concern_only_ones_own_account(office_admin, liaison, region):
    from sites.users import lockout_errors

    leader = Group.objects.get(name=Role.LEADER.value)
    change = {"is_active": False, "role": leader, "region": region("丘北县"), "unit": None}
    assert lockout_errors(office_admin, liaison, **change) == {}
    assert set(lockout_errors(office_admin, office_admin, **change)) == {
        "is_active", "role", "region"}


def test_a_superuser_may_change_their_own_role_and_place_but_stays_active(
        django_user_model, region):
    from sites.users import lockout_errors

    root = django_user_model.objects.create_superuser("root", password="pw")
    leader = Group.objects.get(name=Role.LEADER.value)
    change = {"role": leader, "region": region("丘北县"), "unit": None}
    assert lockout_errors(root, root, is_active=True, **change) == {}
    assert set(lockout_errors(root, root, is_active=False, **change)) == {"is_active"}


# Query bounds

def add_users(make_user, region, count: int) -> None:
    qiubei = region("丘北县")
    for _ in range(count):
        make_user(Role.LIAISON, region=qiubei)


@pytest.mark.parametrize("suffix", ["", "?export=xlsx", "?export=csv", "?q=user&sort=-full_name"])
def test_the_list_runs_the_same_queries_for_10_and_100_users(
        client, office_admin, make_user, region, suffix, django_assert_max_num_queries):
    client.force_login(office_admin)
    url = reverse("sites:user_list") + suffix

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert read(client.get(url))
        return len(captured)

    add_users(make_user, region, 10)
    small = queries()
    add_users(make_user, region, 90)
    with django_assert_max_num_queries(small):
        assert read(client.get(url))
    assert small <= 12


def read(response) -> bytes:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
