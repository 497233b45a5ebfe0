import datetime

import pytest

from common.workbook import CellError, Problem, date, number, split_list, text


@pytest.mark.parametrize("value", [
    "2021-07-02", "2021.7.2", "2021/7/2", "2021年7月2日", " 2021-7-2 ",
    datetime.datetime(2021, 7, 2, 0, 0), datetime.date(2021, 7, 2),
])
def test_dates_in_every_accepted_form(value):
    assert date(value) == datetime.date(2021, 7, 2)


@pytest.mark.parametrize("value", ["2021-02-30", "七月二日", "2021-07", "20210702"])
def test_bad_dates_are_named(value):
    with pytest.raises(CellError) as error:
        date(value)
    assert value in str(error.value)


def test_lists_take_both_semicolons():
    assert split_list("首页不更新；栏目不更新;互动回应差； ") == ["首页不更新", "栏目不更新", "互动回应差"]


def test_numbers_typed_into_text_columns_lose_the_decimal_point():
    assert text(5326260001.0) == "5326260001"
    assert text(None) == ""
    assert number("26.5") == 26.5
    with pytest.raises(CellError):
        number("二十")


def test_a_problem_reads_as_sheet_row_column_message():
    assert str(Problem("政府网站", 3, "平台", "未知平台")) == "工作表“政府网站”，第3行，“平台”列：未知平台"
    assert str(Problem(None, None, None, "文件过大")) == "文件过大"
