"""The home page's 待办 from the circulars: those the user signs for (签收) and nobody has
signed yet. circulars_to_sign is signatory_for put as one query: the two must agree."""

import pytest
from django.urls import reverse

from common.todo import todos_for
from reports.addressees import circulars_to_sign, signatory_for
from reports.issuing import receive
from sites.models import Region, Unit
from sites.roles import Role


@pytest.fixture
def readers(issued, make_user, liaison, office_admin):
    """Everyone the demo's issued circular reaches, or not, in each way a user can be scoped."""
    wenshan = Region.objects.get(name="文山州")
    archive = Unit.objects.create(name="文山州档案馆", region=wenshan)  # nothing checked
    hrss = Unit.objects.get(name="文山州人力资源和社会保障局")
    qiubei_unit = Unit.objects.get(name="丘北县人力资源和社会保障局")
    return {
        "county": liaison,
        "department": make_user(Role.LIAISON, unit=hrss),
        "sub-unit": make_user(Role.LIAISON, unit=Unit.objects.create(
            name="文山州人社局信息中心", region=wenshan, parent=hrss)),
        "unchecked department": make_user(Role.LIAISON, unit=archive),
        "issuing office": make_user(Role.LIAISON, unit=Unit.objects.get(name="文山州人民政府办公室")),
        "county department": make_user(Role.LIAISON, unit=qiubei_unit),
        "top region": make_user(Role.LIAISON, region=wenshan),
        "admin": office_admin,
    }


SIGNS = {"county", "department"}


def test_the_query_agrees_with_the_rule_for_every_kind_of_reader(issued, readers):
    for who, user in readers.items():
        by_rule = signatory_for(issued, user) is not None
        assert by_rule == (who in SIGNS), who
        assert list(circulars_to_sign(user)) == ([issued] if by_rule else []), who


def test_a_signed_circular_is_no_longer_waiting(issued, readers):
    for who in SIGNS:
        receive(issued, readers[who])
        assert not circulars_to_sign(readers[who]).exists(), who


def test_the_todo_links_to_the_circulars_to_sign(client, issued, readers):
    liaison = readers["county"]
    todo = {t.label: t for t in todos_for(liaison)}["待签收的通报"]
    assert todo.count == 1 and todo.url == reverse("reports:circular_list") + "?to_sign=true"
    client.force_login(liaison)
    listed = client.get(todo.url).context["table"]
    assert [row.record for row in listed.rows] == [issued]
    assert "待签收的通报" not in {t.label for t in todos_for(readers["admin"])}
