"""Downloads of a table's rows as XLSX or CSV, the same columns as on screen."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("xlsx", "csv")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def stamped_filename(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.{extension}"


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Offices read times on the clock of Asia/Shanghai, to the minute; Excel has no zones.
        return timezone.localtime(value).replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool):
        return value
    return str(value)


def xlsx_bytes(sheet_title: str, rows: Iterable[list]) -> bytes:
    """A one-sheet workbook: the first row is the header, bold and frozen."""
    return xlsx_workbook_bytes([(sheet_title, rows)])


def xlsx_workbook_bytes(sheets: Iterable[tuple[str, Iterable[list]]]) -> bytes:
    """A workbook of one sheet per (title, rows), each laid out as xlsx_bytes lays out one."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        _write_sheet(workbook.create_sheet(title[:31]), rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_sheet(sheet, rows: Iterable[list]) -> None:
    sheet.freeze_panes = "A2"
    widths: dict[int, int] = {}
    buffered = []
    for row in rows:
        values = [_cell_value(v) for v in row]
        for index, value in enumerate(values, start=1):
            width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value)) + 2
            widths[index] = min(max(widths.get(index, 8), width), 60)
        buffered.append(values)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    for row_number, values in enumerate(buffered):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if is_formula_like(value):
                cell.data_type = "s"  # text, never a formula Excel would run
            if row_number == 0:
                cell.font = bold
                cell.alignment = Alignment(horizontal="center")
            cells.append(cell)
        sheet.append(cells)


def xlsx_response(stem: str, sheet_title: str, rows: Iterable[list]) -> HttpResponse:
    return xlsx_workbook_response(stem, [(sheet_title, rows)])


def xlsx_workbook_response(stem: str, sheets: Iterable[tuple[str, Iterable[list]]]) -> HttpResponse:
    response = HttpResponse(xlsx_workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, stamped_filename(stem, "xlsx")
    )
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[list]) -> Iterator[str]:
    # The byte-order mark makes Excel read the file as UTF-8 instead of GBK.
    yield "\ufeff"
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(
            ["'" + v if is_formula_like(v) else v for v in (_cell_value(x) for x in row)]
        )


def csv_response(stem: str, rows: Iterable[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, stamped_filename(stem, "csv")
    )
    return response


def export_response(fmt: str, stem: str, title: str, rows: Iterable[list]):
    if fmt == "csv":
        return csv_response(stem, rows)
    return xlsx_response(stem, title, rows)
