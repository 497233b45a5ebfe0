import dataclasses
import io
import time
import zipfile

import pytest
from openpyxl import load_workbook

from reports.document import Annex, Cell, Table
from reports.renderers.layout import cell_positions
from reports.renderers.xlsx import number_format, render_xlsx
from reports.testing import SITES, sample_document


@pytest.fixture(scope="module")
def workbook():
    return load_workbook(io.BytesIO(render_xlsx(sample_document())))


def tricky_document():
    """One extra annex with the cells that go wrong in spreadsheets."""
    table = Table(
        header=((Cell("项目"), Cell("数值")),),
        body=(
            (Cell("一位小数"), Cell("77.0", 77.0)),
            (Cell("公式"), Cell("=1+1")),
            (Cell("负号开头"), Cell("-文本")),
            (Cell("千分位"), Cell("1,012", 1012)),
            (Cell("百分数"), Cell("97.5%", 97.5)),
            (Cell("比例"), Cell("95.28%", 0.9528)),
            (Cell("否决"), Cell("单项否决", 0)),
        ),
        widths=(2, 1),
    )
    document = sample_document()
    return dataclasses.replace(document, annexes=(*document.annexes, Annex(3, "=HYPERLINK(\"x\")", table)))


def test_it_puts_the_text_first_and_each_annex_on_its_own_sheet(workbook):
    assert workbook.sheetnames == ["正文", "附件1", "附件2"]
    text = workbook["正文"]
    document = sample_document()
    column = [row[0] for row in text.iter_rows(values_only=True)]
    assert column[:4] == [document.title, document.doc_number, "各县（市）人民政府，州直有关部门：",
                          document.opening]
    assert "一、检查情况" in column
    assert "（一）2021年第四季度政府网站检查情况。" + document.sections[0].paragraphs[0].text in column
    assert column[-3:] == ["文山州人民政府办公室", "2022年1月10日", "（联系人：李虹霞；电话：2851097）"]


def test_a_document_without_annexes_still_has_its_text():
    document = dataclasses.replace(sample_document(), annexes=())
    workbook = load_workbook(io.BytesIO(render_xlsx(document)))
    assert workbook.sheetnames == ["正文"]
    assert workbook["正文"]["A1"].value == document.title


def test_the_matrix_header_is_merged_where_the_table_puts_it(workbook):
    sheet = workbook["附件1"]
    expected = {"A1:U1", "A2:A3", "T2:T3", "U2:U3", "A9:U9"}
    expected |= {f"{sheet.cell(2, 2 + 2 * i).coordinate}:{sheet.cell(2, 3 + 2 * i).coordinate}"
                 for i in range(len(SITES))}
    assert {str(r) for r in sheet.merged_cells.ranges} == expected
    assert sheet["A1"].value == "2021年四季度全州在运行政府网站检查得分情况"
    assert sheet["A1"].font.b and sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].value == "考核指标"
    assert sheet["B2"].value == "州政府" and sheet["D2"].value == "文山市"
    assert sheet["T2"].value == "四季度\n全州平均\n指标得分"  # broken between words, not by Excel
    assert [sheet.cell(3, c).value for c in range(2, 6)] == ["四季度", "三季度", "四季度", "三季度"]
    # columns wide enough for a 季度 heading, a row label and a score on one line each
    widths = [sheet.column_dimensions[chr(ord("A") + c)].width for c in range(3)]
    assert widths[0] >= 8 * 2.1 + 1.5 and widths[1] == widths[2] >= 3 * 2.1 + 1.5
    assert sheet["B3"].border.left.style == "thin" and sheet["C2"].border.top.style == "thin"


def test_every_body_cell_is_written_numbers_as_numbers(workbook):
    sheet = workbook["附件1"]
    table = sample_document().annexes[0].table
    first_body_row = 2 + len(table.header)
    positions = cell_positions((*table.header, *table.body), table.column_count)[len(table.header):]
    for offset, (row, starts) in enumerate(zip(table.body, positions, strict=True)):
        for cell, start in zip(row, starts, strict=True):
            written = sheet.cell(first_body_row + offset, start + 1)
            if cell.value is None:
                assert written.value == cell.text
            else:
                assert isinstance(written.value, (int, float)) and written.value == cell.value
    first = [sheet[c].value for c in ("A4", "B4", "C4", "T4", "U4")]
    assert first == ["发布解读（31分）", 28, 26, 26.4, 23.94]
    assert [sheet[c].value for c in ("A8", "B8", "C8", "T8", "U8")] == ["得分", 91.5, 72.7, 84, 74.9]
    assert sheet["A8"].font.b  # the 得分 row is bold
    assert sheet["U4"].number_format == "0.00" and sheet["T8"].number_format == "0"


def test_the_note_frozen_panes_and_page_setup(workbook):
    matrix, accounts = workbook["附件1"], workbook["附件2"]
    assert matrix["A9"].value == "注：数据监测采样时间为2021年11月1日—12月5日。"
    assert matrix.freeze_panes == "A4" and accounts.freeze_panes == "A3"
    assert matrix.print_title_rows == "$2:$3"
    assert matrix.page_setup.orientation == "landscape"
    assert accounts.page_setup.orientation == "portrait"
    for sheet in (matrix, accounts):
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert matrix.column_dimensions["A"].width > matrix.column_dimensions["B"].width
    assert accounts["A3"].value == 1 and accounts["E3"].value.startswith("严重表述错误")
    assert accounts["A3"].font.name == "仿宋" and accounts["A2"].font.name == "黑体"


def test_decimals_are_kept_and_formulas_stay_text():
    data = render_xlsx(tricky_document())
    sheet = load_workbook(io.BytesIO(data))["附件3"]
    values = {row[0].value: row[1] for row in sheet.iter_rows(min_row=3, max_row=9)}
    assert values["一位小数"].value == 77.0 and values["一位小数"].number_format == "0.0"
    assert values["公式"].value == "=1+1" and values["公式"].data_type == "s"
    assert values["负号开头"].value == "-文本" and values["负号开头"].data_type == "s"
    assert values["千分位"].value == 1012 and values["千分位"].number_format == "#,##0"
    assert values["百分数"].value == 97.5 and values["百分数"].number_format == '0.0"%"'
    assert values["比例"].value == 0.9528 and values["比例"].number_format == "0.00%"
    assert values["否决"].value == "单项否决"  # the printed text, as no number shows it
    assert sheet["A1"].value == "=HYPERLINK(\"x\")" and sheet["A1"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("26.4", 26.4, "0.0"), ("84", 84, "0"), ("77.0", 77.0, "0.0"), ("23.94", 23.94, "0.00"),
    ("-3", -3, "0"), ("100%", 1, "0%"), ("84分", 84, '0"分"'), ("单项否决", 0, None),
])
def test_number_format_shows_the_value_as_printed(text, value, expected):
    assert number_format(text, value) == expected


def test_cell_positions_skip_cells_covered_from_above():
    rows = ((Cell("a", rowspan=2), Cell("b", colspan=2), Cell("c", rowspan=2)),
            (Cell("d"), Cell("e")))
    assert cell_positions(rows, 4) == [[0, 1, 3], [1, 2]]
    with pytest.raises(ValueError, match="wider"):
        cell_positions(((Cell("x", colspan=5),),), 4)


def test_a_thousand_rows(capsys):
    document = sample_document(1000)
    started = time.perf_counter()
    data = render_xlsx(document)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nXLSX of sample_document(1000): {elapsed:.2f} s, {len(data) // 1024} KiB")
    sheet = load_workbook(io.BytesIO(data), read_only=True)["附件2"]
    assert sheet.max_row == 1 + 1 + 1000 + 1  # title, header, body, note
