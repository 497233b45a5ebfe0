"""The campaign's open accounts (annex 2 of seed 000) and the recheck of the previous
quarter's findings, in the circular's text and annexes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import rectification
from inspections.campaign_demo import load_campaigns
from inspections.models import Assessment, Campaign, Finding, Inspection, RectificationTask, Scheme
from reports.annexes import open_campaign_items, open_findings
from reports.assembly import build_document, circular_data, new_circular
from reports.choices import AnnexKind
from reports.tests.test_annexes import SEED
from sites.models import Region, User

SENTENCE = ("截至12月31日，2021年上半年专项排查整治工作仍有14个问题账号未整改，"
            "其中微信公众号问题账号11个（丘北县9个、西畴县1个、麻栗坡县1个），"
            "微博问题账号3个（砚山县1个、麻栗坡县1个、文山州三七中医药发展中心1个）。")


def submitter() -> User:
    """Who reports on a task (the demo liaison): nobody may accept their own submission."""
    return User.objects.get(username="liaison")


def seed_annex_2() -> tuple[list[str], list[list[str]], str]:
    """Annex 2 of seed 000 as it was published: header, rows and note."""
    from pathlib import Path

    from django.conf import settings

    path = Path(SEED)
    if not path.exists():  # the seeds live beside the project in the workplace
        path = Path(settings.BASE_DIR).parent / "shared" / "seeds" / path.name
    annex = path.read_text(encoding="utf-8").split("\n附件 2\n")[1]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in annex.splitlines()
            if line.startswith("| ") and "----" not in line]
    note = next(line for line in annex.splitlines() if line.startswith("注："))
    return rows[0], rows[1:], note.replace(" ", "")


@pytest.fixture
def demo_campaign(demo, demo_inspections):
    load_campaigns(demo)
    return Campaign.objects.get()


def q4(year=2021, quarter=4):
    return new_circular(Region.objects.get(name="文山州"), year, quarter)


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.body]


def problems_text(document) -> str:
    section = next(s for s in document.sections if s.heading.endswith("存在问题"))
    return "".join(p.lead + p.text for p in section.paragraphs)


def test_the_annex_reproduces_annex_2_of_seed_000(demo_campaign):
    header, rows, note = seed_annex_2()
    assert len(rows) == 14
    document = build_document(q4())
    annex = next(a for a in document.annexes if a.key == AnnexKind.OPEN_CAMPAIGN_ITEMS)
    assert annex.number == 2
    assert annex.title == "2021年上半年专项排查整治工作仍未整改问题账号"
    # the seed writes 帐号名称 in the header; the portal keeps to the catalogue's 账号名称
    assert [c.text for c in annex.table.header[0]] == [h.replace("帐", "账") for h in header]
    assert texts(annex.table) == rows
    assert annex.table.note == note == "注：数据监测采样时间为2021年12月31日。"


def test_a_new_circular_carries_it_and_the_text_counts_it(demo_campaign):
    circular = q4()
    assert circular.annexes == [AnnexKind.WEBSITE_MATRIX, AnnexKind.OPEN_CAMPAIGN_ITEMS]
    document = build_document(circular)
    assert document.attachment_titles == ["2021年四季度全州在运行政府网站检查得分情况",
                                          "2021年上半年专项排查整治工作仍未整改问题账号"]
    assert SENTENCE in problems_text(document)


def test_an_accepted_item_leaves_the_annex_and_the_count(demo_campaign):
    admin = User.objects.get(username="admin")
    task = demo_campaign.items.get(account__name="华盖故里").task
    rectification.accept(rectification.submit(task, submitter(), "已注销"), admin)
    data = circular_data(q4())
    table = open_campaign_items(data)
    assert len(table.body) == 13 and "华盖故里" not in str(texts(table))
    assert [row[0] for row in texts(table)] == [str(n) for n in range(1, 14)]
    text = problems_text(build_document(q4()))
    assert "仍有13个问题账号未整改，其中微信公众号问题账号10个（丘北县9个、麻栗坡县1个）" in text


def test_every_item_accepted_leaves_no_annex(demo_campaign):
    admin = User.objects.get(username="admin")
    for item in demo_campaign.items.select_related("task"):
        rectification.accept(rectification.submit(item.task, submitter(), "已注销"), admin)
    assert open_campaign_items(circular_data(q4())) is None
    assert AnnexKind.OPEN_CAMPAIGN_ITEMS not in q4().annexes


def test_a_campaign_checked_after_the_quarter_is_left_out(demo_campaign):
    data = circular_data(q4(2021, 3))
    assert data.open_campaign_items == () and open_campaign_items(data) is None
    assert AnnexKind.OPEN_CAMPAIGN_ITEMS not in q4(2021, 3).annexes


def test_two_campaigns_share_one_annex_with_a_campaign_column(demo_campaign):
    other = Campaign.objects.create(
        region=demo_campaign.region, name="2021年下半年专项排查整治",
        started_on=datetime.date(2021, 10, 1), checked_on=datetime.date(2021, 12, 20),
        deadline=datetime.date(2022, 1, 31))
    item = demo_campaign.items.get(account__name="华盖故里")
    other.items.create(account=item.account, unit=item.unit, result="长期不更新")
    rectification.ensure_campaign_tasks(other)
    document = build_document(q4())
    annex = next(a for a in document.annexes if a.key == AnnexKind.OPEN_CAMPAIGN_ITEMS)
    assert annex.title == "专项排查整治工作仍未整改问题账号"
    assert [c.text for c in annex.table.header[0]][:3] == ["序号", "专项排查整治", "账号类型"]
    assert texts(annex.table)[0][1:] == ["2021年下半年专项排查整治", "微信公众号", "华盖故里",
                                         "西畴县法斗乡人民政府", "长期不更新"]
    assert annex.table.note == "注：数据监测采样时间为2021年12月20日；2021年12月31日。"
    text = problems_text(document)
    assert "2021年下半年专项排查整治工作仍有1个问题账号未整改，其中微信公众号问题账号1个（西畴县1个）；" in text


# 复查: the previous quarter's findings in the next quarter's circular ------------------------------

@pytest.fixture
def q4_findings(demo_inspections):
    """Three findings of 2021 Q4's website check, each with its task; one accepted."""
    check = demo_inspections[4]
    admin = User.objects.get(username="admin")
    for name, problem in (("西畴县人民政府", "空白栏目5个"), ("丘北县人民政府", "栏目长期未更新"),
                          ("马关县人民政府", "政策解读比例不足")):
        Finding.objects.create(assessment=Assessment.objects.get(inspection=check,
                                                                 website__name=name),
                               description=problem)
    tasks = rectification.ensure_inspection_tasks(check)
    done = next(t for t in tasks if t.finding.description == "空白栏目5个")
    rectification.accept(rectification.submit(done, submitter(), "已补充栏目内容"), admin)
    Inspection.objects.create(
        region=check.region, year=2022, quarter=1, target="websites",
        window_start=datetime.date(2022, 2, 1), window_end=datetime.date(2022, 3, 5),
        scheme=Scheme.objects.default_for("websites"))
    return check


def test_the_next_circular_states_the_recheck_and_lists_the_open_findings(q4_findings):
    circular = q4(2022, 1)
    assert AnnexKind.OPEN_FINDINGS in circular.annexes
    document = build_document(circular)
    annex = next(a for a in document.annexes if a.key == AnnexKind.OPEN_FINDINGS)
    assert annex.title == "2021年四季度检查发现问题尚未整改清单"
    assert [c.text for c in annex.table.header[0]] == ["序号", "地区/单位", "检查对象", "存在问题",
                                                      "整改期限", "状态"]
    rows = texts(annex.table)
    assert [row[1:4] for row in rows] == [["马关县", "马关县人民政府", "政策解读比例不足"],
                                         ["丘北县", "丘北县人民政府", "栏目长期未更新"]]
    assert all(row[5].startswith("待整改") for row in rows)
    overview = "".join(p.text for p in document.sections[0].paragraphs)
    assert f"上季度发现问题3个，已整改1个，尚有2个未整改（见附件{annex.number}）。" in overview


def test_the_open_findings_are_stated_as_of_the_circulars_date(q4_findings):
    circular = q4(2022, 1)
    deadline = RectificationTask.objects.exclude(state="accepted").first().deadline
    for day, state in ((deadline, "待整改"), (deadline + datetime.timedelta(days=1), "待整改（已逾期）")):
        circular.date = day
        table = open_findings(circular_data(circular))
        assert {row[5] for row in texts(table)} == {state}
        assert table.note == f"注：整改状态统计截至{day.year}年{day.month}月{day.day}日。"


def test_a_finding_without_a_task_counts_as_open(q4_findings):
    Finding.objects.create(assessment=q4_findings.assessments.get(website__name="文山市人民政府"),
                           description="搜索功能不可用")
    data = circular_data(q4(2022, 1))
    rows = texts(open_findings(data))
    assert data.rectification["websites"].found == 4 and len(rows) == 3
    assert ["文山市", "文山市人民政府", "搜索功能不可用", "", "未下发整改任务"] in [r[1:] for r in rows]


def test_everything_rectified_says_so_and_drops_the_annex(q4_findings):
    admin = User.objects.get(username="admin")
    for task in RectificationTask.objects.exclude(state="accepted"):
        rectification.accept(rectification.submit(task, submitter(), "已整改"), admin)
    circular = q4(2022, 1)
    assert open_findings(circular_data(circular)) is None
    assert AnnexKind.OPEN_FINDINGS not in circular.annexes
    overview = "".join(p.text for p in build_document(circular).sections[0].paragraphs)
    assert "上季度发现问题3个，已全部整改。" in overview


def test_the_circular_data_is_bounded(q4_findings, demo_campaign):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            build_document(q4(2022, 1))
        return len(queries)

    before = count()
    for n in range(20):
        Finding.objects.create(assessment=q4_findings.assessments.get(website__name="富宁县人民政府"),
                               description=f"问题{n}")
    rectification.ensure_inspection_tasks(q4_findings)
    assert count() == before
