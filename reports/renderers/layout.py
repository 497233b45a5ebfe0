"""What the renderers share about laying out text and tables: where titles and table cells
break (titles in lines of about equal length, cells at word boundaries), how wide columns are
(wide enough for their short headings) and which column each table cell starts in.

Browsers, WeasyPrint, Word and Excel break Chinese between any two characters, which leaves
“…政务新媒 / 体”, “二季 / 度” or “发布解读（31 / 分）”; every renderer asks these functions
instead (GB/T 9704 asks for titles in balanced lines with words kept whole).

Widths are in characters (em) of the text's own size. Chinese has no spaces to find words by,
so the rules are a heuristic: a line may end after the characters that end the words of a
circular's titles and headings, never inside short brackets or quotes, a number or 季度/年度.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from ..document import Cell, Table

# A line may end after these characters (…办公室 / …关于 / …年 / …的 / …全州 / …网站 / …问题 /
# …账号 / …情况) or start with these (不合格… / 在运行… / 工作… / 仍未… / 未办理…) without
# splitting a word; a break elsewhere costs as much as being 3 characters off balance.
_GOOD_BREAK_AFTER = frozenset("室厅局于的和与及年度州县市区站体况题号言门”》）")
_GOOD_BREAK_BEFORE = frozenset("不在工仍未“《（")
_WORD_SPLIT_COST = 3
_NO_LINE_START = frozenset("，。、；：！？）》」』”’·—…季度")
_NO_LINE_END = frozenset("（《「『“‘")
_OPENING, _CLOSING = "（《「『“‘(", "）》」』”’)"
# Brackets and quotes around at most this many characters are kept on one line: （31分）,
# “政民互动”, （市、区）; a long book title in 《》 may break inside.
_KEPT_TOGETHER = 8
# A heading of this many characters or fewer is one word: 序号, 平台, 四季度, 发布时间.
SHORT_LABEL = 4
# Cells longer than this are left to wrap as the text flows; shorter ones (headings, labels,
# names) are broken at word boundaries.
SHORT_CELL = 16
# Room in characters kept free on a cell's line: a line that exactly fills its cell may still
# wrap, by rounding.
_SLACK = 0.1


def ems(text: str) -> float:
    """Width in characters of the type grid: Latin letters and digits are half as wide."""
    return sum(0.5 if char.isascii() else 1.0 for char in text)


def _printed_ems(char: str) -> float:
    """A character's printed width: the CJK fonts' digits and Latin letters take 0.55–0.6 em,
    a little more than the type grid's half, which matters when a line is nearly full."""
    return 0.6 if char.isascii() else 1.0


def balanced_lines(text: str, per_line: float) -> list[str]:
    """Break a title into lines of about equal length (GB/T 9704 asks for a trapezoid or
    diamond, words kept whole), preferring breaks after 关于, 的, 和, 年. Browsers and
    WeasyPrint would otherwise fill each line and leave a stub such as “的通报” alone. Text
    with no acceptable break is returned whole."""
    widths = [_printed_ems(char) for char in text]
    total = sum(widths)
    ends = [sum(widths[: i + 1]) for i in range(len(text))]  # width up to and including text[i]
    allowed = _break_points(text)
    for count in range(max(1, math.ceil(total / per_line)), len(text) + 1):
        lines = _lines_of(text, count, per_line, ends, allowed)
        if lines is not None:
            return lines
    return [text]


def _lines_of(text: str, count: int, per_line: float, ends: list[float],
              allowed: list[bool]) -> list[str] | None:
    total = ends[-1] if ends else 0
    if count == 1:
        return [text] if total <= per_line else None
    lines, start, done = [], 0, 0.0
    for k in range(1, count):
        target = total * k / count
        candidates = [
            (abs(ends[i - 1] - target) + _split_cost(text, i), i)
            for i in range(start + 1, len(text))
            if allowed[i] and ends[i - 1] - done <= per_line
            and total - ends[i - 1] <= per_line * (count - k)
        ]
        if not candidates:
            return None
        _, cut = min(candidates)
        lines.append(text[start:cut])
        start, done = cut, ends[cut - 1]
    return [*lines, text[start:]]


def _split_cost(text: str, i: int) -> float:
    """What a line break before text[i] costs in characters of balance: nothing between words."""
    good = text[i - 1] in _GOOD_BREAK_AFTER or text[i] in _GOOD_BREAK_BEFORE
    return 0 if good else _WORD_SPLIT_COST


def _break_points(text: str) -> list[bool]:
    """Whether a line may start at each index: not inside short brackets or quotes, nor inside
    a number or next to one (2021年, 31分, 账号1), nor before a closing mark or the 季度 of 四季度."""
    allowed = [i > 0 for i in range(len(text))]
    for i in range(1, len(text)):
        before, char = text[i - 1], text[i]
        if char in _NO_LINE_START or before in _NO_LINE_END or _joined_to_a_number(before, char):
            allowed[i] = False
    opened: list[int] = []
    for i, char in enumerate(text):
        if char in _OPENING:
            opened.append(i)
        elif char in _CLOSING and opened:
            start = opened.pop()
            if i - start - 1 <= _KEPT_TOGETHER:
                allowed[start + 1:i + 1] = [False] * (i - start)
    return allowed


def _joined_to_a_number(before: str, char: str) -> bool:
    """Whether two characters belong together: two Latin ones (a number, a word), or a Latin
    letter or digit and the Chinese character beside it, unless that is a bracket."""
    if before.isascii() and char.isascii():
        return not before.isspace()
    latin = before if before.isascii() else char
    return latin.isascii() and latin.isalnum() and char not in _OPENING and before not in _CLOSING


@lru_cache(maxsize=10_000)  # a long list repeats its names, platforms and dates
def cell_lines(text: str, per_line: float) -> tuple[str, ...]:
    """A table cell's text in lines at most `per_line` characters wide: whole where it fits,
    else broken at word boundaries; a short heading that cannot be broken so (二季度 in a column
    two characters wide) is set one character a line rather than split unevenly."""
    if _text_ems(text) <= per_line or "\n" in text:
        return (text,)
    lines = balanced_lines(text, per_line)
    if len(lines) == 1 and len(text) <= SHORT_LABEL and not any(char.isascii() for char in text):
        return tuple(text)
    return tuple(lines)


def fitted_widths(widths: Sequence[float], headings: Sequence[str], room: float, char: float,
                  padding: float) -> list[float]:
    """Relative column widths spread over `room`, then each column too narrow for its short
    heading (of up to SHORT_LABEL characters: 序号, 四季度) widened to hold it on one line, the
    room taken from the other columns in proportion. `headings` holds each column's own
    heading ("" where one spans several columns); `char` is a character's width and `padding`
    a cell's, in the unit of `room`. When the headings cannot all fit, the widths stay
    proportional (cell_lines then sets the headings one character a line)."""
    count, total = len(widths), sum(widths) or 1
    needs = [(_text_ems(h) + _SLACK) * char + padding if 0 < len(h) <= SHORT_LABEL else 0.0
             for h in headings]
    if sum(needs) > room:
        return [room * width / total for width in widths]
    fixed: set[int] = set()  # columns held at their heading's width
    while True:
        spare = room - sum(needs[i] for i in fixed)
        free = sum(widths[i] for i in range(count) if i not in fixed)
        fitted = [needs[i] if i in fixed else spare * widths[i] / free for i in range(count)]
        short = {i for i in range(count) if i not in fixed and fitted[i] < needs[i]}
        if not short:
            return fitted
        fixed |= short
        if len(fixed) == count:
            return [need * room / sum(needs) for need in needs]


def column_lines(text: str, width: float, char: float, padding: float) -> tuple[str, ...]:
    """A table cell's text in lines for its column `width` wide (`char` a character's width and
    `padding` the cell's, in the same unit): a short text as cell_lines breaks it, a long one
    whole, to wrap as it flows."""
    if len(text) > SHORT_CELL:
        return (text,)
    return cell_lines(text, (width - padding) / char - _SLACK)


def _text_ems(text: str) -> float:
    return sum(_printed_ems(char) for char in text)


def cell_positions(rows: Sequence[Sequence[Cell]], column_count: int) -> list[list[int]]:
    """The first column (0-based) of every cell of `rows`. Cells covered by a span are left
    out of the rows, as in HTML, so each cell takes the next column not already taken by a
    cell to its left or by a rowspan from a row above."""
    covered: set[tuple[int, int]] = set()  # (row, column) under a rowspan from above
    positions = []
    for row_index, row in enumerate(rows):
        column = 0
        starts = []
        for cell in row:
            while (row_index, column) in covered:
                column += 1
            if column + cell.colspan > column_count:
                raise ValueError(f"row {row_index + 1} is wider than the table's {column_count} columns")
            starts.append(column)
            for below in range(1, cell.rowspan):
                covered.update((row_index + below, column + c) for c in range(cell.colspan))
            column += cell.colspan
        positions.append(starts)
    return positions


def column_headings(table: Table) -> list[str]:
    """Each column's own heading: the header cell that covers it alone, lowest first ("" when
    only cells spanning several columns head it)."""
    headings = [""] * table.column_count
    for row, starts in zip(table.header, cell_positions(table.header, table.column_count),
                           strict=True):
        for cell, start in zip(row, starts, strict=True):
            if cell.colspan == 1:
                headings[start] = cell.text
    return headings
