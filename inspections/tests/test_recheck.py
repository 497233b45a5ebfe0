"""Recheck (复查): the previous quarter's findings, rectified or still open, on the next
quarter's check page; and the campaigns' items still open at a quarter's end."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import rectification
from inspections.models import Finding, Inspection, Scheme
from inspections.recheck import (
    open_campaign_items,
    previous_quarter_rectification,
    recheck_context,
)
from sites.models import Region, User


def find(check: Inspection, site: str, problem: str) -> Finding:
    return Finding.objects.create(assessment=check.assessments.get(website__name=site),
                                  description=problem)


def submitter() -> User:
    """Who reports on a task (the demo liaison): nobody may accept their own submission."""
    return User.objects.get(username="liaison")


@pytest.fixture
def two_quarters(demo_inspections):
    """Q4 2021 with three findings (one rectified, one submitted, one open) and the next
    quarter's check, 2022 Q1."""
    q4 = demo_inspections[4]
    admin = User.objects.get(username="admin")
    find(q4, "西畴县人民政府", "空白栏目5个")
    find(q4, "丘北县人民政府", "栏目长期未更新")
    find(q4, "马关县人民政府", "政策解读比例不足")
    tasks = {t.finding.description: t for t in rectification.ensure_inspection_tasks(q4)}
    rectification.accept(rectification.submit(tasks["空白栏目5个"], submitter(), "已补充"), admin)
    rectification.submit(tasks["栏目长期未更新"], submitter(), "已更新")
    q1 = Inspection.objects.create(
        region=q4.region, year=2022, quarter=1, target="websites",
        window_start=datetime.date(2022, 2, 1), window_end=datetime.date(2022, 3, 5),
        scheme=Scheme.objects.default_for("websites"))
    return q4, q1


def test_the_next_quarter_counts_found_done_and_open(two_quarters):
    q4, q1 = two_quarters
    found, done, open_tasks = previous_quarter_rectification(q1)
    assert (found, done) == (3, 1)
    assert [(t.finding.description, t.state) for t in open_tasks] == [
        ("政策解读比例不足", "open"), ("栏目长期未更新", "submitted")]  # 马关县 before 丘北县
    assert previous_quarter_rectification(q4) == (0, 0, [])  # Q3 had no findings


def test_another_target_or_region_has_its_own_recheck(two_quarters):
    q4, _ = two_quarters
    newmedia = Inspection(region=q4.region, year=2022, quarter=1, target="newmedia")
    assert previous_quarter_rectification(newmedia).found == 0
    county = Inspection(region=Region.objects.get(name="丘北县"), year=2022, quarter=1,
                        target="websites")
    assert previous_quarter_rectification(county).found == 0


def test_a_finding_without_a_task_is_open(two_quarters):
    q4, q1 = two_quarters
    find(q4, "文山市人民政府", "搜索功能不可用")
    result = previous_quarter_rectification(q1)
    assert (result.found, result.done, result.still_open) == (4, 1, 3)
    untasked = [t for t in result.open_tasks if t.pk is None]
    assert [t.finding.description for t in untasked] == ["搜索功能不可用"]


def test_the_check_page_shows_the_open_findings(client, office_admin, two_quarters):
    q4, q1 = two_quarters
    client.force_login(office_admin)
    page = client.get(q1.get_absolute_url()).content.decode()
    assert "上季度问题整改情况（复查）" in page
    assert "发现问题 <strong>3</strong> 个，已整改 1 个，尚有 <strong>2</strong> 个未整改" in page
    assert "政策解读比例不足" in page and "空白栏目5个" not in page
    task = q4.assessments.get(website__name="丘北县人民政府").findings.get().task
    assert f'href="{task.get_absolute_url()}">已提交</a>' in page
    assert "复查" not in client.get(q4.get_absolute_url()).content.decode()


def test_the_recheck_is_bounded(two_quarters):
    q4, q1 = two_quarters

    def count() -> int:
        check = type(q1).objects.get(pk=q1.pk)  # a fresh instance: nothing looked up yet
        with CaptureQueriesContext(connection) as queries:
            tasks = recheck_context(check)["rectification"].open_tasks
            assert all(str(t.unit) and t.finding.assessment.target.name for t in tasks)
        return len(queries)

    before = count()
    for n in range(15):
        find(q4, "富宁县人民政府", f"问题{n}")
    rectification.ensure_inspection_tasks(q4)
    find(q4, "广南县人民政府", "未下发任务的问题")
    assert count() == before <= 3


def test_open_campaign_items_at_a_quarters_end(demo_campaign):
    top = demo_campaign.region
    assert open_campaign_items(top, datetime.date(2021, 9, 30)) == []
    items = open_campaign_items(top, datetime.date(2021, 12, 31))
    assert [i.account.name for i in items][:2] == ["qbxfgj", "共青团官寨乡委员会"]
    assert len(items) == 14
    qiubei = open_campaign_items(Region.objects.get(name="丘北县"), datetime.date(2021, 12, 31))
    assert len(qiubei) == 9
    admin = User.objects.get(username="admin")
    rectification.accept(rectification.submit(items[0].task, submitter(), "已注销"), admin)
    assert len(open_campaign_items(top, datetime.date(2022, 3, 31))) == 13


def test_the_open_findings_download_with_the_checks_tables(client, office_admin, two_quarters):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    _, q1 = two_quarters
    client.force_login(office_admin)
    url = reverse("inspections:inspection_statistics", args=[q1.pk])
    response = client.get(url, {"export": "csv", "table": "recheck"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "地区/单位,检查对象,存在问题,整改期限,状态" and len(lines) == 3
    assert "马关县人民政府,政策解读比例不足" in lines[1] and lines[2].endswith("已提交")
    book = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    assert "上季度未整改问题" in book.sheetnames
