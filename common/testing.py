"""Helpers for tests: build workbooks in memory, as offices would fill them."""

from __future__ import annotations

import io

from openpyxl import Workbook


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook whose sheets hold the given rows (the first row is the header)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def workbook_file(sheets: dict[str, list[list]], name: str = "名录.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, workbook_bytes(sheets))
