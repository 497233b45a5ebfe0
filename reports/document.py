"""The one document model every renderer reads (HTML, PDF, XLSX, DOCX).

A Document holds text and tables exactly as printed; renderers lay it out and never compute
a figure. An issued circular stores its Document as JSON (to_dict), so later score changes
cannot alter what was issued.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Cell:
    """One table cell as printed. `value` is the number behind a numeric cell (XLSX stores
    it as a number); cells covered by another cell's span are simply left out, as in HTML."""

    text: str
    value: int | float | None = None
    colspan: int = 1
    rowspan: int = 1
    align: str = "center"  # left, center or right
    bold: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]  # relative column widths, one per column
    note: str = ""  # the line under the table, e.g. 注：数据监测采样时间为…
    landscape: bool = False  # too wide for a portrait page

    @property
    def column_count(self) -> int:
        return len(self.widths)


@dataclass(frozen=True)
class Annex:
    number: int
    title: str
    table: Table
    key: str = ""  # which builder made it


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; `lead` is an inline heading such as “（一）…情况。” set in 楷体."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Section:
    heading: str  # 一、检查情况 (set in 黑体)
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Document:
    office: str  # 发文机关, e.g. 文山州人民政府办公室
    doc_number: str  # 发文字号, e.g. 文政办〔2022〕28号
    title: str
    addressees: str  # 主送机关, without the colon
    opening: str
    sections: tuple[Section, ...]
    signer: str  # 署名
    date: str  # 成文日期, e.g. 2022年1月10日
    note: str = ""  # 附注, printed in （ ）
    cc: str = ""  # 抄送 list, without 抄送： and the final 。
    printer: str = ""  # 印发机关
    print_date: str = ""  # 印发日期, e.g. 2022年1月10日 (印发 is added by the layout)
    annexes: tuple[Annex, ...] = field(default=())

    @property
    def has_colophon(self) -> bool:
        """Whether the document carries a 版记."""
        return bool(self.cc or self.printer or self.print_date)

    @property
    def attachment_titles(self) -> list[str]:
        return [annex.title for annex in self.annexes]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        def cells(rows):
            return tuple(tuple(Cell(**cell) for cell in row) for row in rows)

        annexes = tuple(
            Annex(a["number"], a["title"], Table(
                cells(a["table"]["header"]), cells(a["table"]["body"]),
                tuple(a["table"]["widths"]), a["table"]["note"], a["table"]["landscape"],
            ), a.get("key", ""))
            for a in data["annexes"]
        )
        sections = tuple(
            Section(s["heading"], tuple(Paragraph(**p) for p in s["paragraphs"]))
            for s in data["sections"]
        )
        plain = {k: v for k, v in data.items() if k not in {"annexes", "sections"}}
        return cls(**plain, sections=sections, annexes=annexes)
