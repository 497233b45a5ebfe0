"""The pages: scope on every list, detail, export and statistics (another region's
liaison gets 404 or sees nothing), permissions for actions, and bounded queries.
Anonymous users are sent to the login page by tests/test_access.py."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from interaction.choices import ChannelKind, MessageStatus
from interaction.models import Channel, Message
from sites.models import Region, Unit
from sites.roles import Role

pytestmark = pytest.mark.usefixtures("demo_messages")

Q4 = {"period": "2021-4"}
LISTS = {"interaction:message_list": {"quarter": "2021-4"}, "interaction:channel_list": {},
         "interaction:statistics": Q4}


def content(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(",".join(str(v) for v in row if v is not None)
                         for row in sheet.iter_rows(values_only=True))
    return response.content.decode()


def xichou_message():
    return Message.objects.get(external_id="5205")  # 西畴县农业农村局


def qiubei_message():
    return Message.objects.get(external_id="1001")  # 丘北县教育体育局


# Scope

@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("export", ["", "xlsx", "csv"])
def test_lists_and_exports_hold_only_the_users_scope(client, liaison, name, export):
    client.force_login(liaison)
    response = client.get(reverse(name), {**LISTS[name], **({"export": export} if export else {})})
    assert response.status_code == 200
    text = content(response)
    assert "丘北" in text
    assert "西畴" not in text and "文山州教育体育局" not in text and "州长信箱" not in text


def test_the_other_liaison_sees_their_own(client, other_liaison):
    client.force_login(other_liaison)
    page = client.get(reverse("interaction:message_list")).content.decode()
    assert "5205" in page and "1001" not in page
    stats = client.get(reverse("interaction:statistics"), Q4).content.decode()
    assert "西畴县农业农村局" in stats and "丘北" not in stats


@pytest.mark.parametrize("name", ["interaction:message", "interaction:message_edit"])
def test_another_regions_message_is_not_found(client, liaison, make_user, region, name):
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    assert client.get(reverse(name, args=[xichou_message().pk])).status_code == 404
    assert client.get(reverse(name, args=[qiubei_message().pk])).status_code == 200
    client.force_login(liaison)
    assert client.get(reverse("interaction:message", args=[xichou_message().pk])).status_code == 404


def test_a_message_page_shows_its_deadline_and_state(client, liaison):
    client.force_login(liaison)
    page = client.get(reverse("interaction:message", args=[qiubei_message().pk])).content.decode()
    assert "2021年10月15日" in page and "已办结" in page


def test_channel_counts_hold_only_the_users_messages(client, liaison):
    client.force_login(liaison)
    rows = content(client.get(reverse("interaction:channel_list"), {"export": "csv"}))
    assert "我为政府网站找错,国家级平台,3,,,0" in rows  # 8 messages, none of 丘北县
    assert "省政府网站曝光平台,省级平台,3,,,1" in rows
    assert "丘北县人民政府网站县长信箱,网站互动栏目,5,丘北县人民政府,丘北县,7" in rows


def test_another_regions_channel_is_not_found(client, liaison):
    client.force_login(liaison)
    prefecture = Channel.objects.get(name="文山州人民政府网站州长信箱")
    shared = Channel.objects.get(name="我为政府网站找错")
    assert client.get(reverse("interaction:channel", args=[prefecture.pk])).status_code == 404
    assert client.get(reverse("interaction:channel", args=[shared.pk])).status_code == 200


@pytest.mark.parametrize("name", ["interaction:message_list", "interaction:statistics"])
def test_filtering_or_exporting_another_region_is_not_found(client, liaison, name):
    params = {**LISTS[name], "region": Region.objects.get(name="西畴县").pk}
    client.force_login(liaison)
    assert client.get(reverse(name), {**params, "export": "xlsx"}).status_code == 404
    page = client.get(reverse(name), params).content.decode()
    assert "筛选条件有误" in page and "西畴" not in page


# Filters and the statistics table

def test_filters_by_quarter_state_and_overdue(client, office_admin):
    client.force_login(office_admin)
    url = reverse("interaction:message_list")

    def ids(**params):
        return sorted(line.split(",")[1] for line in
                      content(client.get(url, {**params, "export": "csv"})).splitlines()[1:])

    assert len(ids(quarter="2021-4")) == 36 and ids(quarter="2021-3") == []
    assert ids(status=MessageStatus.IN_PROGRESS) == ["2114", "3105", "5204"]
    assert ids(overdue="yes") == sorted(["3104", "3107", "5202", "2104", "2110", "1003",
                                         "3105", "3109", "5204", "2108", "2114", "1005"])
    assert len(ids(overdue="no")) == 24
    channel = Channel.objects.get(name="丘北县人民政府网站县长信箱")
    assert ids(channel=channel.pk) == [f"100{i}" for i in range(1, 8)]
    assert "逾期" in client.get(url, {"overdue": "yes"}).content.decode()


def test_the_statistics_export_has_a_row_per_unit_and_the_total(client, office_admin):
    client.force_login(office_admin)
    response = client.get(reverse("interaction:statistics"), {**Q4, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("所属地区", "所属单位", "收到留言", "已回复", "按时回复", "逾期回复", "未回复",
                       "逾期未回复", "期限暂定", "按时回复率")
    assert rows[-1] == ("合计", None, 36, 30, 24, 6, 6, 6, 0, "66.67%")
    assert ("文山州", "文山州教育体育局", 2, 1, 1, 0, 1, 1, 0, "50%") in rows
    assert [row[0] for row in rows[1:3]] == ["文山州", "文山州"]  # the prefecture's code first
    assert len(rows) == 2 + len(set(Message.objects.values_list("unit", flat=True)))


# Permissions for actions

@pytest.mark.parametrize("name", ["interaction:message_add", "interaction:channel_add"])
def test_liaisons_may_not_add(client, liaison, name):
    client.force_login(liaison)
    assert client.get(reverse(name)).status_code == 403


def test_liaisons_may_not_edit_even_their_own(client, liaison):
    client.force_login(liaison)
    url = reverse("interaction:message_edit", args=[qiubei_message().pk])
    assert client.get(url).status_code == 403


def test_an_admin_records_a_message_and_its_reply(client, office_admin):
    client.force_login(office_admin)
    channel = Channel.objects.get(name="我为政府网站找错")
    police = Unit.objects.get(name="丘北县公安局")
    response = client.post(reverse("interaction:message_add"), {
        "channel": channel.pk, "external_id": "9001", "unit": police.pk,
        "received_at": "2021-09-30", "replied_at": "2021-10-11",
        "status": MessageStatus.IN_PROGRESS, "note": "",
    })
    assert response.status_code == 302
    message = Message.objects.get(external_id="9001")
    assert (message.deadline, message.status) == (datetime.date(2021, 10, 11),
                                                  MessageStatus.HANDLED)


def test_the_form_names_a_unit_outside_the_channels_region(client, office_admin):
    client.force_login(office_admin)
    channel = Channel.objects.get(name="丘北县人民政府网站县长信箱")
    page = client.post(reverse("interaction:message_add"), {
        "channel": channel.pk, "external_id": "9002",
        "unit": Unit.objects.get(name="西畴县公安局").pk, "received_at": "2021-10-08",
        "status": MessageStatus.UNHANDLED,
    }).content.decode()
    assert "所属单位应在渠道" in page
    assert not Message.objects.filter(external_id="9002").exists()


def test_only_the_top_office_edits_shared_channels(client, office_admin, make_user, region):
    shared = Channel.objects.get(name="我为政府网站找错")
    url = reverse("interaction:channel_edit", args=[shared.pk])
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    assert client.get(url).status_code == 404
    own = Channel.objects.get(name="丘北县人民政府网站县长信箱")
    assert client.get(reverse("interaction:channel_edit", args=[own.pk])).status_code == 200
    client.force_login(office_admin)
    response = client.post(url, {"name": shared.name, "kind": ChannelKind.NATIONAL,
                                 "reply_days": 4})
    assert response.status_code == 302
    assert Message.objects.get(external_id="3101").deadline == datetime.date(2021, 10, 12)


def test_a_county_admin_cannot_create_a_shared_channel(client, make_user, region):
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    page = client.post(reverse("interaction:channel_add"), {
        "name": "新平台", "kind": ChannelKind.PROVINCIAL, "reply_days": 3,
    }).content.decode()
    assert "请选择所属地区" in page
    assert not Channel.objects.filter(name="新平台").exists()


# Bounded queries

def grow(rows: int) -> None:
    channel = Channel.objects.get(name="我为政府网站找错")
    units = list(Unit.objects.filter(region__name="丘北县"))
    Message.objects.bulk_create(
        Message(channel=channel, external_id=f"g{rows}-{i}", unit=units[i % len(units)],
                received_at=datetime.date(2021, 11, 1), deadline=datetime.date(2021, 11, 4),
                replied_at=datetime.date(2021, 11, 3) if i % 3 else None)
        for i in range(rows)
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert content(client.get(url))
    return len(queries)


@pytest.mark.parametrize("url", [
    reverse("interaction:message_list"),
    reverse("interaction:message_list") + "?export=xlsx",
    reverse("interaction:message_list") + "?export=csv&overdue=yes&quarter=2021-4",
    reverse("interaction:message_list") + "?sort=-deadline&q=丘北",
    reverse("interaction:statistics") + "?period=2021-4",
    reverse("interaction:statistics") + "?period=2021&export=csv",
    reverse("interaction:statistics") + "?period=2021-4&sort=-received",
    reverse("interaction:channel_list"),
    reverse("interaction:channel_list") + "?export=xlsx",
])
def test_queries_do_not_grow_with_rows(client, liaison, url, django_assert_max_num_queries):
    client.force_login(liaison)
    grow(10)
    small = count_queries(client, url)
    grow(400)
    with django_assert_max_num_queries(small):
        assert content(client.get(url))
    assert small <= 14
