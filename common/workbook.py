"""Reading the offices' workbooks (spec: import-templates.md), shared by every import.

An import reads every sheet it knows, collects every problem as (sheet, row, column,
message) and only then, if there were none, writes; see `ImportFailed`.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

LIST_SEPARATORS = re.compile(r"[；;]")


@dataclass(frozen=True)
class Problem:
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”列")
        return ("，".join(where) + "：" if where else "") + self.message


class ImportFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class SheetCounts:
    """What an import did to one sheet's rows."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def line(self, sheet: str) -> str:
        return f"{sheet}：新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"


class CellError(ValueError):
    """A parser's complaint about one cell, in Chinese."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    parse: Parser | None = None
    example: Any = ""
    note: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    # A sheet may also take columns it cannot list in advance (one per indicator, say).
    extra_columns: Callable[[str], bool] | None = None


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def problem(self, column: str | None, message: str) -> Problem:
        return Problem(self.sheet, self.number, column, message)


# Cell parsers -------------------------------------------------------------------------

def text(value) -> str:
    """A cell as text: numbers typed into text columns lose Excel's ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def choice(options: dict[str, Any]) -> Parser:
    """A cell that must be one of the given Chinese words."""

    def parse(value):
        word = text(value)
        if word not in options:
            raise CellError(f"“{word}”不是可用的值，应为：{'、'.join(options)}")
        return options[word]

    return parse


DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")


def date(value) -> datetime.date:
    """An Excel date, or text such as 2021-07-02, 2021.7.2, 2021/7/2, 2021年7月2日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_RE.match(text(value))
    if not match:
        raise CellError(f"“{text(value)}”不是日期，应写作 2021-07-02 或 2021年7月2日")
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise CellError(f"“{text(value)}”不是有效日期") from error


def date_list(value) -> list[datetime.date]:
    return [date(part) for part in split_list(value)]


def number(value) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(text(value))
    except ValueError as error:
        raise CellError(f"“{text(value)}”不是数字") from error


def split_list(value) -> list[str]:
    """A list inside one cell, separated by ； or ;."""
    return [part.strip() for part in LIST_SEPARATORS.split(text(value)) if part.strip()]


# Reading ------------------------------------------------------------------------------

def open_workbook(file: IO[bytes], size: int | None = None) -> Workbook:
    """Open an uploaded or local .xlsx for streaming reads, or refuse it clearly."""
    limit = settings.IMPORT_MAX_BYTES
    if size is not None and size > limit:
        raise ImportFailed([Problem(None, None, None, (
            f"文件过大（{size / 1048576:.1f} MB），上限为 {limit // 1048576} MB。"
            "请删除多余的工作表或分批导入。"
        ))])
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFailed([Problem(None, None, None, (
            "文件不是有效的 Excel 工作簿（.xlsx）。旧版 .xls 或 WPS 文件请先另存为 .xlsx 再导入。"
        ))]) from error


def read_sheet(workbook: Workbook, spec: SheetSpec, problems: list[Problem]) -> list[Row]:
    """The sheet's non-empty rows, parsed; every bad cell is added to `problems`."""
    rows_iter: Iterator[tuple] = workbook[spec.name].iter_rows(values_only=True)
    header = next(rows_iter, None)
    if header is None:
        problems.append(Problem(spec.name, 1, None, "工作表是空的，第1行应为表头"))
        return []
    positions = _header_positions(spec, header, problems)
    if positions is None:
        return []
    by_header = {c.header: c for c in spec.columns}
    rows = []
    for number, cells in enumerate(rows_iter, start=2):
        if all(text(c) == "" for c in cells):
            continue
        row = Row(spec.name, number, {column.key: None for column in spec.columns})
        for header_text, index in positions.items():
            raw = cells[index] if index < len(cells) else None
            column = by_header.get(header_text)
            if column is None:
                row.extra[header_text] = raw
                continue
            _parse_cell(row, column, raw, problems)
        rows.append(row)
    return rows


def in_sheet_order(problems: list[Problem], specs: list[SheetSpec] | tuple) -> list[Problem]:
    """Problems in the order a reader meets them: the workbook's own first, then by sheet
    (the specs' order), row, and column (the template's order; a whole-row problem first)."""
    sheets = {spec.name: index for index, spec in enumerate(specs)}
    columns = {(spec.name, column.header): index
               for spec in specs for index, column in enumerate(spec.columns)}

    def position(problem: Problem) -> tuple:
        return (
            sheets.get(problem.sheet, len(sheets)) if problem.sheet else -1,
            problem.row or 0,
            columns.get((problem.sheet, problem.column), len(columns)) if problem.column else -1,
        )

    return sorted(problems, key=position)


def _header_positions(spec: SheetSpec, header: tuple, problems: list[Problem]):
    known = {c.header for c in spec.columns}
    positions: dict[str, int] = {}
    unknown = []
    for index, cell in enumerate(header):
        name = text(cell)
        if not name:
            continue
        if name in positions:
            problems.append(Problem(spec.name, 1, name, "表头重复"))
        elif name in known or (spec.extra_columns and spec.extra_columns(name)):
            positions[name] = index
        else:
            unknown.append(name)
    if unknown:
        problems.append(Problem(spec.name, 1, None, (
            f"无法识别的列：{'、'.join(unknown)}。可用的列：{'、'.join(c.header for c in spec.columns)}"
        )))
    missing = [c.header for c in spec.columns if c.required and c.header not in positions]
    if missing:
        problems.append(Problem(spec.name, 1, None, f"缺少必填列：{'、'.join(missing)}"))
    return None if (unknown or missing) else positions


def _parse_cell(row: Row, column: Column, raw, problems: list[Problem]) -> None:
    if text(raw) == "":
        if column.required:
            problems.append(row.problem(column.header, "必填，不能为空"))
        row.values[column.key] = None
        return
    try:
        row.values[column.key] = column.parse(raw) if column.parse else text(raw)
    except CellError as error:
        problems.append(row.problem(column.header, str(error)))
        row.values[column.key] = None


# Templates ----------------------------------------------------------------------------

def template_workbook(specs: list[SheetSpec], notes: list[str]) -> Workbook:
    """The downloadable template: per sheet a header row and one example row, plus 说明."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    for spec in specs:
        sheet = workbook.create_sheet(spec.name)
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.font = bold
            if column.required:
                cell.fill = required_fill
            sheet.cell(row=2, column=index, value=column.example)
            sheet.column_dimensions[get_column_letter(index)].width = max(
                12, 2 * len(column.header) + 4, len(str(column.example)) * 2
            )
        sheet.freeze_panes = "A2"
    sheet = workbook.create_sheet("说明")
    sheet.column_dimensions["A"].width = 110
    for line in notes:
        sheet.append([line])
    for spec in specs:
        sheet.append([])
        sheet.append([f"工作表“{spec.name}”"])
        for column in spec.columns:
            mark = "（必填）" if column.required else ""
            sheet.append([f"  {column.header}{mark}：{column.note}".rstrip("：")])
    return workbook
