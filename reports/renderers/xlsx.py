"""A circular as an XLSX workbook: the text on a sheet 正文, then each annex table on its own
sheet 附件N laid out as printed (title, merged header cells, widths, note), numbers stored as
numbers with a format that shows them as the circular prints them."""

from __future__ import annotations

import io
import math
import re
import unicodedata
from copy import copy
from dataclasses import replace

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.export import is_formula_like

from ..document import Annex, Cell, Document, Table
from .layout import balanced_lines, cell_positions, column_lines

FONT_NAME = "仿宋"  # Excel finds 仿宋 (FangSong) on Chinese Windows and substitutes elsewhere
HEADER_FONT_NAME = "黑体"  # table headers, as printed
FONT_SIZE = 11
LINE_HEIGHT = 15  # points per wrapped line at 11 pt
CHAR_WIDTH = 2.1  # Excel width units a CJK character takes at 11 pt
PADDING = 1.5  # units a cell's text leaves free
SLACK = 0.5  # units more, so that a line that just fits is not wrapped by rounding
WHOLE_CELL = 10  # a cell of this many characters or fewer is kept on one line
PAGE_WIDTH = {False: 95, True: 140}  # Excel width units that fill a portrait / landscape A4 page
TEXT_SHEET_WIDTH = 90  # fits a portrait A4 page even where fit-to-width is ignored

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
_BOLD = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)

# A number as printed: an optional prefix, digits with optional thousands commas and
# decimals, an optional suffix such as % or 分.
_NUMBER = re.compile(
    r"(?P<prefix>\D*?)-?(?P<integer>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?(?P<suffix>\D*)"
)


def render_xlsx(document: Document) -> bytes:
    workbook = Workbook()
    workbook.properties.title = _clean(document.title)
    workbook.properties.creator = _clean(document.office)
    _write_text_sheet(workbook.active, document)
    for annex in document.annexes:
        _write_annex_sheet(workbook.create_sheet(f"附件{annex.number}"), annex)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def number_format(text: str, value: float) -> str | None:
    """The Excel format that shows `value` as `text` prints it: "77.0" → 0.0, "1,012" → #,##0,
    "97.5%" → 0.0% (value 0.975) or 0.0"%" (value 97.5); None when the text is not a number."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    code = "#,##0" if "," in match["integer"] else "0"
    if match["decimals"]:
        code += "." + "0" * len(match["decimals"])
    suffix = match["suffix"]
    if suffix == "%":
        shown = float(match["integer"].replace(",", "") + "." + (match["decimals"] or "0"))
        if math.isclose(abs(value) * 100, shown, rel_tol=1e-9, abs_tol=1e-9):
            return code + "%"
    return _literal(match["prefix"]) + code + _literal(suffix)


def _literal(text: str) -> str:
    return f'"{text.replace(chr(34), "")}"' if text else ""


def _write_text_sheet(sheet: Worksheet, document: Document) -> None:
    """正文: the title, 发文字号 and the text, one paragraph a row, so the file is never empty."""
    sheet.title = "正文"
    sheet.column_dimensions["A"].width = TEXT_SHEET_WIDTH
    texts = [document.title, document.doc_number, f"{document.addressees}：", document.opening]
    headings = set()
    for section in document.sections:
        headings.add(len(texts) + 1)
        texts.append(section.heading)
        texts.extend(p.lead + p.text for p in section.paragraphs)
    texts.extend(f"附件{annex.number}：{annex.title}" for annex in document.annexes)
    texts += [document.signer, document.date]
    if document.note:
        texts.append(f"（{document.note}）")
    for row, text in enumerate(texts, start=1):
        cell = sheet.cell(row, 1)
        _set_text(cell, text)
        cell.font = _TITLE if row == 1 else _BOLD if row in headings else _FONT
        cell.alignment = Alignment(horizontal="center" if row <= 2 else "left", vertical="top",
                                   wrap_text=True)
        if row == 1:
            sheet.row_dimensions[row].height = 20 * _lines(text, TEXT_SHEET_WIDTH, 14) + 3
        else:
            sheet.row_dimensions[row].height = LINE_HEIGHT * _lines(text, TEXT_SHEET_WIDTH) + 3
    _page_setup(sheet, landscape=False)


def _write_annex_sheet(sheet: Worksheet, annex: Annex) -> None:
    table = annex.table
    count = table.column_count
    widths = _column_widths(table)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    title = "\n".join(balanced_lines(annex.title, _characters(sum(widths), 14, CHAR_WIDTH)))
    _merged_line(sheet, 1, title, count, _TITLE, "center")
    sheet.row_dimensions[1].height = 20 * _lines(title, sum(widths), 14) + 8

    first = 2  # the first header row
    rows = (*table.header, *table.body)
    header_rows = len(table.header)
    styles: dict = {}
    lines = [1] * len(rows)  # text lines each row needs
    spanning = []  # (first row, rows, lines) of cells spanning rows
    for index, (row, starts) in enumerate(zip(rows, cell_positions(rows, count), strict=True)):
        for cell, start in zip(row, starts, strict=True):
            width = sum(widths[start:start + cell.colspan])
            if index < header_rows:  # a heading broken between words (its column may be narrow)
                cell = replace(cell, text="\n".join(column_lines(cell.text, width, CHAR_WIDTH, PADDING)))
            _write_cell(sheet.cell(first + index, start + 1), cell, index < header_rows, styles)
            if cell.colspan > 1 or cell.rowspan > 1:
                sheet.merge_cells(start_row=first + index, start_column=start + 1,
                                  end_row=first + index + cell.rowspan - 1, end_column=start + cell.colspan)
            needed = _lines(cell.text, width)
            if cell.rowspan == 1:
                lines[index] = max(lines[index], needed)
            else:
                spanning.append((index, cell.rowspan, needed))
    for index, span, needed in spanning:  # the last spanned row takes what the others lack
        lines[index + span - 1] += max(0, needed - sum(lines[index:index + span]))
    for index, count_lines in enumerate(lines):
        sheet.row_dimensions[first + index].height = count_lines * LINE_HEIGHT + 4

    if table.note:
        row = first + len(rows)
        _merged_line(sheet, row, table.note, count, _FONT, "left")
        sheet.row_dimensions[row].height = _lines(table.note, sum(widths)) * LINE_HEIGHT + 4

    below_header = first + header_rows
    sheet.freeze_panes = f"A{below_header}"
    if header_rows:
        sheet.print_title_rows = f"{first}:{below_header - 1}"
    _page_setup(sheet, landscape=table.landscape)


def _write_cell(target, cell: Cell, header: bool, styles: dict) -> None:
    fmt = None
    if cell.value is not None and not isinstance(cell.value, bool):
        fmt = number_format(cell.text, cell.value)
    # Assigning fonts and borders one by one costs openpyxl a hash per attribute: reuse the
    # finished style of the first cell that looks the same (tenfold faster on long tables).
    key = (header, cell.bold, cell.align, fmt)
    if key in styles:
        target._style = copy(styles[key])
    else:
        target.font = Font(name=HEADER_FONT_NAME if header else FONT_NAME, size=FONT_SIZE, bold=cell.bold)
        target.border = _BORDER
        target.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=True)
        target.number_format = fmt or "General"
        styles[key] = copy(target._style)
    if fmt is None:
        _set_text(target, cell.text)
    else:
        target.value = cell.value


def _set_text(target, text: str) -> None:
    text = _clean(text)
    target.value = text
    if is_formula_like(text):
        target.data_type = "s"  # text, never a formula Excel would run
        target.quotePrefix = True  # and it stays text when someone edits the cell


def _clean(text: str) -> str:
    """Text as XML allows it (a vertical tab pasted from Word would make openpyxl refuse it)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _merged_line(sheet: Worksheet, row: int, text: str, count: int, font: Font, align: str) -> None:
    cell = sheet.cell(row, 1)
    _set_text(cell, text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if count > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=count)


def _column_widths(table: Table) -> list[float]:
    """Table.widths are relative: spread them over the printable width of the page, each
    column widened to keep its short cells on one line (序号, 四季度, 发布解读（31分）, 微信公众号,
    a date): a workbook is read on screen, and fit-to-width scales the print to the page."""
    total = sum(table.widths) or 1
    page = PAGE_WIDTH[table.landscape]
    needs = [0.0] * table.column_count
    rows = (*table.header, *table.body)
    for row, starts in zip(rows, cell_positions(rows, table.column_count), strict=True):
        for cell, start in zip(row, starts, strict=True):
            if cell.colspan == 1 and len(cell.text) <= WHOLE_CELL:
                needs[start] = max(needs[start], _display_width(cell.text) + PADDING + SLACK)
    return [round(max(4.0, page * width / total, need), 1)
            for width, need in zip(table.widths, needs, strict=True)]


def _lines(text: str, width: float, size: int = FONT_SIZE) -> int:
    """How many lines `text` wraps to in a column `width` units wide (a CJK character at
    11 pt takes about two units); Excel does not size rows of merged or wrapped cells itself."""
    return sum(max(1, math.ceil(_display_width(line) / _characters(width, size)))
               for line in text.split("\n"))


def _characters(width: float, size: int, char: float = 1.0) -> float:
    """How many units (`char` 1), or CJK characters (`char` CHAR_WIDTH), at `size` points a line
    `width` units wide holds."""
    return max(width - PADDING, 1) * FONT_SIZE / size / char


def _display_width(text: str) -> float:
    return sum(CHAR_WIDTH if unicodedata.east_asian_width(ch) in "WFA" else 1.1 for ch in text)


def _page_setup(sheet: Worksheet, *, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.8
    sheet.oddFooter.center.text = "— &P —"
