"""The circular as HTML: the portal's preview, the downloadable page, and the body of the PDF.

`templates/reports/document.html` holds the markup; this module only prepares what the
template cannot do by itself (column widths in percent, cell attributes, the title's line
breaks). Text comes from users and is escaped by the template engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from reports.document import Annex, Cell, Document

from .layout import balanced_lines, cell_positions, column_headings, column_lines, ems, fitted_widths

TEMPLATE = "reports/document.html"
PRINT_CSS = "reports/gbt9704.css"  # GB/T 9704 page layout: WeasyPrint and the browser's print
SCREEN_CSS = "reports/preview.css"  # the on-screen preview

# How many 2号 (22 pt) characters a title line holds in the 156 mm type area (≈ 20.3), and in
# the 225 mm of a landscape annex (≈ 29.3).
TITLE_EMS_PER_LINE = 20
ANNEX_TITLE_EMS_PER_LINE = {False: TITLE_EMS_PER_LINE, True: 29}
# 附件说明: a line of 28 characters less the 2 of indent and the 3 of “附件：”, and the 1 of “1．”
# when several annexes are numbered.
ATTACHMENT_EMS_PER_LINE = 28 - 2 - 3
# Width in points the 发文机关标志 may take (of 442): its size shrinks for long names, within bounds.
OFFICE_EMS_WIDTH_PT = 430
OFFICE_SIZE_PT = (22, 36)
# The annex tables as gbt9704.css prints them: the type area's width upright and turned, 五号
# characters, and the padding either side of a cell's text, in millimetres.
TYPE_AREA_MM = {False: 156, True: 225}
TABLE_CHAR_MM = 10.5 * 25.4 / 72
CELL_PADDING_MM = 2 * 1.2


def render_html(document: Document, *, standalone: bool = True) -> str:
    """The document as HTML. Standalone: a full page with its CSS inline (screen and print),
    which works when downloaded and opened alone. Otherwise only the document's markup, for a
    page that loads `static/reports/preview.css` itself."""
    if not standalone:
        return render_document(document, None)
    return render_document(document, [("screen", stylesheet(SCREEN_CSS)), ("print", stylesheet(PRINT_CSS))])


def render_document(document: Document, styles: list[tuple[str, str]] | None, *,
                    folios: bool = False) -> str:
    """The template with `styles` as (media, css) pairs; None renders the markup alone.
    `folios` adds the page numbers of landscape pages, which only WeasyPrint places."""
    context = {
        "doc": document,
        "standalone": styles is not None,
        "folios": folios,
        "styles": [(media, SafeString(css)) for media, css in styles or ()],
        "office_style": _office_style(document.office),
        "title_lines": balanced_lines(document.title, TITLE_EMS_PER_LINE),
        "attachments": _attachments(document.annexes),
        "annexes": [_annex_view(annex, len(document.annexes)) for annex in document.annexes],
    }
    return render_to_string(TEMPLATE, context)


@cache
def stylesheet(name: str) -> str:
    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(f"static file {name} not found")
    with open(path, encoding="utf-8") as file:
        return file.read()


@dataclass(frozen=True)
class _AnnexView:
    label: str  # 附件1, or 附件 when the circular has only one
    title: str  # its lines joined by <br>
    wide: bool
    columns: list[str]  # column widths in percent, for <col style="width: …">
    header: list[list[tuple[SafeString, str]]]  # rows of (attributes, text)
    body: list[list[tuple[SafeString, str]]]
    note: str


def _annex_view(annex: Annex, count: int) -> _AnnexView:
    table = annex.table
    room = TYPE_AREA_MM[table.landscape]
    widths = fitted_widths(table.widths, column_headings(table), room, TABLE_CHAR_MM,
                           CELL_PADDING_MM)
    return _AnnexView(
        label="附件" if count == 1 else f"附件{annex.number}",
        title=_joined(balanced_lines(annex.title, ANNEX_TITLE_EMS_PER_LINE[table.landscape])),
        wide=table.landscape,
        columns=[f"{100 * width / room:.3f}%" for width in widths],
        header=_rows(table.header, widths, table.column_count),
        body=_rows(table.body, widths, table.column_count),
        note=table.note,
    )


def _rows(rows: tuple[tuple[Cell, ...], ...], widths: list[float],
          count: int) -> list[list[tuple[SafeString, str]]]:
    """Each cell's attributes and text, a short text broken into lines that fit its column."""
    return [[(_cell_attributes(cell), _cell_text(cell, widths[start:start + cell.colspan]))
             for cell, start in zip(row, starts, strict=True)]
            for row, starts in zip(rows, cell_positions(rows, count), strict=True)]


def _cell_text(cell: Cell, widths: list[float]) -> str:
    """The text broken into lines by newlines, which the cells' `white-space: pre-line` keeps."""
    return "\n".join(column_lines(cell.text, sum(widths), TABLE_CHAR_MM, CELL_PADDING_MM))


def _joined(lines: list[str]) -> str:
    """Lines as HTML: escaped, joined by <br> (a single line stays plain text)."""
    if len(lines) == 1:
        return lines[0]
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))


def _cell_attributes(cell: Cell) -> SafeString:
    """` colspan="2" class="gw-l"` and the like; centred, unspanned cells get nothing, which
    keeps a thousand-row table small."""
    attributes = []
    if cell.colspan > 1:
        attributes.append(("colspan", cell.colspan))
    if cell.rowspan > 1:
        attributes.append(("rowspan", cell.rowspan))
    classes = [name for name, on in (("gw-l", cell.align == "left"), ("gw-r", cell.align == "right"),
                                     ("gw-b", cell.bold)) if on]
    if classes:
        attributes.append(("class", " ".join(classes)))
    return format_html_join("", ' {}="{}"', attributes)


def _attachments(annexes: tuple[Annex, ...]) -> list[tuple[str, str]]:
    """附件说明 rows as (number, title): “1．” … for several annexes, no number for one; a
    long title in lines broken between words."""
    if len(annexes) == 1:
        return [("", _joined(balanced_lines(annexes[0].title, ATTACHMENT_EMS_PER_LINE)))]
    return [(f"{annex.number}．", _joined(balanced_lines(annex.title, ATTACHMENT_EMS_PER_LINE - 1)))
            for annex in annexes]


def _office_style(office: str) -> SafeString:
    """The 发文机关标志 as large as fits on one line of the type area, within OFFICE_SIZE_PT."""
    smallest, largest = OFFICE_SIZE_PT
    size = max(smallest, min(largest, math.floor(OFFICE_EMS_WIDTH_PT / max(ems(office), 1))))
    return format_html("font-size: {}pt", size)
