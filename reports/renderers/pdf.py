"""The circular as a PDF in the official layout (GB/T 9704-2012), with WeasyPrint.

The markup is the HTML renderer's; `static/reports/gbt9704.css` lays it out. WeasyPrint takes
about 0.15 s a page: a circular with annexes of many hundred rows belongs in a background task.

Where the PDF departs from the standard, because WeasyPrint has no way to do it:
- the 版记 closes the last page (after the annexes, its last rule on the bottom edge of the type
  area) but that page is not forced to be an even one, and it keeps its page number;
- a landscape annex page carries its number at the foot of the landscape page, not where the
  number of the upright sheet would be, and its table head is always on the same side;
- the title is broken into lines of about equal length by a heuristic (html.balanced_lines).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.html import format_html, format_html_join
from weasyprint import HTML

from reports.document import Document, Table

from .html import PRINT_CSS, render_document, stylesheet

logger = logging.getLogger(__name__)

# WeasyPrint logs a missing glyph (it then prints a blank box) and font loading or subsetting
# failures as warnings on these loggers.
FONT_LOGGERS = ("weasyprint", "fontTools")


class FontProblem(RuntimeError):
    """WeasyPrint reported a missing glyph or a font it could not use."""


def render_pdf(document: Document, *, strict: bool = False) -> bytes:
    """The document as a PDF. WeasyPrint's warnings (a character no installed font has, a font
    that cannot be embedded) are logged; with strict=True they raise FontProblem instead, for
    a file that is about to be issued and must not show a blank box."""
    html = render_document(document, [("print", stylesheet(PRINT_CSS))])
    with captured_warnings() as warnings:
        pdf = HTML(string=html).write_pdf()
    if warnings:
        if strict:
            raise FontProblem("; ".join(warnings))
        logger.warning("PDF of “%s”: %d font warnings, first: %s", document.title, len(warnings),
                       warnings[0])
    return pdf


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect the messages WeasyPrint and fontTools log at WARNING or above, as they go."""
    messages: list[str] = []
    handler = _ListHandler(messages)
    loggers = [logging.getLogger(name) for name in FONT_LOGGERS]
    for each in loggers:
        each.addHandler(handler)
    try:
        yield messages
    finally:
        for each in loggers:
            each.removeHandler(handler)


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]):
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


def bare_table_html(table: Table) -> str:
    """One annex table as a page of plain HTML, with only a CJK font and cell borders: the
    baseline bench/circular.py compares render_pdf against (what WeasyPrint needs for the
    table itself, without our layout)."""
    def cells(rows, tag):
        return format_html_join("", "<tr>{}</tr>", (
            (format_html_join("", "<{0} colspan={1} rowspan={2}>{3}</{0}>",
                              ((tag, c.colspan, c.rowspan, c.text) for c in row)),)
            for row in rows
        ))

    return format_html(
        "<!doctype html><html lang=zh-Hans><head><meta charset=utf-8><style>"
        "body {{ font: 10.5pt \"Noto Serif CJK SC\", serif }} table {{ border-collapse: collapse }}"
        " td, th {{ border: 0.5pt solid }}</style></head><body><table><thead>{}</thead>"
        "<tbody>{}</tbody></table></body></html>",
        cells(table.header, "th"), cells(table.body, "td"),
    )
