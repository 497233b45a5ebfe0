"""A circular as a DOCX for finishing in Word or WPS, laid out as GB/T 9704-2012 prints it:
版头 (red office name, 发文字号, red line), title, body, 附件说明, signature and date, each annex
on a new page (wide ones in a landscape section) and the 版记 at the foot of an even page of
its own.

Annex tables are written as WordprocessingML directly (gridSpan / vMerge, as `cell.merge`
writes them): python-docx's cell objects take seconds for a table of a thousand rows."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph

from ..document import Annex, Cell, Document, Table
from .html import (
    ANNEX_TITLE_EMS_PER_LINE,
    ATTACHMENT_EMS_PER_LINE,
    OFFICE_EMS_WIDTH_PT,
    OFFICE_SIZE_PT,
    TITLE_EMS_PER_LINE,
)
from .layout import balanced_lines, cell_positions, column_headings, column_lines, ems, fitted_widths

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
LEAD_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
FIGURE_FONT = "Times New Roman"
RED = "E60012"  # the red of the 版头, as in the PDF

SIZE_2 = Pt(22)  # 2号: title
SIZE_3 = Pt(16)  # 3号: body
SIZE_4 = Pt(14)  # 4号: page numbers, 版记
CHAR = SIZE_3  # 字: one character of body text
LINE = Pt(28.95)  # 22 lines on the 225 mm type area (29 pt gives only 21)
TABLE_SIZE = Pt(10.5)  # 五号, as in the PDF
TABLE_CHAR_TWIPS = 210  # one 五号 character
TABLE_NOTE_SIZE = Pt(12)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
# A landscape annex is the portrait page turned: the 订口 (left) edge becomes the top, so the
# table's head is on the binding side, and the type area stays 156 mm across the table's height.
LANDSCAPE_MARGINS = {"top": Mm(28), "bottom": Mm(26), "left": Mm(35), "right": Mm(37)}
NUMBER_BELOW_TYPE_AREA = Mm(10)  # footer distance below the type area: the "— N —" line sits 7 mm under it

# w:pPr children in schema order (python-docx keeps its own copy private)
PARAGRAPH_TAGS = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
# w:sectPr children from w:vAlign on, in schema order
SECTION_TAGS = ("w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
                "w:docGrid", "w:printerSettings", "w:sectPrChange")
_HEADER_FONTS = f'<w:rFonts w:ascii="{HEADING_FONT}" w:hAnsi="{HEADING_FONT}" w:eastAsia="{HEADING_FONT}"/>'
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TWIPS_PER_EMU = 1 / 635


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    _setup_styles(word)
    section = word.sections[0]
    _page_setup(section, landscape=False)
    word.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)  # 单页码居右空一字
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)  # 双页码居左空一字
    word.core_properties.title = _clean(document.title)
    word.core_properties.author = _clean(document.office)

    _write_head(word, document)
    _write_body(word, document)
    landscape = False
    for annex in document.annexes:
        label = "附件" if len(document.annexes) == 1 else f"附件{annex.number}"
        landscape = _write_annex(word, annex, label, landscape)
    if document.has_colophon:
        _write_imprint(word, document)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# Styles and page ----------------------------------------------------------------------------


def _setup_styles(word) -> None:
    """3号仿宋 everywhere unless said otherwise, with no theme fonts left to override it."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    r_pr.remove(r_pr.find(qn("w:rFonts")))  # theme fonts, which would win over named ones
    _name_fonts(r_pr, BODY_FONT)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    theme_lang = word.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    normal = word.styles["Normal"]
    _set_font(normal.element, BODY_FONT)
    normal.font.size = SIZE_3
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = 2 * CHAR  # 左空二字
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.widow_control = False  # keeps the 22-line grid: no line pushed to the next page

    _style(word, "GongwenTitle", "公文标题", font=TITLE_FONT, size=SIZE_2,
           align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    _style(word, "GongwenHeading1", "一级标题", font=HEADING_FONT, outline_level=0)
    _style(word, "AnnexMark", "附件标识", font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0)
    _style(word, "AnnexTitle", "附件标题", font=TITLE_FONT, size=SIZE_2,
           align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, outline_level=0)
    for style_id, name, size, align in (
        ("TableText", "表格文字", TABLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER),
        ("TableNote", "表注", TABLE_NOTE_SIZE, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        style = _style(word, style_id, name, size=size, align=align, indent=0)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        # Figures in Times New Roman, as offices set them: a substitute for 仿宋_GB2312 (WPS or
        # LibreOffice without the office fonts) may have full-width digits, and "91.5" would
        # then break in a narrow column of the score matrix.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("ascii", "hAnsi"):
            fonts.set(qn(f"w:{attribute}"), FIGURE_FONT)
        fonts.set(qn("w:eastAsia"), BODY_FONT)
    _style(word, "Imprint", "版记", size=SIZE_4, indent=0)


def _style(word, style_id: str, name: str, *, font: str | None = None, size=None, align=None,
           indent=None, outline_level: int | None = None):
    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = word.styles["Normal"]
    if font:
        _set_font(style.element, font)
    if size:
        style.font.size = size
    if align is not None:
        style.paragraph_format.alignment = align
    if indent is not None:
        style.paragraph_format.first_line_indent = indent
    if outline_level is not None:  # shows in Word's navigation pane
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline_level))
        _insert_in_order(style.element.get_or_add_pPr(), level, PARAGRAPH_TAGS)
    return style


def _page_setup(section: Section, *, landscape: bool) -> None:
    margins = LANDSCAPE_MARGINS if landscape else MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    )
    section.top_margin, section.bottom_margin = margins["top"], margins["bottom"]
    section.left_margin, section.right_margin = margins["left"], margins["right"]
    section.footer_distance = margins["bottom"] - NUMBER_BELOW_TYPE_AREA


def _new_section(word, *, landscape: bool, start=WD_SECTION.NEW_PAGE) -> Section:
    """A section after what is written so far. python-docx ends the previous section with an
    empty paragraph, which can spill onto a blank page after a full one: the section break
    moves into the last paragraph instead, or that paragraph is made one point high."""
    section = word.add_section(start)
    holder = section._sectPr.getprevious()
    before = holder.getprevious()
    ends_section = before is not None and before.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    if before is not None and before.tag == qn("w:p") and not ends_section:
        before.set_sectPr(holder.pPr.sectPr)
        holder.getparent().remove(holder)
    else:
        fmt = WordParagraph(holder, None).paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(1)
    _page_setup(section, landscape=landscape)
    return section


def _page_number(paragraph: WordParagraph, align) -> None:
    """"— N —" in 4号 宋体 with a PAGE field, one character in from the edge."""
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = 0
    fmt.left_indent = fmt.right_indent = SIZE_4
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font_run(paragraph, "— ", PAGE_NUMBER_FONT, SIZE_4)
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = _font_run(paragraph, "1" if kind == "result" else "", PAGE_NUMBER_FONT, SIZE_4)
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            run._r.append(instruction)
        elif kind != "result":
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    _font_run(paragraph, " —", PAGE_NUMBER_FONT, SIZE_4)


# The circular -----------------------------------------------------------------------------


def _write_head(word, document: Document) -> None:
    """版头: the office in red 35 mm below the top of the type area, two lines, the 发文字号,
    and 4 mm below it a red line across the type area; then two lines before the title, whose
    lines are balanced as in the PDF (GB/T 9704: a trapezoid or diamond, words kept whole)."""
    office = _clean(document.office)
    mark = word.add_paragraph()
    fmt = mark.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = 0
    fmt.space_before = Mm(34)  # the glyphs' top edge falls about 1 mm into the line
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    smallest, largest = OFFICE_SIZE_PT  # as large as fits on one line, as in the PDF
    size = max(smallest, min(largest, int(OFFICE_EMS_WIDTH_PT // max(ems(office), 1))))
    _font_run(mark, office, TITLE_FONT, Pt(size)).font.color.rgb = RGBColor.from_string(RED)

    _blank(word, 2)
    number = word.add_paragraph(_clean(document.doc_number))
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.first_line_indent = 0
    _border(number, "bottom", size=14, space=5, color=RED)
    _blank(word, 2)
    _add_lines(word.add_paragraph(style="公文标题"),
               balanced_lines(_clean(document.title), TITLE_EMS_PER_LINE))
    _blank(word, 1)


def _write_body(word, document: Document) -> None:
    addressees = word.add_paragraph(_clean(document.addressees) + "：")
    addressees.paragraph_format.first_line_indent = 0  # 顶格
    last = word.add_paragraph(_clean(document.opening))
    for section in document.sections:
        word.add_paragraph(_clean(section.heading), style="一级标题")
        for paragraph in section.paragraphs:
            last = word.add_paragraph()
            if paragraph.lead:
                _font_run(last, _clean(paragraph.lead), LEAD_FONT)
            last.add_run(_clean(paragraph.text))
    # The 署名 and 成文日期 are never alone on a page: what comes between the last paragraph and
    # them (附件说明, blank lines) keeps with them, and the last paragraph's last lines too.
    closing = [last]
    if document.annexes:
        closing += _blank(word, 1)
        closing += _write_attachment_list(word, document.annexes)
    closing += _write_signature(word, document)
    for paragraph in closing[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def _write_attachment_list(word, annexes: tuple[Annex, ...]) -> list[WordParagraph]:
    """附件说明: "附件：1．TITLE", the following numbers aligned under the first, and long
    titles broken between words, their lines aligned with the titles' first character (a
    hanging indent), as in the PDF."""
    label = 3 * CHAR  # 附件：
    numbered = len(annexes) > 1
    number_width = CHAR if numbered else 0  # 1．
    paragraphs = []
    for index, annex in enumerate(annexes):
        number = f"{annex.number}．" if numbered else ""
        paragraph = word.add_paragraph()
        fmt = paragraph.paragraph_format
        # Left, not justified: Word and WPS stretch a justified line that ends in a line break.
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.left_indent = 2 * CHAR + label + number_width
        fmt.first_line_indent = -(label + number_width) if index == 0 else -number_width
        lines = balanced_lines(_clean(annex.title), ATTACHMENT_EMS_PER_LINE - int(numbered))
        _add_lines(paragraph, [("附件：" if index == 0 else "") + number + lines[0], *lines[1:]])
        paragraphs.append(paragraph)
    return paragraphs


def _write_signature(word, document: Document) -> list[WordParagraph]:
    """Without a seal (7.3.5.2), as in the PDF: one line under the text, the 署名 two
    characters from the right, the date under it two characters further right, or two
    characters from the right when it is the longer; the 附注 below in （ ）. Returns the
    paragraphs from the blank line to the date."""
    signer, date = _clean(document.signer), _clean(document.date)
    margin = 2 * CHAR
    box = max(ems(signer), ems(date) + 2)  # the block both lines start in, in characters
    paragraphs = _blank(word, 1)
    for text, start in ((signer, 0), (date, 2)):
        paragraph = word.add_paragraph(text)
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.first_line_indent = 0
        fmt.right_indent = Emu(margin + round(CHAR * (box - start - ems(text))))
        paragraphs.append(paragraph)
    if document.note:
        word.add_paragraph(f"（{_clean(document.note)}）")
    return paragraphs


def _write_annex(word, annex: Annex, label: str, after_landscape: bool) -> bool:
    """附件N top-left in 黑体 on a new page, the title centred on the third line, the table
    and its note. A landscape annex gets a section of its own. Returns its orientation."""
    landscape = annex.table.landscape
    if landscape or after_landscape:
        _new_section(word, landscape=landscape)
    mark = word.add_paragraph(label, style="附件标识")
    if not (landscape or after_landscape):
        mark.paragraph_format.page_break_before = True
    _blank(word, 1)
    _add_lines(word.add_paragraph(style="附件标题"),
               balanced_lines(_clean(annex.title), ANNEX_TITLE_EMS_PER_LINE[landscape]))
    section = word.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    table = parse_xml(_table_xml(annex.table, round(width * _TWIPS_PER_EMU)))
    word.element.body.sectPr.addprevious(table)
    if annex.table.note:
        word.add_paragraph(_clean(annex.table.note), style="表注")
    return landscape


def _write_imprint(word, document: Document) -> None:
    """版记 on an even page of its own, at the foot of the type area, with no page number:
    a thick rule, 抄送, a thin rule, 印发机关 and 印发日期, a thick rule."""
    section = _new_section(word, landscape=False, start=WD_SECTION.EVEN_PAGE)
    v_align = OxmlElement("w:vAlign")
    v_align.set(qn("w:val"), "bottom")
    _insert_in_order(section._sectPr, v_align, SECTION_TAGS)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False  # an empty footer of its own

    width = section.page_width - section.left_margin - section.right_margin
    paragraphs = []
    if document.cc:
        cc = word.add_paragraph(f"抄送：{_clean(document.cc)}。", style="版记")
        fmt = cc.paragraph_format
        fmt.left_indent = SIZE_4 + 3 * SIZE_4  # continuation lines align after 抄送：
        fmt.first_line_indent = -3 * SIZE_4
        fmt.right_indent = SIZE_4
        paragraphs.append(cc)
    if document.printer or document.print_date:
        printed = word.add_paragraph(style="版记")
        fmt = printed.paragraph_format
        fmt.left_indent = fmt.right_indent = SIZE_4
        fmt.tab_stops.add_tab_stop(width - SIZE_4, WD_TAB_ALIGNMENT.RIGHT)
        date = f"{_clean(document.print_date)}印发" if document.print_date else ""
        printed.add_run(f"{_clean(document.printer)}\t{date}")
        paragraphs.append(printed)
    _border(paragraphs[0], "top", size=8)  # 0.35 mm
    if len(paragraphs) > 1:
        _border(paragraphs[0], "bottom", size=6)  # 0.25 mm
    _border(paragraphs[-1], "bottom", size=8)


# Tables -------------------------------------------------------------------------------------


def _table_xml(table: Table, width: int) -> str:
    """The table as one w:tbl: header rows repeat on every page, spans become gridSpan and
    vMerge (a cell covered by a rowspan continues the merge in its own row)."""
    # Cell padding 1 mm above and below; 1.2 mm at the sides as in the PDF, 0.5 mm in a wide
    # table, whose 9 mm columns must hold "91.5" even in a substitute font with wider digits.
    padding = 28 if table.landscape else 68
    grid = [round(w) for w in fitted_widths(table.widths, column_headings(table), width,
                                            TABLE_CHAR_TWIPS, 2 * padding)]
    grid[-1] = width - sum(grid[:-1])
    rows = (*table.header, *table.body)
    header_rows = len(table.header)
    count = table.column_count

    parts = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>",
        f'<w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>',
        *(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
          for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
        '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
        f'<w:top w:w="57" w:type="dxa"/><w:left w:w="{padding}" w:type="dxa"/>'
        f'<w:bottom w:w="57" w:type="dxa"/><w:right w:w="{padding}" w:type="dxa"/></w:tblCellMar>'
        '</w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in grid),
        "</w:tblGrid>",
    ]
    continuing: dict[tuple[int, int], Cell] = {}  # (row, column) → the cell whose rowspan covers it
    for index, (row, starts) in enumerate(zip(rows, cell_positions(rows, count), strict=True)):
        header = index < header_rows
        parts.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        placed = dict(zip(starts, row, strict=True))
        column = 0
        while column < count:
            cell = placed.get(column)
            if cell is not None:
                for below in range(1, cell.rowspan):
                    continuing[(index + below, column)] = cell
                parts.append(_cell_xml(cell, grid, column, header,
                                       "restart" if cell.rowspan > 1 else None, padding))
                column += cell.colspan
            elif (index, column) in continuing:
                above = continuing.pop((index, column))
                parts.append(_cell_xml(above, grid, column, header, "continue", padding))
                column += above.colspan
            else:  # a short row: fill the grid so Word keeps the table rectangular
                parts.append(_cell_xml(Cell(""), grid, column, header, None, padding))
                column += 1
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _cell_xml(cell: Cell, grid: list[int], column: int, header: bool, merge: str | None,
              padding: int) -> str:
    width = sum(grid[column:column + cell.colspan])
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.colspan > 1:
        props += f'<w:gridSpan w:val="{cell.colspan}"/>'
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    text = "" if merge == "continue" else "\n".join(
        column_lines(_clean(cell.text), width, TABLE_CHAR_TWIPS, 2 * padding))
    run_props = _HEADER_FONTS if header else ""
    if cell.bold:
        run_props += "<w:b/>"
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
    run_props = f"<w:rPr>{run_props}</w:rPr>" if run_props else ""
    run = f"<w:r>{run_props}{runs}</w:r>" if text else ""
    return (f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>'
            f'<w:jc w:val="{cell.align}"/></w:pPr>{run}</w:p></w:tc>')


# Small helpers ------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text as XML allows it (a vertical tab pasted from Word would make the file invalid)."""
    return _XML_ILLEGAL.sub("", text)


def _set_font(element, name: str) -> None:
    """The font of a run or a style (w:r, w:style)."""
    _name_fonts(element.get_or_add_rPr(), name)


def _name_fonts(r_pr, name: str) -> None:
    """Latin and East Asian font names: Word picks the eastAsia one for Chinese characters."""
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)


def _font_run(paragraph: WordParagraph, text: str, font: str, size=None):
    run = paragraph.add_run(text)
    _set_font(run._r, font)
    if size is not None:
        run.font.size = size
    return run


def _blank(word, lines: int) -> list[WordParagraph]:
    return [word.add_paragraph() for _ in range(lines)]


def _add_lines(paragraph: WordParagraph, lines: list[str]) -> None:
    """Lines as runs separated by line breaks: a title or a name broken between words."""
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index:
            run._r.insert(0, OxmlElement("w:br"))


def _border(paragraph: WordParagraph, side: str, *, size: int, space: int = 1, color: str = "000000") -> None:
    """A rule along one side of a paragraph; `size` in eighths of a point, `space` in points."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = _insert_in_order(p_pr, OxmlElement("w:pBdr"), PARAGRAPH_TAGS)
    line = OxmlElement(f"w:{side}")
    for attribute, value in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", color)):
        line.set(qn(f"w:{attribute}"), value)
    _insert_in_order(borders, line, ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"))


def _insert_in_order(parent, element, sequence: tuple[str, ...]):
    """Insert `element` where the schema's `sequence` of child tags puts it."""
    tags = [qn(name) for name in sequence]
    later = set(tags[tags.index(element.tag) + 1:])
    successor = next((child for child in parent if child.tag in later), None)
    if successor is None:
        parent.append(element)
    else:
        successor.addprevious(element)
    return element
