"""What the circular says about messages: the figures sentence and annex 3 of seed 001
(政府网站“政民互动”平台留言未办理清单)."""

import datetime

import pytest

from interaction.circular import figures_sentence, unhandled_annex, unhandled_annex_title
from interaction.models import Message
from reports.document import Cell

JULY_10 = datetime.date(2021, 7, 10)


@pytest.fixture
def second_quarter(channel, unit, add_message):
    """Seed 001's annex 3 moved to 文山州: three unhandled messages of one county, one of a
    prefecture department, and replied ones that do not appear."""
    national = channel()
    add_message(national, "2508", unit("丘北县人民政府办公室"), "2021-06-28")
    add_message(national, "2465", unit("丘北县公安局"), "2021-06-06")
    add_message(national, "2472", unit("丘北县人民政府办公室"), "2021-06-10")
    add_message(national, "2498", unit("文山州教育体育局"), "2021-06-23")
    add_message(national, "2400", unit("西畴县公安局"), "2021-05-06", "2021-05-07")
    add_message(national, "2401", unit("西畴县公安局"), "2021-05-06", "2021-05-20")
    add_message(national, "2402", unit("西畴县公安局"), "2021-06-29")
    add_message(national, "2403", unit("西畴县公安局"), "2021-06-29", "2021-07-12")


def texts(row):
    return [cell.text for cell in row]


def test_the_annex_lists_what_is_not_handled_as_printed(second_quarter, region):
    table = unhandled_annex(region("文山州"), 2021, 2, as_of=JULY_10)
    assert texts(table.header[0]) == ["序号", "所属部门", "ID", "留言时间", "办理情况"]
    assert [texts(row) for row in table.body] == [
        ["1", "西畴县", "2402", "2021.6.29", "未办结"],  # counties in code order, then 州直
        ["2", "2403", "2021.6.29", "未办结"],           # its reply came after the sampling day
        ["3", "丘北县", "2465", "2021.6.6", "未办结"],
        ["4", "2472", "2021.6.10", "未办结"],
        ["5", "2508", "2021.6.28", "未办结"],
        ["6", "文山州教育体育局", "2498", "2021.6.23", "未办结"],
    ]
    assert table.body[0][1] == Cell("西畴县", rowspan=2)
    assert table.body[2][1].rowspan == 3
    assert table.body[0][0].value == 1
    assert table.column_count == 5
    assert table.note == "注：以上数据采样时间2021年4月1日—2021年6月30日，办理情况统计截至2021年7月10日。"


def test_during_the_quarter_the_note_ends_on_the_sampling_day(second_quarter, region):
    table = unhandled_annex(region("文山州"), 2021, 2, as_of=datetime.date(2021, 6, 15))
    assert [row[-3].text for row in table.body] == ["2465", "2472"]
    assert table.note == "注：以上数据采样时间2021年4月1日—2021年6月15日。"


def test_a_county_circular_names_its_own_units(second_quarter, region):
    table = unhandled_annex(region("丘北县"), 2021, 2, as_of=JULY_10)
    assert [texts(row) for row in table.body] == [
        ["1", "丘北县人民政府办公室", "2472", "2021.6.10", "未办结"],
        ["2", "2508", "2021.6.28", "未办结"],
        ["3", "丘北县公安局", "2465", "2021.6.6", "未办结"],
    ]


def test_no_messages_means_no_annex_and_no_sentence(second_quarter, region):
    assert unhandled_annex(region("文山州"), 2021, 3, as_of=JULY_10) is None
    assert figures_sentence(region("文山州"), 2021, 3, as_of=JULY_10) is None
    assert figures_sentence(region("砚山县"), 2021, 2, as_of=JULY_10) is None


def test_all_handled_is_said_in_the_table(second_quarter, region):
    table = unhandled_annex(region("西畴县"), 2021, 2, as_of=datetime.date(2021, 6, 1))
    assert [texts(row) for row in table.body] == [["本季度收到的网民留言均已办结。"]]
    assert table.body[0][0].colspan == 5


def test_the_title():
    assert unhandled_annex_title(2021, 2) == "2021年二季度政府网站“政民互动”平台留言未办理清单"


def test_the_sentence_adds_up(second_quarter, region):
    assert figures_sentence(region("文山州"), 2021, 2, as_of=JULY_10) == (
        "2021年第二季度，全州政府网站政民互动平台共收到网民留言8条，已回复2条（其中逾期回复1条），"
        "逾期未回复6条。"
    )
    assert figures_sentence(region("西畴县"), 2021, 2, as_of=datetime.date(2021, 6, 30)) == (
        "2021年第二季度，全县政府网站政民互动平台共收到网民留言4条，已回复2条（其中逾期回复1条），"
        "逾期未回复0条，尚在办理时限内2条。"
    )


def test_the_seeds_sentence_without_late_replies(channel, unit, region):
    police, received = unit("丘北县公安局"), datetime.date(2021, 6, 7)
    Message.objects.bulk_create(
        Message(channel=channel(), external_id=str(i), unit=police, received_at=received,
                deadline=datetime.date(2021, 6, 10),
                replied_at=datetime.date(2021, 6, 8) if i < 425 else None)
        for i in range(429)
    )
    assert figures_sentence(region("文山州"), 2021, 2, as_of=JULY_10) == (
        "2021年第二季度，全州政府网站政民互动平台共收到网民留言429条，已回复425条，逾期未回复4条。"
    )


def test_the_sentence_says_when_deadlines_are_provisional(channel, unit, add_message, region):
    add_message(channel(), "1", unit("丘北县公安局"), "2026-12-29")  # due 2027-01-01, a guess
    add_message(channel(), "2", unit("丘北县公安局"), "2026-12-01", "2026-12-02")
    assert figures_sentence(region("丘北县"), 2026, 4, as_of=datetime.date(2027, 1, 8)) == (
        "2026年第四季度，全县政府网站政民互动平台共收到网民留言2条，已回复1条，逾期未回复1条。"
        "其中1条留言的办理期限为暂定：2027年节假日安排尚未录入，办理期限暂按周一至周五计算。"
    )
