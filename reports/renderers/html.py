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
from django.utils.safestring import SafeString

from reports.document import Annex, Cell, Document

TEMPLATE = "reports/document.html"
PRINT_CSS = "reports/gbt9704.css"  # GB/T 9704 page layout: WeasyPrint and the browser's print
SCREEN_CSS = "reports/preview.css"  # the on-screen preview

# How many 2号 (22 pt) characters a title line holds in the 156 mm type area (≈ 20.3).
TITLE_EMS_PER_LINE = 20
# Width in points the 发文机关标志 may take (of 442): its size shrinks for long names, within bounds.
OFFICE_EMS_WIDTH_PT = 430
OFFICE_SIZE_PT = (22, 36)
# A title line may end after these characters (…办公室 / …关于 / …年 / …的 / …和) without
# splitting a word; a break elsewhere costs as much as being 3 characters off balance.
_GOOD_BREAK_AFTER = frozenset("室厅局于的和与及年度")
_WORD_SPLIT_COST = 3
_NO_LINE_START = frozenset("，。、；：！？）》」』”’·—…")
_NO_LINE_END = frozenset("（《「『“‘")


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
    title: str
    wide: bool
    columns: list[str]  # column widths in percent, for <col style="width: …">
    header: list[list[tuple[SafeString, str]]]  # rows of (attributes, text)
    body: list[list[tuple[SafeString, str]]]
    note: str


def _annex_view(annex: Annex, count: int) -> _AnnexView:
    table = annex.table
    total = sum(table.widths)
    return _AnnexView(
        label="附件" if count == 1 else f"附件{annex.number}",
        title=annex.title,
        wide=table.landscape,
        columns=[f"{100 * width / total:.3f}%" for width in table.widths],
        header=_rows(table.header),
        body=_rows(table.body),
        note=table.note,
    )


def _rows(rows: tuple[tuple[Cell, ...], ...]) -> list[list[tuple[SafeString, str]]]:
    return [[(_cell_attributes(cell), cell.text) for cell in row] for row in rows]


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
    """附件说明 rows as (number, title): “1．” … for several annexes, no number for one."""
    if len(annexes) == 1:
        return [("", annexes[0].title)]
    return [(f"{annex.number}．", annex.title) for annex in annexes]


def _office_style(office: str) -> SafeString:
    """The 发文机关标志 as large as fits on one line of the type area, within OFFICE_SIZE_PT."""
    smallest, largest = OFFICE_SIZE_PT
    size = max(smallest, min(largest, math.floor(OFFICE_EMS_WIDTH_PT / max(_ems(office), 1))))
    return format_html("font-size: {}pt", size)


def balanced_lines(text: str, per_line: int) -> list[str]:
    """Break a title into lines of about equal length (GB/T 9704 asks for a trapezoid or
    diamond, words kept whole), preferring breaks after 关于, 的, 和, 年. Browsers and
    WeasyPrint would otherwise fill each line and leave a stub such as “的通报” alone."""
    widths = [_ems(char) for char in text]
    count = math.ceil(sum(widths) / per_line)
    if count <= 1:
        return [text]
    ends = [sum(widths[: i + 1]) for i in range(len(text))]  # width up to and including text[i]
    lines, start, done = [], 0, 0.0
    for k in range(1, count):
        target = sum(widths) * k / count
        candidates = [
            (abs(ends[i - 1] - target) + (0 if text[i - 1] in _GOOD_BREAK_AFTER else _WORD_SPLIT_COST), i)
            for i in range(start + 1, len(text))
            if _can_break(text, i) and ends[i - 1] - done <= per_line
            and sum(widths) - ends[i - 1] <= per_line * (count - k)
        ]
        if not candidates:
            return [text]
        _, cut = min(candidates)
        lines.append(text[start:cut])
        start, done = cut, ends[cut - 1]
    return [*lines, text[start:]]


def _can_break(text: str, i: int) -> bool:
    before, after = text[i - 1], text[i]
    if after in _NO_LINE_START or before in _NO_LINE_END:
        return False
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())


def _ems(text: str) -> float:
    """Width in characters of the type grid: Latin letters and digits are half as wide."""
    return sum(0.5 if char.isascii() else 1.0 for char in text)

