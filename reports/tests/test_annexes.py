"""Annex builders on the demo (annex 1 of seed 000) and on data with failures."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from inspections.assessments import Entry, save_entry
from inspections.scoring import SchemeTree
from reports.annexes import failing_newmedia, region_summary, website_matrix, website_results
from reports.assembly import build_document, circular_data, new_circular
from reports.choices import AnnexKind
from sites.models import Region, User

SEED = "/work/shared/seeds/000_d87b8da33bb0fa07.txt"


def seed_annex_1() -> list[list[str]]:
    """Annex 1 of seed 000 as it was published: the rows of its table."""
    from pathlib import Path

    from django.conf import settings

    path = Path(SEED)
    if not path.exists():  # the seeds live beside the project in the workplace
        path = Path(settings.BASE_DIR).parent / "shared" / "seeds" / path.name
    text = path.read_text(encoding="utf-8")
    table = text.split("\n附件 1\n")[1].split("注：")[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()
            if line.startswith("| ") and "----" not in line]
    return [r for r in rows if r[0] in {"发布解读（31分）", "办事服务（25分）", "互动交流（23分）",
                                        "功能设计（21分）", "得分"}]


@pytest.fixture
def q4_circular(demo_inspections):
    return new_circular(Region.objects.get(name="文山州"), 2021, 4)


def numbers(cells) -> list[Decimal]:
    return [Decimal(c) for c in cells]


def test_the_matrix_reproduces_annex_1_of_seed_000(q4_circular):
    table = website_matrix(circular_data(q4_circular))
    published = seed_annex_1()
    assert len(published) == 5
    got = [[cell.text for cell in row] for row in table.body]
    for mine, theirs in zip(got, published, strict=True):
        assert mine[0] == theirs[0]
        # all 72 group scores, the 得分 row and both averages, compared as numbers
        assert numbers(mine[1:]) == numbers(theirs[1:])
    averages = [row[-2:] for row in got]
    assert averages == [["26.4", "23.94"], ["18.2", "15.11"], ["21.2", "19.11"], ["18.2", "16.78"],
                        ["84", "74.9"]]
    header = [[cell.text for cell in row] for row in table.header]
    assert header[0][:4] == ["考核指标", "州政府", "文山市", "砚山县"]
    assert header[0][-2:] == ["四季度全州平均指标得分", "三季度全州平均指标得分"]
    assert header[1][:2] == ["四季度", "三季度"] and len(header[1]) == 18
    assert table.header[0][1].colspan == 2 and table.header[0][0].rowspan == 2
    assert table.landscape
    assert table.note == "注：数据监测采样时间为2021年11月1日-12月5日。"
    numeric = [c for row in table.body for c in row[1:]]
    assert all(isinstance(c.value, (int, float)) for c in numeric)


def test_the_draft_carries_the_matrix_and_its_title(q4_circular):
    document = build_document(q4_circular)
    assert [a.title for a in document.annexes] == ["2021年四季度全州在运行政府网站检查得分情况"]
    assert q4_circular.annexes == [AnnexKind.WEBSITE_MATRIX]


def test_the_overview_states_the_seeds_figures(q4_circular):
    text = "".join(p.lead + p.text for p in build_document(q4_circular).sections[0].paragraphs)
    assert "截至2021年12月31日，全州在“全国政府网站信息报送系统”中登记在运行政府网站10个" in text
    assert "经检查均为合格，总体合格率为100%" in text
    assert "四季度全州政府网站检查平均得分84分，较三季度74.9分有较大提升" in text
    assert "备案登记在运行政府系统政务新媒体113个" in text
    assert "四季度注销关停政府系统政务新媒体账号1个" in text


@pytest.fixture
def failures(demo_inspections):
    """Q4 with two failing sites: 西畴县 vetoed, 马关县 below the pass mark."""
    q4 = demo_inspections[4]
    q4.status = "scoring"
    q4.save()
    tree = SchemeTree.of(q4.scheme)
    admin = User.objects.get(username="admin")
    xichou = q4.assessments.get(website__name="西畴县人民政府")
    save_entry(xichou, Entry(points={tree.by_name["发布解读"]: Decimal(29)},
                             vetoes={tree.by_name["栏目不更新"]: "空白栏目数量达到5个"}),
               tree, user=admin, loaded_version=xichou.version)
    maguan = q4.assessments.get(website__name="马关县人民政府")
    save_entry(maguan, Entry(points={tree.by_name["发布解读"]: Decimal(17),
                                     tree.by_name["办事服务"]: Decimal(17),
                                     tree.by_name["互动交流"]: Decimal(22)}),
               tree, user=admin, loaded_version=maguan.version)
    return new_circular(Region.objects.get(name="文山州"), 2021, 4)


def column_of(table, site: str) -> int:
    """The this-quarter column of a site in the matrix (each site spans two columns)."""
    return 1 + 2 * [cell.text for cell in table.header[0][1:-2]].index(site)


def test_the_matrix_prints_a_vetoed_site_as_such_and_averages_what_it_shows(failures):
    table = website_matrix(circular_data(failures))
    xichou, maguan = column_of(table, "西畴县"), column_of(table, "马关县")
    *groups, totals = table.body
    assert (totals[xichou].text, totals[xichou].value) == ("单项否决", None)
    assert [row[xichou].text for row in groups] == ["", "", "", ""]  # its points count for nothing
    assert [row[maguan].text for row in (*groups, totals)] == ["17", "17", "22", "", "56.0"]
    assert totals[xichou + 1].text == "77.0"  # its previous quarter, not vetoed, as printed
    for row in table.body:  # each average is the mean of the figures printed beside it
        shown = [Decimal(c.text) for c in row[1:-2:2] if c.text and c.text != "单项否决"]
        mean = (sum(shown) / len(shown)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert Decimal(row[-2].text) == mean, row[0].text
    assert table.note == "注：数据监测采样时间为2021年11月1日-12月5日。平均得分不含单项否决网站。"


def test_a_vetoed_site_without_scores_still_has_its_column(failures):
    xichou = failures.website_inspection.assessments.get(website__name="西畴县人民政府")
    xichou.scores.all().delete()
    table = website_matrix(circular_data(failures))
    assert table.body[-1][column_of(table, "西畴县")].text == "单项否决"
    assert len(table.header[0]) == 1 + 9 + 2  # the 9 sites of annex 1 and two averages


def test_results_annex_without_failures(q4_circular):
    table = website_results(circular_data(q4_circular))
    assert {row[3].text for row in table.body} == {"合格"}
    assert [row[4].text for row in table.body if row[2].text == "丘北县人民政府"] == ["92.0"]
    portals = [row for row in table.body if row[2].text.endswith("人民政府")]
    assert len(portals) == 9 and all(row[4].value is not None for row in portals)
    assert all(row[5].text == "" for row in table.body)  # no problems
    assert len(table.body) == 10


def test_region_summary_without_failures(q4_circular):
    table = region_summary(circular_data(q4_circular))
    rows = {row[0].text: [c.text for c in row[1:]] for row in table.body}
    assert rows["丘北县"][2:4] == ["0", "100%"] and rows["丘北县"][6:8] == ["0", "100%"]
    assert rows["合计"][:4] == ["10", "0", "0", "100%"]
    assert {values[2] for values in rows.values()} == {"0"}


def test_results_annex_names_failures_and_their_problems(failures):
    table = website_results(circular_data(failures))
    rows = {row[2].text: [c.text for c in row] for row in table.body}
    assert rows["西畴县人民政府"][1:] == ["西畴县", "西畴县人民政府", "不合格", "单项否决", "空白栏目数量达到5个"]
    assert rows["马关县人民政府"][3:5] == ["不合格", "56.0"]
    assert rows["文山州人力资源和社会保障局"][1] == "文山州人力资源和社会保障局"  # a 州直 unit
    assert [row[0].text for row in table.body] == [str(i) for i in range(1, 11)]


def test_the_text_states_failures_causes_and_names(failures):
    document = build_document(failures)
    text = "".join(p.lead + p.text for s in document.sections for p in s.paragraphs)
    assert "经检查，合格8个，不合格2个，总体合格率为80%" in text
    assert "不合格原因：栏目不更新1个（占检查数的10%），得分低于合格分数线1个（占检查数的10%）" in text
    assert "不合格政府网站：“西畴县人民政府”网站、“马关县人民政府”网站。" in text
    assert "部分政府网站存在“栏目不更新”问题" in text


def test_region_summary_has_every_county_the_direct_row_and_the_total(failures):
    table = region_summary(circular_data(failures))
    labels = [row[0].text for row in table.body]
    assert labels == ["文山市", "砚山县", "西畴县", "麻栗坡县", "马关县", "丘北县", "广南县", "富宁县",
                      "州直", "合计"]
    assert [c.text for c in table.body[2][1:5]] == ["1", "1", "1", "0%"]
    assert [c.text for c in table.body[-1][1:5]] == ["10", "1", "2", "80%"]
    assert [c.text for c in table.header[0]] == ["地区", "政府网站", "政务新媒体"]


def test_failing_newmedia_without_and_with_failures(demo_inspections):
    data = circular_data(new_circular(Region.objects.get(name="文山州"), 2021, 4))
    empty = failing_newmedia(data)
    assert [c.text for c in empty.body[0]] == ["本季度检查没有发现不合格的政务新媒体。"]
    q4 = data.newmedia
    account = q4.assessments.get(account__name="文山发布", account__platform="wechat")
    account.findings.create(indicator=q4.scheme.indicators.get(name="安全、泄密事故等严重问题"),
                            description="严重表述错误", post_dates=["2021-12-02", "2021-11-09"])
    account.passed, account.vetoed = False, True
    account.save()
    table = failing_newmedia(circular_data(new_circular(Region.objects.get(name="文山州"), 2021, 4)))
    assert [c.text for c in table.body[0]] == ["1", "文山州人民政府办公室", "文山发布", "微信公众号",
                                              "严重表述错误", "2021.11.9、2021.12.2"]


def test_builders_without_a_check_return_nothing(demo):
    data = circular_data(new_circular(Region.objects.get(name="文山州"), 2019, 1))
    assert website_matrix(data) is None and website_results(data) is None
    assert failing_newmedia(data) is None and region_summary(data) is None
    document = build_document(new_circular(Region.objects.get(name="文山州"), 2019, 1))
    assert document.annexes == ()
    text = document.sections[0].paragraphs[0].text
    assert "本季度暂无政府网站检查结果" in text and re.search(r"登记在运行政府网站\d+个", text)


def test_dates_and_numbers_are_written_in_arabic_numerals(q4_circular):
    q4_circular.date = datetime.date(2022, 1, 10)
    assert build_document(q4_circular).date == "2022年1月10日"
