"""One entry point to the renderers, and the rule for what runs in the background."""

from __future__ import annotations

import hashlib
import re

from django.core.files.base import ContentFile

from .choices import FileFormat
from .document import Document
from .models import Circular, CircularFile

CONTENT_TYPES = {
    FileFormat.HTML: "text/html; charset=utf-8",
    FileFormat.PDF: "application/pdf",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# WeasyPrint lays out ~6 pages a second: beyond this many annex rows a PDF is rendered in a
# background task (1,000 list rows ≈ 64 pages ≈ 10 s here) instead of holding a request.
BACKGROUND_ROWS = 300


def render(fmt: str, document: Document, *, strict: bool = False) -> bytes:
    """The document in one format; `strict` refuses a PDF with a character no font has."""
    if fmt == FileFormat.HTML:
        from .renderers.html import render_html

        return render_html(document).encode("utf-8")
    if fmt == FileFormat.PDF:
        from .renderers.pdf import render_pdf

        return render_pdf(document, strict=strict)
    if fmt == FileFormat.XLSX:
        from .renderers.xlsx import render_xlsx

        return render_xlsx(document)
    if fmt == FileFormat.DOCX:
        from .renderers.docx import render_docx

        return render_docx(document)
    raise ValueError(f"unknown format {fmt!r}")


def annex_rows(document: Document) -> int:
    return sum(len(annex.table.body) for annex in document.annexes)


def runs_in_background(fmt: str, document: Document) -> bool:
    return fmt == FileFormat.PDF and annex_rows(document) > BACKGROUND_ROWS


def filename(document: Document, fmt: str) -> str:
    """发文字号 and title, safe on every file system."""
    stem = re.sub(r'[\\/:*?"<>|\s]+', "", f"{document.doc_number}{document.title}")[:120]
    return f"{stem}.{fmt}"


def file_for(circular: Circular, fmt: str, content: bytes, *, issued: bool = False) -> CircularFile:
    """A rendered file written to storage under a random name, with its SHA-256, and its record
    not yet saved: issuing renders every format first and records them all at once."""
    stored = CircularFile(circular=circular, format=fmt, issued=issued,
                          sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    stored.file.save(f"{fmt}", ContentFile(content), save=False)
    return stored


def store(circular: Circular, fmt: str, content: bytes, *, issued: bool = False) -> CircularFile:
    """Keep a rendered file with its SHA-256 (under a random name, served only through a
    view that checks scope)."""
    stored = file_for(circular, fmt, content, issued=issued)
    stored.save()
    return stored
