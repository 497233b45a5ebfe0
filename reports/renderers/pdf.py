"""The circular as a PDF in the official layout (GB/T 9704-2012), with WeasyPrint.

The markup is the HTML renderer's; `static/reports/gbt9704.css` lays it out. WeasyPrint takes
about 0.15 s a page: a circular with annexes of many hundred rows belongs in a background task.

Where the PDF departs from the standard, because WeasyPrint has no way to do it:
- the 版记 closing an even last page keeps that page's number (when the pages before it leave it
  on an odd page, it takes an even page of its own without a number, as the standard asks);
- titles and short table cells are broken between words by a heuristic (layout.balanced_lines).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.html import format_html, format_html_join
from weasyprint import HTML

from reports.document import Document, Table

from .html import PRINT_CSS, render_document, stylesheet

# Laid over PRINT_CSS when the 版记 fell on an odd page: it moves to an even page of its own.
VERSO_CSS = "reports/gbt9704-verso.css"
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
    styles = [("print", stylesheet(PRINT_CSS))]
    with captured_warnings() as warnings:
        laid_out = HTML(string=render_document(document, styles, folios=True)).render()
        if len(laid_out.pages) % 2 and document.has_colophon:
            # The 版记 belongs on the back of the last sheet. Only a second layout can move it:
            # a PDF with an odd page count takes twice as long.
            styles.append(("print", stylesheet(VERSO_CSS)))
            laid_out = HTML(string=render_document(document, styles, folios=True)).render()
        pdf = laid_out.write_pdf()
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
