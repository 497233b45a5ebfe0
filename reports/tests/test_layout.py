"""Line breaking and column widths (reports.renderers.layout), and what they give in the PDF:
annex titles in balanced lines, headings and labels never broken inside a word, 序号 on one
line, the 署名 never alone on a page."""

import io
import subprocess
from dataclasses import replace

import pytest
from docx import Document as DocxDocument

from reports.document import Annex, Cell, Paragraph, Section, Table
from reports.renderers.docx import render_docx
from reports.renderers.layout import balanced_lines, cell_lines, column_lines, fitted_widths
from reports.renderers.pdf import render_pdf
from reports.testing import list_table, matrix_table, sample_document


@pytest.mark.parametrize(("title", "lines"), [
    ("2021年上半年专项排查整治工作仍未整改问题账号", ["2021年上半年专项排查整治", "工作仍未整改问题账号"]),
    ("2021年四季度政府网站“政民互动”平台留言未办理清单", ["2021年四季度政府网站", "“政民互动”平台留言未办理清单"]),
    ("2022年一季度全州不合格政府系统政务新媒体", ["2022年一季度全州", "不合格政府系统政务新媒体"]),
    ("2021年三季度检查发现问题尚未整改清单", ["2021年三季度检查发现问题尚未整改清单"]),
])
def test_annex_titles_are_broken_into_balanced_lines_between_words(title, lines):
    assert balanced_lines(title, 20) == lines


def test_a_long_book_title_may_break_inside_its_marks():
    title = "关于印发《政府网站与政务新媒体检查指标》《政府网站与政务新媒体监管工作年度考核指标》的通知"
    assert len(balanced_lines(title, 20)) == 3


@pytest.mark.parametrize(("text", "per_line", "lines"), [
    ("二季度", 3.2, ["二季度"]),
    ("二季度", 2.5, ["二", "季", "度"]),  # upright rather than 二季 / 度
    ("发布解读（31分）", 6.5, ["发布解读", "（31分）"]),
    ("四季度全州平均指标得分", 4.5, ["四季度", "全州平均", "指标得分"]),
    ("91.5", 1.5, ["91.5"]),  # a number is never broken
    ("序号", 1.5, ["序", "号"]),
])
def test_short_cells_break_between_words(text, per_line, lines):
    assert list(cell_lines(text, per_line)) == lines


def test_long_cells_are_left_to_wrap_as_they_flow():
    text = "严重表述错误：“中华人民共和国”误写为“中华人民共合国”"
    assert column_lines(text, 20, 3.7, 2.4) == (text,)


def test_columns_are_widened_to_hold_their_short_headings():
    # 序号 in a column of 1 of 18.4 (8.5 mm of 156) is widened; the others give the room.
    widths = fitted_widths((1, 3, 4, 2, 6, 2.4), ["序号", "地区/单位", "账号名称", "平台", "存在问题", "发布时间"],
                           156, 3.7, 2.4)
    assert sum(widths) == pytest.approx(156)
    assert widths[0] >= 2 * 3.7 + 2.4 and widths[5] >= 4 * 3.7 + 2.4
    assert widths[4] / widths[2] == pytest.approx(6 / 4)  # in proportion among the others


def test_widths_stay_proportional_when_the_headings_cannot_all_fit():
    headings = ["考核指标", *(["四季度", "三季度"] * 9), "", ""]
    widths = (3.6, *([1.35] * 18), 2.8, 2.8)
    assert fitted_widths(widths, headings, 225, 3.7, 2.4) == pytest.approx(
        [225 * w / sum(widths) for w in widths])


def pdf_words(document, tmp_path) -> list[list[str]]:
    """The words of each page of the document's PDF."""
    path = tmp_path / "document.pdf"
    path.write_bytes(render_pdf(document))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [page.split() for page in text.split("\f")]


def annexes_only(*tables: tuple[str, Table]):
    return replace(sample_document(), annexes=tuple(
        Annex(number, title, table) for number, (title, table) in enumerate(tables, start=1)))


def test_five_sites_keep_each_quarter_heading_and_row_label_whole(tmp_path):
    sites = ["州政府", "文山市", "砚山县", "西畴县", "麻栗坡县"]
    document = annexes_only(("2022年二季度全州在运行政府网站检查得分情况", matrix_table(sites)),
                            ("2021年上半年专项排查整治工作仍未整改问题账号", list_table(3)))
    words = [word for page in pdf_words(document, tmp_path) for word in page]
    assert words.count("四季度") == words.count("三季度") == 5
    assert "发布解读（31分）" in words and not any(w in words for w in ("季", "度", "（31", "分）"))
    assert "序号" in words and "序" not in words
    assert {"2021年上半年专项排查整治", "工作仍未整改问题账号"} <= set(words)


def test_nine_sites_set_the_quarter_headings_upright_and_break_labels_before_the_points(tmp_path):
    words = [word for page in pdf_words(annexes_only(("附件", matrix_table())), tmp_path)
             for word in page]
    assert "二季" not in words and "季度" not in words  # 四 / 季 / 度, never 四季 / 度
    assert words.count("发布解读") == words.count("（31分）") == 1 and "发布解读（31" not in words


@pytest.mark.parametrize("lines", [40, 41, 42])  # the old layout left the 署名 alone on page 4
def test_the_signature_is_never_alone_on_a_page(tmp_path, lines):
    document = replace(sample_document(), sections=(Section("一、政", (Paragraph("政" * 28 * lines),)),),
                       annexes=(), cc="", printer="", print_date="", note="")
    page = next(page for page in pdf_words(document, tmp_path) if document.date in page)
    assert any(set(word) == {"政"} for word in page)  # the text's last lines came along


def test_a_short_cell_header_keeps_its_text(tmp_path):
    table = Table(((Cell("序号"), Cell("名称")),), ((Cell("1", 1), Cell("甲")),), (1, 30))
    words = [word for page in pdf_words(annexes_only(("表", table)), tmp_path) for word in page]
    assert "序号" in words


def test_the_docx_breaks_titles_between_words_and_keeps_the_signature_with_the_text():
    document = annexes_only(("2021年上半年专项排查整治工作仍未整改问题账号", list_table(3)),
                            ("2021年四季度政府网站“政民互动”平台留言未办理清单", list_table(3)))
    word = DocxDocument(io.BytesIO(render_docx(document)))
    texts = [p.text for p in word.paragraphs]
    assert "2021年上半年专项排查整治\n工作仍未整改问题账号" in texts  # the annex's title
    assert "附件：1．2021年上半年专项排查整治\n工作仍未整改问题账号" in texts  # the 附件说明
    assert "2．2021年四季度政府网站\n“政民互动”平台留言未办理清单" in texts
    last_text = next(i for i, p in enumerate(word.paragraphs) if p.text.endswith("要先审后发。"))
    date = next(i for i, p in enumerate(word.paragraphs) if p.text == document.date)
    assert all(p.paragraph_format.keep_with_next for p in word.paragraphs[last_text:date])
    assert not word.paragraphs[date].paragraph_format.keep_with_next
    table = word.tables[0]
    assert table.cell(0, 0).text == "序号" and table.cell(1, 2).text == "测试账号1\n（微信）"
