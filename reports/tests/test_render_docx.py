import dataclasses
import io
import time

import pytest
from docx import Document as read_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu, Pt

from reports.document import Paragraph, Section
from reports.renderers.docx import render_docx
from reports.renderers.layout import cell_positions
from reports.testing import SITES, sample_document


def read(document):
    return read_docx(io.BytesIO(render_docx(document)))


@pytest.fixture(scope="module")
def word():
    return read(sample_document())


def texts(word):
    return [p.text for p in word.paragraphs if p.text]


def east_asia(element):
    fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_the_text_comes_in_the_printed_order(word):
    document = sample_document()
    expected = [document.office, document.doc_number, document.title, "各县（市）人民政府，州直有关部门：",
                document.opening]
    for section in document.sections:
        expected.append(section.heading)
        expected.extend(p.lead + p.text for p in section.paragraphs)
    expected += [
        "附件：1．2021年四季度全州在运行政府网站检查得分情况", "2．2021年四季度不合格政务新媒体",
        "文山州人民政府办公室", "2022年1月10日", "（联系人：李虹霞；电话：2851097）",
        "附件1", "2021年四季度全州在运行政府网站检查得分情况",
        "注：数据监测采样时间为2021年11月1日—12月5日。",
        "附件2", "2021年四季度不合格政务新媒体", "注：以上数据采样时间2021年4月8日—7月10日。",
        "抄送：州委办公室，州人大常委会办公室，州政协办公室。", "文山州人民政府办公室\t2022年1月10日印发",
    ]
    found = texts(word)
    found[2] = found[2].replace("\n", "")  # the title's lines are balanced with line breaks
    assert found == expected


def test_the_head_title_and_addressees(word):
    office, number, title, addressees = [p for p in word.paragraphs if p.text][:4]
    assert office.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert str(office.runs[0].font.color.rgb) == "E60012"
    assert office.runs[0].font.size >= Pt(22)
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    red_line = number._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert red_line.get(qn("w:color")) == "E60012"
    assert title.style.name == "公文标题" and "\n" in title.text
    assert title.style.font.size == Pt(22) and east_asia(title.style.element) == "方正小标宋简体"
    assert title.paragraph_format.alignment is None and title.style.paragraph_format.alignment == (
        WD_ALIGN_PARAGRAPH.CENTER)
    assert addressees.text.endswith("：") and addressees.paragraph_format.first_line_indent == 0


def test_body_fonts_and_grid(word):
    normal = word.styles["Normal"]
    assert east_asia(normal.element) == "仿宋_GB2312" and normal.font.name == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    fmt = normal.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and fmt.line_spacing == Pt(28.95)
    assert fmt.first_line_indent == Pt(32)
    defaults = word.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    assert east_asia(defaults) == "仿宋_GB2312"


def test_headings_in_heiti_and_leads_in_kaiti(word):
    heading = next(p for p in word.paragraphs if p.text == "一、检查情况")
    assert heading.style.name == "一级标题" and east_asia(heading.style.element) == "黑体"
    lead_paragraph = next(p for p in word.paragraphs if p.text.startswith("（一）2021年"))
    lead, body = lead_paragraph.runs
    assert lead.text == "（一）2021年第四季度政府网站检查情况。"
    assert east_asia(lead._r) == "楷体_GB2312" and lead.font.name == "楷体_GB2312"
    assert east_asia(body._r) is None  # the body run keeps the style's 仿宋
    plain = next(p for p in word.paragraphs if p.text == "部分政府网站存在栏目信息不更新和空白栏目情况。")
    assert len(plain.runs) == 1


def test_attachment_list_hangs_the_numbers_and_titles(word):
    first = next(p for p in word.paragraphs if p.text.startswith("附件：1．"))
    second = next(p for p in word.paragraphs if p.text.startswith("2．"))
    one, two = first.paragraph_format, second.paragraph_format
    assert one.left_indent == two.left_indent == Pt(16 * 6)  # titles aligned: 2 + 附件： + 1．
    assert one.left_indent + one.first_line_indent == Pt(32)  # 附件： two characters in
    assert two.left_indent + two.first_line_indent == Pt(80)  # 2． under 1．
    # Left aligned: a justified line ending in a line break is stretched by Word and WPS.
    assert one.alignment == two.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_table_figures_are_set_in_times_new_roman(word):
    fonts = word.styles["表格文字"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_a_single_annex_has_no_number():
    document = sample_document()
    single = dataclasses.replace(document, annexes=document.annexes[1:])
    found = texts(read(single))
    assert "附件：2021年四季度不合格政务新媒体" in found and "附件" in found


def test_signature_date_and_note(word):
    found = [p for p in word.paragraphs if p.text]
    index = next(i for i, p in enumerate(found) if p.text == "2022年1月10日")
    signer, date, note = found[index - 1:index + 2]
    assert signer.text == "文山州人民政府办公室" and note.text == "（联系人：李虹霞；电话：2851097）"
    assert signer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert signer.paragraph_format.right_indent == Pt(32)  # 右空二字
    # the date starts two characters right of the signer's start: 10 - 2 - 6.5 characters
    assert date.paragraph_format.right_indent == Pt(32 + 16 * 1.5)


def text_of(cell) -> str:
    """A cell's text without the line breaks that keep its words whole."""
    return cell.text.replace("\n", "")


def test_annex_tables_with_merged_and_repeating_headers(word):
    matrix, accounts = word.tables
    assert matrix.cell(0, 0).text == "考核指标" and matrix.cell(1, 0)._tc is matrix.cell(0, 0)._tc
    for index, site in enumerate(SITES):
        left, right = matrix.cell(0, 1 + 2 * index), matrix.cell(0, 2 + 2 * index)
        assert left.text == site and left._tc is right._tc
        quarters = [matrix.cell(1, 1 + 2 * index).text, matrix.cell(1, 2 + 2 * index).text]
        assert quarters == ["四\n季\n度", "三\n季\n度"]  # a column too narrow sets them upright
    assert matrix.cell(1, 19).text == "四季度\n全州平均\n指标得分"  # broken between words
    table = sample_document().annexes[0].table
    rows = (*table.header, *table.body)
    for r, (row, starts) in enumerate(zip(rows, cell_positions(rows, table.column_count), strict=True)):
        for cell, start in zip(row, starts, strict=True):
            assert text_of(matrix.cell(r, start)) == cell.text
    assert [text_of(c) for c in accounts.rows[1].cells] == [
        "1", "丘北县", "测试账号1（微信）", "微信公众号", "严重表述错误：“中华人民共和国”误写", "2021.4.9"]
    assert accounts.cell(0, 0).text == "序号"  # its column is made wide enough

    def repeats(row):
        return row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None

    assert [repeats(row) for row in matrix.rows] == [True, True, False, False, False, False, False]
    assert [repeats(row) for row in accounts.rows[:2]] == [True, False]
    header_run = matrix.cell(0, 1).paragraphs[0].runs[0]
    assert east_asia(header_run._r) == "黑体"
    assert matrix.cell(6, 0).paragraphs[0].runs[0].bold  # 得分
    assert matrix.cell(2, 0).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_page_setup_and_the_landscape_section(word):
    body, wide, portrait, imprint = word.sections
    for section in (body, portrait, imprint):
        assert section.orientation == WD_ORIENT.PORTRAIT
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                      section.right_margin)] == [37, 35, 28, 26]
    assert wide.orientation == WD_ORIENT.LANDSCAPE
    assert round(wide.page_width.mm) == 297 and round(wide.page_height.mm) == 210
    # the portrait type area turned: 156 mm across the table's height
    assert round(Emu(wide.page_height - wide.top_margin - wide.bottom_margin).mm) == 156
    annex_two = next(p for p in word.paragraphs if p.text == "附件2")
    assert annex_two.paragraph_format.page_break_before is None  # a new section starts the page
    # each section ends in its last paragraph, not in an empty one that could spill a blank page
    breaks = [p for p in word.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    assert [p.text[:3] for p in breaks] == ["（联系", "注：数", "注：以"]


def test_a_section_after_a_table_without_a_note_breaks_in_a_one_point_paragraph():
    document = sample_document()
    matrix = document.annexes[0]
    bare = dataclasses.replace(matrix, table=dataclasses.replace(matrix.table, note=""))
    word = read(dataclasses.replace(document, annexes=(bare, document.annexes[1])))
    holder = next(p for p in word.paragraphs
                  if p._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None and not p.text
                  and p._p.getprevious().tag == qn("w:tbl"))
    assert holder.paragraph_format.line_spacing == Pt(1)


def test_annex_one_starts_a_page_when_no_section_does():
    document = sample_document()
    portrait_only = dataclasses.replace(document, annexes=document.annexes[1:])
    word = read(portrait_only)
    assert len(word.sections) == 2  # the text with its annex, and the 版记
    mark = next(p for p in word.paragraphs if p.text == "附件")
    assert mark.paragraph_format.page_break_before is True
    assert east_asia(mark.style.element) == "黑体"


def test_page_numbers_odd_right_even_left_with_page_fields(word):
    assert word.settings.odd_and_even_pages_header_footer
    first = word.sections[0]
    for footer, align in ((first.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (first.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        assert paragraph.text == "— 1 —"
        instructions = [t.text for t in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == [" PAGE "]
        assert [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))] == [
            "begin", "separate", "end"]
        assert east_asia(paragraph.runs[0]._r) == "宋体" and paragraph.runs[0].font.size == Pt(14)
    for section in word.sections[1:3]:  # the annexes continue the numbering
        assert section.footer.is_linked_to_previous and section.even_page_footer.is_linked_to_previous


def test_the_imprint_has_its_own_even_page_without_a_number(word):
    imprint = word.sections[-1]
    assert imprint.start_type == WD_SECTION.EVEN_PAGE
    assert not imprint.footer.is_linked_to_previous and not imprint.even_page_footer.is_linked_to_previous
    assert not list(imprint.footer._element.iter(qn("w:instrText")))
    assert imprint._sectPr.find(qn("w:vAlign")).get(qn("w:val")) == "bottom"
    cc = next(p for p in word.paragraphs if p.text.startswith("抄送："))
    printed = word.paragraphs[-1]
    assert cc.style.font.size == Pt(14)
    borders = {side: cc._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:' + side)}")
               for side in ("top", "bottom")}
    assert borders["top"].get(qn("w:sz")) == "8" and borders["bottom"].get(qn("w:sz")) == "6"
    assert printed._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}").get(qn("w:sz")) == "8"
    assert cc.paragraph_format.first_line_indent == -Pt(42)  # continuation lines after 抄送：


def test_a_plain_document_has_one_section_and_survives_control_characters():
    document = dataclasses.replace(
        sample_document(), annexes=(), cc="", printer="", print_date="",
        sections=(Section("一、情况", (Paragraph("有\x0b垂直制表符。"),)),),
    )
    word = read(document)
    assert len(word.sections) == 1 and not word.tables
    assert "有垂直制表符。" in texts(word)
    assert not any(p.text.startswith("附件") for p in word.paragraphs)


def test_a_thousand_rows(capsys):
    document = sample_document(1000)
    started = time.perf_counter()
    data = render_docx(document)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nDOCX of sample_document(1000): {elapsed:.2f} s, {len(data) // 1024} KiB")
    word = read_docx(io.BytesIO(data))
    assert len(word.tables[1].rows) == 1 + 1000

