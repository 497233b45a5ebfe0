import datetime
import io

from openpyxl import load_workbook

from common.export import _csv_lines, xlsx_bytes


def test_xlsx_keeps_numbers_and_dates_and_never_writes_formulas():
    data = xlsx_bytes("网站", [["名称", "得分", "日期"], ["=HYPERLINK(\"http://x\")", 84.5,
                                                        datetime.date(2021, 12, 31)]])
    sheet = load_workbook(io.BytesIO(data)).active
    name, score, day = next(sheet.iter_rows(min_row=2, values_only=True))
    assert name == "=HYPERLINK(\"http://x\")"
    assert sheet["A2"].data_type == "s"
    assert score == 84.5 and day.date() == datetime.date(2021, 12, 31)
    assert sheet.freeze_panes == "A2"


def test_csv_starts_with_a_bom_and_defuses_formulas():
    text = "".join(_csv_lines([["名称"], ["-1+1"], ["@SUM(A1)"], ["丘北县"]]))
    assert text.startswith("\ufeff名称")
    assert "'-1+1" in text and "'@SUM(A1)" in text and "\r\n丘北县" in text


def test_times_are_written_on_the_offices_clock():
    moment = datetime.datetime(2021, 12, 31, 18, 30, 15, tzinfo=datetime.timezone.utc)
    sheet = load_workbook(io.BytesIO(xlsx_bytes("时间", [["评分时间"], [moment]]))).active
    assert sheet["A2"].value == datetime.datetime(2022, 1, 1, 2, 30)  # Asia/Shanghai
    assert "2022-01-01 02:30:00" in "".join(_csv_lines([[moment]]))
