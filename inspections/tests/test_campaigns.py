"""Campaign pages (专项排查整治): office pages in the office's scope; adding items opens
their rectification tasks; lists stay bounded in queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import rectification
from inspections.models import Campaign, CampaignItem
from newmedia.models import Account
from sites.models import Website
from sites.roles import Role

CAMPAIGN_PAGES = ["inspections:campaign", "inspections:campaign_edit",
                  "inspections:campaign_items_add"]


@pytest.fixture
def qiubei_admin(make_user, region):
    return make_user(Role.ADMIN, region=region("丘北县"))


def new_campaign(region, name="2022年专项排查整治") -> Campaign:
    return Campaign.objects.create(region=region, name=name,
                                   started_on=datetime.date(2022, 3, 1),
                                   checked_on=datetime.date(2022, 3, 31),
                                   deadline=datetime.date(2022, 4, 30))


def test_liaisons_may_not_open_campaign_pages(client, liaison, demo_campaign):
    client.force_login(liaison)
    assert client.get(reverse("inspections:campaign_list")).status_code == 403
    assert client.get(reverse("inspections:campaign_add")).status_code == 403
    for name in CAMPAIGN_PAGES:
        assert client.get(reverse(name, args=[demo_campaign.pk])).status_code == 403


def test_another_regions_admin_does_not_find_the_campaign(client, qiubei_admin, demo_campaign):
    client.force_login(qiubei_admin)
    for name in CAMPAIGN_PAGES:
        assert client.get(reverse(name, args=[demo_campaign.pk])).status_code == 404
    assert client.post(reverse("inspections:campaign_items_add", args=[demo_campaign.pk]),
                       {"targets": [], "result": "x"}).status_code == 404
    page = client.get(reverse("inspections:campaign_list")).content.decode()
    assert demo_campaign.name not in page


def test_leaders_read_but_do_not_change(client, demo_campaign, django_user_model):
    client.force_login(django_user_model.objects.get(username="leader"))
    page = client.get(demo_campaign.get_absolute_url()).content.decode()
    assert "曰者镇人民政府" in page and "添加问题账号" not in page
    assert client.get(reverse("inspections:campaign_edit", args=[demo_campaign.pk])).status_code == 403
    assert client.get(reverse("inspections:campaign_items_add",
                              args=[demo_campaign.pk])).status_code == 403


def test_the_campaign_page_lists_items_with_subject_unit_and_task(client, office_admin,
                                                                   demo_campaign):
    client.force_login(office_admin)
    response = client.get(demo_campaign.get_absolute_url())
    page = response.content.decode()
    assert response.context["table"].paginator.count == 14
    assert "云南省文山市砚山县盘龙乡调解委员会官方微博" in page  # 账号主体
    assert "砚山县盘龙乡人民政府" in page  # 责任单位
    task = demo_campaign.items.get(account__name="盘龙调解会").task
    assert f'href="{task.get_absolute_url()}">待整改</a>' in page
    assert "已整改 0 个，仍未整改 <strong>14</strong> 个" in page
    export = b"".join(client.get(demo_campaign.get_absolute_url() + "?export=csv")
                      .streaming_content).decode("utf-8-sig")
    assert "丘北县发展和改革局(丘北县粮食局)" in export and "未备案未注销" in export
    assert "微博" in export and "待整改" in export


def test_the_list_counts_items_and_those_still_open(client, office_admin, other_liaison,
                                                    demo_campaign):
    task = demo_campaign.items.get(account__name="华盖故里").task  # 西畴县's
    rectification.accept(rectification.submit(task, other_liaison, "已注销"), office_admin)
    client.force_login(office_admin)
    table = client.get(reverse("inspections:campaign_list")).context["table"]
    row = next(iter(table.rows))
    assert (row.get_cell("item_count"), row.get_cell("open_count")) == (14, 13)


def test_admins_create_and_edit_a_campaign(client, office_admin, region):
    client.force_login(office_admin)
    data = {"region": region("文山州").pk, "name": "2022年专项排查整治", "started_on": "2022-03-01",
            "checked_on": "2022-03-31", "deadline": "2022-04-30", "description": ""}
    response = client.post(reverse("inspections:campaign_add"), data)
    campaign = Campaign.objects.get(name="2022年专项排查整治")
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    data["checked_on"] = "2022-02-01"
    response = client.post(reverse("inspections:campaign_edit", args=[campaign.pk]), data)
    assert "核查日期不能早于开始日期" in response.content.decode()


def test_the_add_page_offers_running_accounts_without_filing(client, office_admin, demo):
    campaign = new_campaign(office_admin.region)
    Account.objects.filter(name="华盖故里").update(status="cancelled",
                                                  closed_on=datetime.date(2022, 1, 5))
    client.force_login(office_admin)
    url = reverse("inspections:campaign_items_add", args=[campaign.pk])
    names = {a.name for a in client.get(url).context["candidates"]}
    unfiled = set(Account.objects.filter(filing="unfiled", status="running")
                  .values_list("name", flat=True))
    assert names == unfiled and len(names) == 13 and "华盖故里" not in names
    everything = client.get(url, {"q": "文山"}).context["candidates"]
    assert any(a.filing == "filed" for a in everything)
    sites = client.get(url, {"target": "websites"}).context["candidates"]
    assert len(sites) == Website.objects.filter(status="running").count()


def test_adding_items_opens_their_tasks(client, office_admin, demo):
    campaign = new_campaign(office_admin.region)
    picked = list(Account.objects.filter(name__in=["华盖故里", "中国祖母绿"]))
    client.force_login(office_admin)
    url = reverse("inspections:campaign_items_add", args=[campaign.pk])
    response = client.post(url, {"targets": [a.pk for a in picked], "result": "未备案未注销"})
    assert response.status_code == 302
    items = list(campaign.items.select_related("task"))
    assert {i.account.name for i in items} == {"华盖故里", "中国祖母绿"}
    assert all(i.task.state == "open" and i.task.deadline == campaign.deadline for i in items)
    assert {i.unit_id for i in items} == {a.unit_id for a in picked}
    # once in the campaign an account is no longer offered, nor accepted twice
    assert not set(client.get(url).context["candidates"]) & set(picked)
    response = client.post(url, {"targets": [picked[0].pk], "result": "未备案未注销"})
    assert response.status_code == 200 and campaign.items.count() == 2


def test_adding_websites_and_the_result_is_required(client, office_admin, demo):
    campaign = new_campaign(office_admin.region)
    site = Website.objects.get(name="西畴县人民政府")
    client.force_login(office_admin)
    url = reverse("inspections:campaign_items_add", args=[campaign.pk]) + "?target=websites"
    assert "请至少选择" in client.post(url, {"result": "x"}).content.decode()
    assert client.post(url, {"targets": [site.pk], "result": ""}).status_code == 200
    assert client.post(url, {"targets": [site.pk], "result": "首页不可访问"}).status_code == 302
    item = campaign.items.get()
    assert (item.website, item.result, item.task.state) == (site, "首页不可访问", "open")
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "政府网站" in page and "西畴县人民政府" in page


def test_a_county_admin_cannot_add_another_countys_account(client, qiubei_admin):
    campaign = new_campaign(qiubei_admin.region)
    outside = Account.objects.get(name="华盖故里")  # 西畴县
    client.force_login(qiubei_admin)
    url = reverse("inspections:campaign_items_add", args=[campaign.pk])
    names = {a.name for a in client.get(url).context["candidates"]}
    assert names and "华盖故里" not in names and "曰者扶贫" in names
    response = client.post(url, {"targets": [outside.pk], "result": "未备案未注销"})
    assert response.status_code == 200 and not campaign.items.exists()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def grow(campaign: Campaign, extra_campaigns: int) -> None:
    """More campaigns, and website items on `campaign`, each with its task."""
    for n in range(extra_campaigns):
        other = new_campaign(campaign.region, name=f"专项{campaign.items.count()}-{n}")
        accounts = campaign.items.filter(account__isnull=False)[:3]
        other.items.bulk_create(CampaignItem(campaign=other, account=i.account, unit=i.unit,
                                             result="x") for i in accounts)
        rectification.ensure_campaign_tasks(other)
    for site in Website.objects.exclude(campaign_items__campaign=campaign)[:3]:
        campaign.items.create(website=site, unit=site.unit, result="首页不可访问")
    rectification.ensure_campaign_tasks(campaign)


@pytest.mark.parametrize(("list_suffix", "page_suffix"), [
    ("", ""), ("?export=csv", "?export=csv"), ("?sort=-open_count", "?sort=-state&state=open"),
])
def test_campaign_pages_are_bounded(client, office_admin, demo_campaign, list_suffix, page_suffix,
                                    django_assert_max_num_queries):
    client.force_login(office_admin)
    for url in (reverse("inspections:campaign_list") + list_suffix,
                demo_campaign.get_absolute_url() + page_suffix):
        small = count_queries(client, url)
        grow(demo_campaign, 5)
        with django_assert_max_num_queries(small):
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert small <= 14


def test_the_add_page_is_bounded(client, office_admin, demo_campaign,
                                 django_assert_max_num_queries):
    campaign = new_campaign(office_admin.region)
    client.force_login(office_admin)
    url = reverse("inspections:campaign_items_add", args=[campaign.pk]) + "?q=县"
    small = count_queries(client, url)
    Account.objects.bulk_create(Account(name=f"测试县账号{n}", platform="wechat",
                                        unit=Account.objects.first().unit) for n in range(50))
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
