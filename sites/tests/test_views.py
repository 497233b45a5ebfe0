"""The directory's pages: detail tables, create/edit forms and the import page's notes."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from newmedia.choices import Filing
from newmedia.models import Account
from sites.models import Region, Unit, Website
from sites.roles import Role


def export_rows(client, url: str) -> list[tuple]:
    response = client.get(url)
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


# Detail pages: the list's table for the related rows, and a link to the same rows.

def test_a_unit_page_shows_its_websites_and_accounts_in_the_list_tables(client, office_admin):
    unit = Unit.objects.get(name="丘北县人民政府办公室")
    client.force_login(office_admin)
    response = client.get(reverse("sites:unit", args=[unit.pk]))
    websites, accounts = response.context["websites"], response.context["accounts"]
    assert [w.name for w in websites.table.data] == list(
        unit.websites.order_by("-kind", "name").values_list("name", flat=True))
    assert {a.name for a in accounts.table.data} == set(unit.accounts.values_list("name", flat=True))
    assert "unit" not in websites.table.columns.names()  # the page already says which unit
    page = response.content.decode()
    for related, list_name in ((websites, "sites:website_list"), (accounts, "newmedia:account_list")):
        assert related.list_url == f"{reverse(list_name)}?unit={unit.pk}"
        assert f'href="{related.list_url}&amp;export=xlsx"' in page
        assert f'href="{related.list_url}&amp;export=csv"' in page


def test_the_unit_pages_links_list_and_export_exactly_its_rows(client, office_admin):
    unit = Unit.objects.get(name="丘北县人民政府办公室")
    client.force_login(office_admin)
    context = client.get(reverse("sites:unit", args=[unit.pk])).context
    rows = export_rows(client, context["accounts"].list_url + "&export=xlsx")
    assert sorted(row[0] for row in rows[1:]) == sorted(a.name for a in context["accounts"].table.data)
    listed = client.get(context["websites"].list_url).context["table"]
    assert [w.pk for w in listed.data] == [w.pk for w in context["websites"].table.data]


def test_a_unit_without_websites_says_so(client, office_admin):
    unit = Unit.objects.filter(websites=None).first()
    client.force_login(office_admin)
    page = client.get(reverse("sites:unit", args=[unit.pk])).content.decode()
    assert "该单位没有登记政府网站。" in page


def test_a_region_page_lists_the_units_of_its_subtree_like_the_unit_list(client, office_admin):
    wenshan = Region.objects.get(name="文山州")
    client.force_login(office_admin)
    units = client.get(reverse("sites:region", args=[wenshan.pk])).context["units"]
    assert units.list_url == f"{reverse('sites:unit_list')}?region={wenshan.pk}"
    assert units.table.paginator.count == Unit.objects.count()
    assert len(units.table.page.object_list) == 20
    listed = client.get(units.list_url).context["table"]
    assert listed.paginator.count == units.table.paginator.count
    rows = export_rows(client, units.list_url + "&export=xlsx")
    assert len(rows) - 1 == Unit.objects.count()


def test_a_region_pages_units_are_limited_to_the_users_scope(client, demo, make_user):
    own = Unit.objects.get(name="丘北县曰者镇人民政府")
    user = make_user(Role.LIAISON, unit=own)
    client.force_login(user)
    qiubei = Region.objects.get(name="丘北县")
    units = client.get(reverse("sites:region", args=[qiubei.pk])).context["units"]
    assert [u.name for u in units.table.data] == [own.name]


# Create and edit forms: choices outside the user's scope are refused.

@pytest.fixture
def qiubei_admin(make_user, region):
    return make_user(Role.ADMIN, region=region("丘北县"))


def xichou_unit():
    return Unit.objects.get(name="西畴县人民政府办公室")


FORMS = {
    "sites:website_add": (Website, lambda: {
        "site_code": "5326260099", "name": "新网站", "url": "www.new.gov.cn", "kind": "department",
        "unit": xichou_unit().pk, "status": "running",
    }, "unit"),
    "newmedia:account_add": (Account, lambda: {
        "name": "新账号", "platform": "wechat", "unit": xichou_unit().pk, "filing": "filed",
        "status": "running",
    }, "unit"),
    "sites:unit_add": (Unit, lambda: {
        "name": "新单位", "region": Region.objects.get(name="西畴县").pk,
    }, "region"),
    "sites:region_add": (Region, lambda: {
        "name": "新区", "parent": Region.objects.get(name="西畴县").pk, "level": "county",
    }, "parent"),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_a_create_form_naming_another_countys_unit_or_region_is_refused(client, qiubei_admin, name):
    model, data, field = FORMS[name]
    count = model.objects.count()
    client.force_login(qiubei_admin)
    response = client.post(reverse(name), data())
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.context["form"].errors[field][0]
    assert model.objects.count() == count


@pytest.mark.parametrize(("name", "obj", "data"), [
    ("sites:website_edit", lambda: Website.objects.get(name="丘北县人民政府"), lambda w: {
        "site_code": w.site_code, "name": w.name, "url": w.url, "kind": w.kind,
        "unit": xichou_unit().pk, "status": w.status,
    }),
    ("newmedia:account_edit", lambda: Account.objects.filter(unit__region__name="丘北县").first(),
     lambda a: {"name": a.name, "platform": a.platform, "unit": xichou_unit().pk,
                "filing": a.filing, "status": a.status}),
])
def test_an_edit_moving_a_row_to_another_county_is_refused(client, qiubei_admin, name, obj, data):
    row = obj()
    client.force_login(qiubei_admin)
    response = client.post(reverse(name, args=[row.pk]), data(row))
    assert "unit" in response.context["form"].errors
    row.refresh_from_db()
    assert row.unit.region.name == "丘北县"


def test_the_region_form_keeps_levels_below_the_parent(client, office_admin):
    client.force_login(office_admin)
    county = Region.objects.get(name="丘北县")
    response = client.post(reverse("sites:region_add"), {
        "name": "云南省", "parent": county.pk, "level": "province",
    })
    assert response.context["form"].errors["level"] == ["层级应低于上级地区“丘北县”的层级（县）。"]
    assert not Region.objects.filter(name="云南省").exists()


def account_data(account, **changes) -> dict:
    data = {"name": account.name, "platform": account.platform, "unit": account.unit_id,
            "filing": account.filing, "status": account.status,
            "filed_on": account.filed_on or "", "unfiled_on": account.unfiled_on or ""}
    data.update(changes)
    return data


def test_filing_an_account_on_the_form_dates_it_today(client, office_admin):
    account = Account.objects.get(name="华盖故里")
    client.force_login(office_admin)
    client.post(reverse("newmedia:account_edit", args=[account.pk]),
                account_data(account, filing=Filing.FILED))
    account.refresh_from_db()
    assert (account.filing, account.filed_on) == (Filing.FILED, timezone.localdate())


def test_the_form_keeps_a_filing_date_the_editor_gives(client, office_admin):
    account = Account.objects.get(name="华盖故里")
    client.force_login(office_admin)
    client.post(reverse("newmedia:account_edit", args=[account.pk]),
                account_data(account, filing=Filing.FILED, filed_on="2021-03-01"))
    account.refresh_from_db()
    assert account.filed_on == datetime.date(2021, 3, 1)
    client.post(reverse("newmedia:account_edit", args=[account.pk]),
                account_data(account, filing=Filing.UNFILED))
    account.refresh_from_db()
    assert (account.filing, account.filed_on, account.unfiled_on) == (
        Filing.UNFILED, datetime.date(2021, 3, 1), timezone.localdate())


def test_an_edit_that_leaves_the_filing_alone_adds_no_date(client, office_admin):
    account = Account.objects.filter(filing=Filing.FILED).first()
    client.force_login(office_admin)
    client.post(reverse("newmedia:account_edit", args=[account.pk]),
                account_data(account, name="改了名字"))
    account.refresh_from_db()
    assert (account.name, account.filed_on, account.unfiled_on) == ("改了名字", None, None)


# The upload pages state what they accept.

@pytest.mark.parametrize("name", ["sites:directory_import", "inspections:scheme_import",
                                  "inspections:results_import", "interaction:message_import"])
def test_every_upload_page_states_the_format_and_the_size_limit(client, office_admin, settings, name):
    settings.IMPORT_MAX_BYTES = 7 * 1024 * 1024
    client.force_login(office_admin)
    page = client.get(reverse(name)).content.decode()
    assert "Excel 工作簿（.xlsx），不超过 7 MB。" in page
    assert 'accept=".xlsx,' in page
