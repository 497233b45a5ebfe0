"""The annual circular of the demo year: its text, its annex, and every format."""

import datetime
import re

import pytest

from assessment.circular import annual_document, ranking_sentence
from assessment.scoring import Entry, lock_year, save_entries, year_results
from reports.rendering import render

TODAY = datetime.date(2022, 12, 20)


@pytest.fixture
def document(wenshan_2021):
    return annual_document(year_results(wenshan_2021, TODAY), TODAY)


def text_of(html: str) -> str:
    text = re.sub(r"<style.*?</style>|<title>.*?</title>|<[^>]+>|\s+", "", html, flags=re.S)
    return text.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


def test_the_heading_comes_from_the_office_and_the_year(document):
    assert document.office == "文山州人民政府办公室"
    assert document.title == "文山州人民政府办公室关于2021年度全州政府网站与政务新媒体监管工作年度考核情况的通报"
    assert document.addressees == "各县（市）人民政府，州直有关部门"
    assert document.doc_number == "文政办〔2022〕　号"  # a draft: the number is left blank
    assert document.date == "2022年12月20日"
    assert document.opening.startswith("根据《国务院办公厅秘书局关于印发政府网站与政务新媒体检查指标、"
                                       "监管工作年度考核指标的通知》（国办秘函〔2019〕19号）要求，州政府办公室"
                                       "组织对各县（市）2021年度政府网站与政务新媒体监管工作进行了考核。")


def test_the_results_section_names_the_top_and_the_bottom(document):
    heading, (paragraph,) = document.sections[0].heading, document.sections[0].paragraphs
    assert heading == "一、考核结果"
    # 麻栗坡县 is tied with 马关县 (96), so it is named too.
    assert paragraph.text == ("2021年度，全州8个县（市）政府办公室参加监管工作年度考核，8个合格，0个不合格。"
                              "其中，文山市、富宁县得分靠前，麻栗坡县、马关县、丘北县得分相对较低。"
                              "各县（市）得分及扣分情况见附件。")


def test_the_deductions_section_groups_them_by_indicator_offices_in_code_order(document):
    section = document.sections[1]
    assert section.heading == "二、扣分情况"
    leads = [p.lead for p in section.paragraphs]
    assert leads == ["（一）常态化监管。", "（二）政务新媒体管理。", "（三）年度报表。"]
    assert section.paragraphs[1].text == (
        "砚山县扣1分（清理整合扣1分：1个问题微博账号未整改）；"
        "西畴县扣1分（清理整合扣1分：1个问题微信账号未整改）；"
        "麻栗坡县扣2分（清理整合扣2分：微信、微博问题账号各1个未整改）；"
        "马关县扣2分（备案管理扣2分：四季度2个政务新媒体账号未备案即开通）；"
        "丘北县扣7分（清理整合扣7分：专项排查整治9个问题微信账号未备案未注销）。")


def test_the_requirements_carry_the_years_report_due_date(document):
    section = document.sections[2]
    assert section.heading == "三、下一步工作要求"
    assert "于2022年1月28日前在本地区本部门网站首页显著位置发布" in section.paragraphs[0].text


def test_the_annex_lists_every_office_in_rank_order(document):
    (annex,) = document.annexes
    assert annex.title == "2021年度各县（市）政府办公室监管工作考核情况"
    assert [c.text for c in annex.table.header[0]] == ["序号", "地区", "得分", "结论", "扣分情况"]
    rows = [[c.text for c in row] for row in annex.table.body]
    assert [row[:4] for row in rows] == [
        ["1", "文山市", "105", "合格"], ["2", "富宁县", "105", "合格"], ["3", "砚山县", "99", "合格"],
        ["4", "广南县", "98", "合格"], ["5", "西畴县", "97", "合格"], ["6", "麻栗坡县", "96", "合格"],
        ["7", "马关县", "96", "合格"], ["8", "丘北县", "89", "合格"],
    ]
    assert rows[0][4] == "集约化平台加5分（全部政府网站已迁移至集约化平台）"
    assert rows[3][4] == "季度检查扣2分（一、二季度未开展政务新媒体检查）"
    assert annex.table.body[0][2].value == 105.0
    assert annex.table.note.startswith("注：扣分指标满分100分，加分指标满分20分，扣分指标得分超过80分的计算加分")


def test_the_html_rendering_reads_back_as_the_document(document):
    html = render("html", document).decode()
    text = text_of(html)
    for piece in (document.title, "一、考核结果", "其中，文山市、富宁县得分靠前，麻栗坡县、马关县、丘北县得分相对较低。",
                  "附件：2021年度各县（市）政府办公室监管工作考核情况",  # one annex: no number
                  "附件2021年度各县（市）政府办公室监管工作考核情况", "序号地区得分结论扣分情况",
                  "1文山市105合格集约化平台加5分", "8丘北县89合格问题整改扣2分"):
        assert re.sub(r"\s+", "", piece) in text, piece


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("xlsx", b"PK"), ("docx", b"PK")])
def test_every_format_renders(document, fmt, magic):
    assert render(fmt, document).startswith(magic)


def test_a_vetoed_or_failing_office_is_named(wenshan_2021):
    office = wenshan_2021.offices.get(region__name="文山市")
    veto = wenshan_2021.scheme.items.get(name="严重表述错误").pk
    save_entries(office, {veto: Entry(vetoed=True, note="国办抽查发现严重表述错误")}, loaded_version=0)
    text = annual_document(year_results(wenshan_2021, TODAY), TODAY).sections[0].paragraphs[0].text
    assert "7个合格，1个不合格（其中单项否决1个）" in text
    assert "文山市因“严重表述错误”被单项否决，考核结果为不合格。" in text
    assert "其中，富宁县得分靠前" in text  # a vetoed office is never named among the top


def test_no_ranking_sentence_when_every_office_has_the_same_score(wenshan_2021):
    results = year_results(wenshan_2021, TODAY)
    for result in results.offices:
        result.total = 100
    assert ranking_sentence(results) == ""


def test_a_locked_years_circular_is_dated_on_the_lock(wenshan_2021, office_admin):
    lock_year(wenshan_2021, office_admin)
    wenshan_2021.refresh_from_db()
    document = annual_document(year_results(wenshan_2021), datetime.date(2030, 1, 1))
    locked_on = wenshan_2021.locked_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).date()
    assert document.date == f"{locked_on.year}年{locked_on.month}月{locked_on.day}日"
