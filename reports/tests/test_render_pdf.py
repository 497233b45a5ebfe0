"""The PDF renderer, read back with poppler (pdftotext, pdfinfo, pdffonts): the text, the page
geometry of GB/T 9704-2012, the fonts and the repeated table headers."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, replace

import pytest

from reports.document import Paragraph, Section, Table
from reports.renderers.html import CELL_PADDING_MM, TABLE_CHAR_MM
from reports.renderers.layout import column_headings, fitted_widths
from reports.renderers.pdf import FontProblem, render_pdf
from reports.testing import sample_document

MM = 72 / 25.4
A4 = (595.28, 841.89)
# The type area (版心) on a portrait page and on a landscape annex page, in points.
PORTRAIT_AREA = (28 * MM, 37 * MM, 156 * MM, 225 * MM)  # left, top, width, height
LANDSCAPE_AREA = (35 * MM, 28 * MM, 225 * MM, 156 * MM)
LIST_ROWS = 110  # an even number of pages: no page left blank before the 版记


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def area(self) -> tuple[float, float, float, float]:
        return LANDSCAPE_AREA if self.landscape else PORTRAIT_AREA

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words)


def read_pdf(pdf: bytes, tmp_path_factory) -> list[Page]:
    path = tmp_path_factory.mktemp("pdf") / "document.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    pages = []
    for number, (attrs, body) in enumerate(re.findall(r"<page ([^>]*)>(.*?)</page>", out, re.S), 1):
        size = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
        words = [Word(html.unescape(text), *map(float, box)) for *box, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body)]
        pages.append(Page(number, float(size["width"]), float(size["height"]), words))
    return pages


def pdf_fonts(pdf: bytes, tmp_path_factory) -> list[str]:
    path = tmp_path_factory.mktemp("pdf") / "document.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return out.splitlines()[2:]


@pytest.fixture(scope="module")
def document():
    return sample_document(LIST_ROWS)


@pytest.fixture(scope="module")
def pdf(document):
    return render_pdf(document)


@pytest.fixture(scope="module")
def pages(pdf, tmp_path_factory):
    return read_pdf(pdf, tmp_path_factory)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def annex_pages(pages: list[Page], number: int, count: int) -> list[Page]:
    """The pages of annex `number`: from its “附件N” label to the next annex or the end."""
    starts = [next(p.number for p in pages if first_word(p) == f"附件{n}")
              for n in range(1, count + 1)]
    end = starts[number] - 1 if number < count else len(pages)
    return pages[starts[number - 1] - 1:end]


def first_word(page: Page) -> str:
    """The first word in the type area (not the page number)."""
    folio = page_number_words(page)
    return next((word.text for word in page.words if word not in folio), "")


def page_number_words(page: Page) -> list[Word]:
    """The words outside the type area on the sheet's foot, the page number “— N —”: under it
    on an upright page, left of it on a landscape page (the sheet turned, 10.1 of the standard)."""
    left, top, _, height = page.area
    if page.landscape:
        return sorted((word for word in page.words if word.x1 < left), key=lambda w: w.y0)
    return [word for word in page.words if word.y0 > top + height]


def column_texts(page: Page, table: Table, top: float, bottom: float) -> list[str]:
    """The text of each table column between top and bottom, words assigned by their centre."""
    left, _, width, _ = page.area
    widths = fitted_widths(table.widths, column_headings(table), width, TABLE_CHAR_MM * MM,
                           CELL_PADDING_MM * MM)
    edges = [left + sum(widths[:i]) for i in range(table.column_count + 1)]
    columns = [""] * table.column_count
    for word in sorted(page.words, key=lambda w: (w.y0, w.x0)):
        centre = (word.x0 + word.x1) / 2
        if top < word.y0 and word.y1 < bottom and edges[0] < centre < edges[-1]:
            index = next(i for i in range(table.column_count) if centre < edges[i + 1])
            columns[index] += word.text
    return columns


def test_it_renders_the_expected_number_of_pages(pages):
    # WeasyPrint 70 changed how tables break: a change of page count needs a look at the pages.
    assert len(pages) == 10


def test_the_text_layer_holds_the_main_text(document, pages):
    text = flat("".join(page.text for page in pages))
    expected = [
        document.office, document.doc_number, document.title, document.addressees + "：",
        document.opening, document.signer, document.date, f"（{document.note}）",
        f"抄送：{document.cc}。", document.printer, f"{document.print_date}印发",
    ]
    for section in document.sections:
        expected.append(section.heading)
        expected += [paragraph.lead + paragraph.text for paragraph in section.paragraphs]
    for annex in document.annexes:
        expected += [f"附件{annex.number}", annex.title, annex.table.note, f"{annex.number}．"]
    for piece in expected:
        assert flat(piece) in text, piece


def test_the_text_layer_holds_every_cell_of_the_matrix(document, pages):
    (page,) = annex_pages(pages, 1, 2)
    table = document.annexes[0].table
    first_body = next(w for w in page.words if w.text.startswith("发布解读"))
    title = next(w for w in page.words if w.text == document.annexes[0].title)
    note = next(w for w in page.words if w.text == table.note)
    body = column_texts(page, table, first_body.y0 - 2, note.y0)
    assert body == ["".join(row[i].text for row in table.body) for i in range(table.column_count)]
    for value in ("26.4", "23.94", "84", "74.9", "91.5", "72.7"):
        assert value in {word.text for word in page.words}
    # Header cells: the merged site names on one line each, the others read down their column.
    sites = [w for w in page.words if w.text in {cell.text for cell in table.header[0][1:10]}]
    assert len(sites) == 9
    header = column_texts(page, table, title.y1, first_body.y0 - 2)
    assert [header[0], *header[19:]] == ["考核指标", "四季度全州平均指标得分", "三季度全州平均指标得分"]
    quarters = column_texts(page, table, max(w.y1 for w in sites), first_body.y0 - 2)[1:19]
    assert quarters == ["四季度", "三季度"] * 9


def test_the_list_annex_keeps_every_row_in_order_and_repeats_its_header(document, pages):
    table = document.annexes[1].table
    list_pages = annex_pages(pages, 2, 2)
    assert len(list_pages) >= 3
    columns = [""] * table.column_count
    for page in list_pages:
        title = [w.y1 for w in page.words if w.text == document.annexes[1].title]
        first_row = next(w for w in page.words if w.text.startswith("严重表述错误")).y0 - 1
        header = column_texts(page, table, max(title, default=0), first_row)
        assert header == [cell.text for cell in table.header[0]], page.number
        _, top, _, height = page.area
        note = [w.y0 for w in page.words if w.text == table.note]  # then the 版记
        body = column_texts(page, table, first_row, min(note, default=top + height))
        columns = [done + more for done, more in zip(columns, body, strict=True)]
    for i, column in enumerate(columns):
        assert column == "".join(row[i].text for row in table.body)


def test_main_text_and_list_pages_are_a4_portrait_and_the_matrix_landscape(pages):
    matrix = annex_pages(pages, 1, 2)
    assert [page.landscape for page in matrix] == [True]
    for page in pages:
        size = (page.height, page.width) if page.landscape else (page.width, page.height)
        assert size == pytest.approx(A4, abs=1)
    assert not any(page.landscape for page in pages if page not in matrix)


def test_page_numbers_alternate_one_character_in_from_the_type_area(pages):
    assert any(page.landscape for page in pages)
    for page in pages:
        left, top, width, height = page.area
        dash, number, dash_after = page_number_words(page)
        assert (dash.text, number.text, dash_after.text) == ("—", str(page.number), "—")
        if page.landscape:
            # Turned with the sheet: the sheet's foot is the left margin, its right end the bottom.
            if page.number % 2:
                assert dash_after.y1 == pytest.approx(top + height - 14, abs=1)
            else:
                assert dash.y0 == pytest.approx(top + 14, abs=1)
            assert (dash.x0 + dash.x1) / 2 == pytest.approx(left - 7 * MM, abs=1.5 * MM)
            continue
        if page.number % 2:  # odd pages: bottom right, one 4号 character in
            assert dash_after.x1 == pytest.approx(left + width - 14, abs=1)
        else:
            assert dash.x0 == pytest.approx(left + 14, abs=1)
        # The 一字线 7 mm under the type area.
        assert (dash.y0 + dash.y1) / 2 == pytest.approx(top + height + 7 * MM, abs=1.5 * MM)


def test_the_signature_is_two_characters_from_the_right_and_the_date_two_further_in(document, pages):
    words = [w for page in pages for w in page.words]
    at = next(i for i, w in enumerate(words) if w.text == document.date)
    signer, date = words[at - 1], words[at]
    assert signer.text == document.signer
    left, _, width, _ = PORTRAIT_AREA
    assert signer.x1 == pytest.approx(left + width - 32, abs=2)
    assert date.x0 == pytest.approx(signer.x0 + 32, abs=2)


def test_the_colophon_closes_the_last_page_after_the_annexes(document, pages):
    last = pages[-1]
    _, top, _, height = last.area
    printed = next(w for w in last.words if w.text == f"{document.print_date}印发")
    assert flat(f"抄送：{document.cc}。") in last.text
    assert 0 < top + height - printed.y1 < 10  # on the line above the last rule
    assert not any("抄送" in page.text for page in pages[:-1])


@pytest.mark.parametrize(("rows", "pages_before"), [(16, 5), (47, 6)])
def test_a_colophon_falling_on_an_odd_page_takes_an_even_page_without_a_number(
        rows, pages_before, tmp_path_factory):
    # 16 list rows: the annex ends on page 5, which the 版记 shared. 47: the annex fills page 6
    # and the 版记 alone went to page 7, which is now left blank. (Page counts measured with WeasyPrint 70.)
    document = sample_document(rows)
    pages = read_pdf(render_pdf(document), tmp_path_factory)
    assert len(pages) % 2 == 0
    *before, last = pages
    assert [page.number for page in before if page.words] == list(range(1, pages_before + 1))
    for page in before[pages_before:]:
        assert not page.words  # blank, and not numbered
    for page in before[:pages_before]:
        assert [w.text for w in page_number_words(page)] == ["—", str(page.number), "—"]
        assert "抄送" not in page.text
    assert flat(f"抄送：{document.cc}。") + flat(f"{document.printer}{document.print_date}印发") == last.text
    _, top, _, height = last.area
    printed = next(w for w in last.words if w.text == f"{document.print_date}印发")
    assert 0 < top + height - printed.y1 < 10  # on the line above the last rule


def test_every_font_is_embedded_and_the_free_substitutes_are_used(pdf, tmp_path_factory):
    fonts = pdf_fonts(pdf, tmp_path_factory)
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts
    names = " ".join(line.split()[0] for line in fonts)
    for family in ("Noto-Serif-CJK-SC-Bold", "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "AR-PL-UKai-CN"):
        assert family in names
    assert "cwTeX" not in names


def test_a_page_of_body_text_holds_22_lines_of_28_characters(tmp_path_factory):
    long = "政" * 28 * 80
    document = replace(sample_document(), sections=(Section("一、政", (Paragraph(long),)),),
                       annexes=())
    pages = read_pdf(render_pdf(document), tmp_path_factory)
    full_pages = [page for page in pages if page.words and all(
        set(word.text) == {"政"} for word in page.words if word not in page_number_words(page))]
    assert len(full_pages) >= 2
    for page in full_pages:
        lines = [word.text for word in page.words if set(word.text) == {"政"}]
        assert [len(line) for line in lines] == [28] * 22, page.number
    left, top, width, height = PORTRAIT_AREA
    last_line = [w for w in full_pages[0].words if set(w.text) == {"政"}][-1]
    assert last_line.x1 == pytest.approx(left + width, abs=2)  # the line fills the type area
    assert top + height - 10 < last_line.y1 < top + height


def test_a_missing_glyph_is_reported(font_warnings):
    rare = "\U00030000"  # CJK Extension G: no installed font has it
    document = replace(sample_document(), note=f"联系人：李{rare}", annexes=())
    with pytest.raises(FontProblem, match="U\\+30000"):
        render_pdf(document, strict=True)
    assert font_warnings
    font_warnings.clear()  # expected here; any other test that warns fails
