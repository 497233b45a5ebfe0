"""The check page: progress, statistics, recheck and circulars in a bounded number of queries;
its tables and their downloads."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.models import Assessment, Finding
from inspections.rectification import ensure_tasks
from newmedia.models import Account
from sites.models import Unit, User


def test_the_check_page_shows_progress_and_statistics(client, office_admin, demo_inspections):
    client.force_login(office_admin)
    page = client.get(reverse("inspections:inspection", args=[demo_inspections[4].pk])).content.decode()
    assert "已评分 <strong>10</strong> / 10" in page
    assert "84.01" in page and "74.94" in page  # averages, exact to two decimals on this page
    assert "<svg" in page  # the charts are server-rendered
    assert "下载全部统计表（Excel）" in page and "table=regions" in page


def grow_new_media_check(demo_inspections, rows: int):
    check = Assessment.objects.filter(account__isnull=False).first().inspection
    units = list(Unit.objects.all()[:10])
    accounts = Account.objects.bulk_create(
        Account(name=f"增补账号{i}", platform="douyin", unit=units[i % 10]) for i in range(rows))
    Assessment.objects.bulk_create(
        Assessment(inspection=check, account=a, unit_id=a.unit_id, passed=True,
                   scored_at=datetime.datetime(2021, 12, 31, tzinfo=datetime.UTC)) for a in accounts)
    return check


def website_check_after_findings(demo_inspections, rows: int):
    """Q4's website check, whose previous quarter has `rows` findings with their tasks (the
    recheck lists them)."""
    q3 = demo_inspections[3]
    assessments = list(q3.assessments.all())
    Finding.objects.bulk_create(
        Finding(assessment=assessments[i % len(assessments)], description=f"栏目{i}未更新")
        for i in range(max(rows, 2)))
    ensure_tasks(Finding.objects.select_related("assessment__inspection"))
    return demo_inspections[4]


@pytest.mark.parametrize("check", [grow_new_media_check, website_check_after_findings],
                         ids=["new media", "websites after a quarter with findings"])
@pytest.mark.parametrize("grow", [0, 300])
def test_the_check_page_runs_at_most_twenty_queries(client, office_admin, demo_inspections, grow,
                                                    check, django_assert_max_num_queries):
    inspection = check(demo_inspections, grow)
    client.force_login(office_admin)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("inspections:inspection", args=[inspection.pk]))
    assert page.status_code == 200


# Downloads: one workbook with a sheet per table, or one table.

def download(client, inspection, **query):
    return client.get(reverse("inspections:inspection_statistics", args=[inspection.pk]), query)


def test_the_statistics_workbook_holds_every_table_of_the_page(client, office_admin,
                                                                demo_inspections):
    client.force_login(office_admin)
    response = download(client, demo_inspections[4], export="xlsx")
    assert response.status_code == 200
    assert quote("2021年四季度政府网站检查统计") in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["评分进度", "检查概况", "不合格原因", "一级指标平均得分",
                               "各地区检查情况", "得分最高和最低", "连续两个季度不合格"]
    rows = {sheet: [[c.value for c in row] for row in book[sheet].iter_rows()]
            for sheet in book.sheetnames}
    assert rows["检查概况"][0] == ["项目", "2021年四季度", "2021年三季度"]
    assert ["平均得分", 84.01, 74.94] in rows["检查概况"]  # numbers, as on the page
    assert ["合格率", "100%", "100%"] in rows["检查概况"]
    assert rows["一级指标平均得分"][1] == ["发布解读（31分）", 26.39, 23.94]
    assert rows["各地区检查情况"][-1] == ["合计", 10, 0, 0, "100%"]
    assert rows["评分进度"][0] == ["检查员", "已评分", "分配", "不合格"]  # no link column
    assert rows["不合格原因"] == [["原因", "不合格数", "占检查数比例"]]


def test_each_table_downloads_as_csv(client, office_admin, demo_inspections):
    client.force_login(office_admin)
    response = download(client, demo_inspections[4], export="csv", table="regions")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == ["地区", "检查数", "问题数", "不合格数", "合格率"]
    assert lines[-1] == ["合计", "10", "0", "0", "100%"]
    assert download(client, demo_inspections[4], export="csv", table="nothing").status_code == 404
    assert download(client, demo_inspections[4], export="csv").status_code == 404


def test_the_downloads_are_bounded_too(client, office_admin, demo_inspections,
                                       django_assert_max_num_queries):
    inspection = website_check_after_findings(demo_inspections, 300)
    client.force_login(office_admin)
    with django_assert_max_num_queries(20):
        assert download(client, inspection, export="xlsx").status_code == 200


# 查看未评分: each inspector's link lists their own unscored targets.

def test_each_inspectors_link_lists_their_unscored_targets(client, office_admin, scoring_check):
    inspector = User.objects.get(username="inspector")
    mine = list(scoring_check.assessments.order_by("pk")[:3])
    Assessment.objects.filter(pk__in=[a.pk for a in mine]).update(assigned_to=office_admin)
    Assessment.objects.filter(pk=mine[0].pk).update(
        scored_at=datetime.datetime(2022, 3, 1, tzinfo=datetime.UTC), passed=True)
    client.force_login(office_admin)
    page = client.get(scoring_check.get_absolute_url()).content.decode()
    link = f"?result=unscored&amp;assigned_to={office_admin.pk}"
    assert link in page and f"?result=unscored&amp;assigned_to={inspector.pk}" in page
    listed = client.get(reverse("inspections:inspection_assessments", args=[scoring_check.pk]),
                        {"result": "unscored", "assigned_to": office_admin.pk})
    assert listed.context["table"].paginator.count == 2
    assert {row.record.pk for row in listed.context["table"].rows} == {mine[1].pk, mine[2].pk}
    nobody = client.get(reverse("inspections:inspection_assessments", args=[scoring_check.pk]),
                        {"assigned_to": "null"})
    assert nobody.context["table"].paginator.count == 0
