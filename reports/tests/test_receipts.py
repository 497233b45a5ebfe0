"""签收: the counties and the 州直 departments with checked targets are the addressees; each signs
through a liaison scoped to it, others read the circular without signing, and the office sees
who has not signed."""

import re

import pytest
from django.urls import reverse

from reports.addressees import addressees
from reports.models import Handling, Receipt
from sites.models import Region, Unit
from sites.roles import Role

COUNTIES = ["文山市", "砚山县", "西畴县", "麻栗坡县", "马关县", "丘北县", "广南县", "富宁县"]
HRSS = "文山州人力资源和社会保障局"  # a 州直 department with a checked website


@pytest.fixture
def wenshan():
    return Region.objects.get(name="文山州")


@pytest.fixture
def hrss_liaison(issued, make_user):
    return make_user(Role.LIAISON, unit=Unit.objects.get(name=HRSS))


@pytest.fixture
def county_department_liaison(issued, make_user, region):
    """A contact of a department of 丘北县 (which runs accounts of its own), scoped to that unit."""
    unit = Unit.objects.get(name="丘北县人力资源和社会保障局", region=region("丘北县"))
    return make_user(Role.LIAISON, unit=unit)


def receive(client, user, circular, **posted):
    client.force_login(user)
    return client.post(reverse("reports:circular_receive", args=[circular.pk]), posted, follow=True)


def unsigned(page: str) -> list[str]:
    return re.findall(r"<td\s*>([^<]+)</td>\s*<td\s*><span class=\"fail\">未签收", page)


def test_the_addressees_are_the_counties_and_the_checked_departments(issued, wenshan):
    Unit.objects.create(name="文山州档案馆", region=wenshan)  # no target in the checks
    names = [str(a) for a in addressees(issued)]
    assert names[:8] == COUNTIES
    departments = names[8:]
    assert HRSS in departments and "文山州三七中医药发展中心" in departments  # a website, an account
    assert "文山州档案馆" not in departments
    assert "文山州人民政府办公室" not in departments  # the issuing office sends, it does not receive
    assert departments == sorted(departments) and len(departments) == 12


def test_a_sub_unit_s_targets_make_its_department_addressed(circular, wenshan):
    department = Unit.objects.create(name="文山州档案馆", region=wenshan)
    sub_unit = Unit.objects.create(name="文山州档案馆数字档案室", region=wenshan, parent=department)
    assessment = circular.website_inspection.assessments.get(website__name=HRSS)
    assessment.unit = sub_unit
    assessment.save()
    departments = [str(a) for a in addressees(circular)][8:]
    assert "文山州档案馆" in departments and "文山州档案馆数字档案室" not in departments


def test_an_issued_circular_keeps_its_addressees(issued, wenshan, make_user, client):
    """Issuing records whom it went to: a county or department added later neither appears
    among the addressees nor signs."""
    before = [str(a) for a in addressees(issued)]
    new_county = Region.objects.create(name="新设县", parent=wenshan, level="county")
    archive = Unit.objects.create(name="文山州档案馆", region=wenshan)
    assessment = issued.website_inspection.assessments.get(website__name=HRSS)
    assessment.unit = archive  # now a checked department
    assessment.save()
    issued.refresh_from_db()
    assert [str(a) for a in addressees(issued)] == before
    assert "新设县" not in [r.name for r in issued.addressed_regions()]
    for user in (make_user(Role.LIAISON, region=new_county), make_user(Role.LIAISON, unit=archive)):
        receive(client, user, issued)
        assert not Receipt.objects.exists()
    hrss = make_user(Role.LIAISON, unit=Unit.objects.get(name=HRSS))
    receive(client, hrss, issued)  # still an addressee: its targets were checked when issued
    assert Receipt.objects.get().unit.name == HRSS


def test_a_departments_liaison_signs_for_the_department(client, issued, hrss_liaison):
    response = receive(client, hrss_liaison, issued)
    assert f"{HRSS}已签收" in response.content.decode()
    receipt = Receipt.objects.get()
    assert (receipt.unit.name, receipt.region, receipt.received_by) == (HRSS, None, hrss_liaison)
    receive(client, hrss_liaison, issued)
    assert Receipt.objects.count() == 1
    page = client.get(issued.get_absolute_url()).content.decode()
    assert f"{HRSS}已于" in page and "填写处理笺" not in page


def test_the_office_sees_counties_and_departments_not_signed(client, issued, liaison, hrss_liaison,
                                                              office_admin):
    receive(client, liaison, issued)
    receive(client, hrss_liaison, issued)
    client.force_login(office_admin)
    page = client.get(issued.get_absolute_url()).content.decode()
    missing = unsigned(page)
    assert len(missing) == 18
    assert "丘北县" not in missing and HRSS not in missing
    assert "西畴县" in missing and "文山州三七中医药发展中心" in missing
    assert page.index("富宁县") < page.index("文山州三七中医药发展中心")  # counties first


def test_a_county_liaison_signs_only_for_their_county(client, issued, liaison, region):
    xichou, hrss = region("西畴县"), Unit.objects.get(name=HRSS)
    receive(client, liaison, issued, region=xichou.pk, unit=hrss.pk)  # what is posted is ignored
    assert [(r.region.name, r.unit) for r in Receipt.objects.all()] == [("丘北县", None)]


def test_a_county_department_reads_the_circular_but_the_county_signs(client, issued,
                                                                     county_department_liaison):
    client.force_login(county_department_liaison)
    page = client.get(issued.get_absolute_url()).content.decode()
    assert "本通报发给丘北县，由丘北县的联络员签收。" in page
    assert "<button class=\"primary\">签收</button>" not in page
    response = receive(client, county_department_liaison, issued)
    assert "本通报发给丘北县，由丘北县的联络员签收。" in response.content.decode()
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("scope", ["town", "sub_unit", "unaddressed_department"])
def test_others_in_the_region_read_without_signing(client, issued, make_user, region, wenshan,
                                                   scope):
    if scope == "town":
        town = Region.objects.create(name="锦屏镇", parent=region("丘北县"), level="county")
        user = make_user(Role.LIAISON, region=town)
    elif scope == "sub_unit":
        sub_unit = Unit.objects.create(name="文山州就业局", region=wenshan,
                                       parent=Unit.objects.get(name=HRSS))
        user = make_user(Role.LIAISON, unit=sub_unit)
    else:
        user = make_user(Role.LIAISON, unit=Unit.objects.create(name="文山州档案馆", region=wenshan))
    client.force_login(user)
    assert client.get(issued.get_absolute_url()).status_code == 200
    receive(client, user, issued)
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("user_fixture", ["county_department_liaison", "hrss_liaison"])
def test_a_unit_scoped_user_cannot_record_or_read_the_countys_handling(client, issued, request,
                                                                        user_fixture):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    qiubei = Region.objects.get(name="丘北县").pk
    handling = reverse("reports:handling", args=[issued.pk])
    assert client.get(handling).status_code == 404
    assert client.post(handling, {"received_on": "2022-01-12", "proposal": "部门的意见"}).status_code == 404
    for name in ("reports:handling_sheet", "reports:handling_print"):
        assert client.get(reverse(name, args=[issued.pk, qiubei])).status_code == 404
    assert not Handling.objects.exists()
    assert "填写处理笺" not in client.get(issued.get_absolute_url()).content.decode()


def test_the_office_downloads_the_receipts(client, issued, liaison, office_admin):
    receive(client, liaison, issued)
    client.force_login(office_admin)
    response = client.get(issued.get_absolute_url(), {"export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "收文地区或单位,签收人,签收时间"
    rows = {line.split(",")[0]: line.split(",")[1] for line in lines[1:]}
    assert rows["丘北县"] == str(liaison) and rows["西畴县"] == "未签收" and len(rows) == 20
    assert client.get(issued.get_absolute_url(), {"export": "xlsx"}).status_code == 200


def test_a_liaison_cannot_download_the_receipts(client, issued, liaison):
    client.force_login(liaison)
    assert client.get(issued.get_absolute_url(), {"export": "csv"}).status_code == 403


def test_the_migration_records_the_addressees_of_circulars_issued_before(issued):
    import importlib

    from django.apps import apps

    from reports.models import IssuedAddressee

    recorded = [str(a) for a in addressees(issued)]
    IssuedAddressee.objects.all().delete()  # as issued before addressees were recorded
    migration = importlib.import_module("reports.migrations.0005_issued_addressees")
    migration.record_issued_addressees(apps, None)
    assert [str(a) for a in addressees(issued)] == recorded and len(recorded) == 20
