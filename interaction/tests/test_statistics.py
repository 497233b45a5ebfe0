"""Message figures per unit, quarter, date range and region subtree, and the figures of
the annual assessment."""

import datetime

import pytest

from interaction.models import Message
from interaction.statistics import (
    AssessmentCounts,
    Figures,
    assessment_counts,
    figures,
    handled_after_a_month,
    one_month_after,
    quarter_dates,
    quarter_figures,
    region_figures,
    unit_figures,
)

D = datetime.date
DEC_31, JAN_10 = D(2021, 12, 31), D(2022, 1, 10)


@pytest.fixture
def quarter(channel, unit, add_message):
    """丘北县's 2021 Q4 on 我为政府网站找错 (3 working days), one message of Q3 and one of 西畴县."""
    office, police = unit("丘北县人民政府办公室"), unit("丘北县公安局")
    add_message(channel(), "a", office, "2021-10-08", "2021-10-11")  # due 10-12: on time
    add_message(channel(), "b", office, "2021-10-08", "2021-10-13")  # late
    add_message(channel(), "c", police, "2021-11-01")                # due 11-04: overdue
    add_message(channel(), "d", police, "2021-12-30")                # due 2022-01-05: pending
    add_message(channel(), "e", office, "2021-12-20", "2022-01-04")  # due 12-23: replied late
    add_message(channel(), "f", office, "2021-09-30", "2021-10-08")  # Q3
    add_message(channel(), "g", unit("西畴县人民政府办公室"), "2021-10-08")


def test_quarter_dates():
    assert quarter_dates(2021, 4) == (D(2021, 10, 1), D(2021, 12, 31))
    assert quarter_dates(2024, 1) == (D(2024, 1, 1), D(2024, 3, 31))


def test_provisional_deadlines_are_counted(channel, unit, add_message, region):
    add_message(channel(), "1", unit("丘北县公安局"), "2026-12-29")
    add_message(channel(), "2", unit("丘北县公安局"), "2026-12-28", "2026-12-29")
    assert quarter_figures(region("丘北县"), 2026, 4, as_of=D(2026, 12, 31)) == Figures(
        received=2, replied=1, on_time=1, unhandled=1, provisional=1)


def test_a_quarter_at_its_end_and_ten_days_later(quarter, region):
    qiubei = region("丘北县")
    assert quarter_figures(qiubei, 2021, 4, as_of=DEC_31) == Figures(
        received=5, replied=2, on_time=1, late=1, unhandled=3, overdue=2)
    later = quarter_figures(qiubei, 2021, 4, as_of=JAN_10)
    assert later == Figures(received=5, replied=3, on_time=1, late=2, unhandled=2, overdue=2)
    assert later.pending == 0
    assert quarter_figures(qiubei, 2021, 4, as_of=DEC_31).pending == 1


def test_messages_and_replies_after_the_day_are_not_counted(quarter, region):
    # On 10-12, b's deadline, b has no reply yet but is not overdue; c is not received yet.
    assert quarter_figures(region("丘北县"), 2021, 4, as_of=D(2021, 10, 12)) == Figures(
        received=2, replied=1, on_time=1, late=0, unhandled=1, overdue=0)


def test_a_region_subtree_adds_its_counties(quarter, region):
    assert quarter_figures(region("文山州"), 2021, 4, as_of=JAN_10).received == 6
    assert quarter_figures(region("西畴县"), 2021, 4, as_of=JAN_10) == Figures(
        received=1, unhandled=1, overdue=1)


def test_any_date_range(quarter, region):
    assert region_figures(region("丘北县"), D(2021, 9, 1), D(2021, 10, 31),
                          as_of=JAN_10) == Figures(received=3, replied=3, on_time=2, late=1)


def test_per_unit_rows_in_one_query(quarter, region, django_assert_num_queries):
    wenshan = region("文山州")
    with django_assert_num_queries(1):
        rows = unit_figures(Message.objects.within(wenshan), *quarter_dates(2021, 4), as_of=JAN_10)
    assert [(r.region_name, r.unit_name, r.figures) for r in rows] == [  # by 区划代码
        ("西畴县", "西畴县人民政府办公室", Figures(received=1, unhandled=1, overdue=1)),
        ("丘北县", "丘北县人民政府办公室", Figures(received=3, replied=3, on_time=1, late=2)),
        ("丘北县", "丘北县公安局", Figures(received=2, unhandled=2, overdue=2)),
    ]
    assert sum((r.figures for r in rows), Figures()) == figures(
        Message.objects.all(), *quarter_dates(2021, 4), as_of=JAN_10)


def test_figures_take_one_query_whatever_the_number_of_messages(
        channel, unit, add_message, region, django_assert_num_queries):
    office = unit("丘北县人民政府办公室")
    for i in range(40):
        add_message(channel(), str(i), office, f"2021-11-{i % 28 + 1:02d}")
    qiubei = region("丘北县")
    with django_assert_num_queries(1):
        assert quarter_figures(qiubei, 2021, 4, as_of=JAN_10).received == 40


# The annual assessment: 未办结 and 办结超过一个月.

@pytest.mark.parametrize(("received", "limit"), [
    (D(2021, 3, 15), D(2021, 4, 15)),
    (D(2021, 1, 31), D(2021, 2, 28)),
    (D(2024, 1, 31), D(2024, 2, 29)),
    (D(2021, 12, 15), D(2022, 1, 15)),
])
def test_one_month_is_the_same_day_of_the_next_month_or_its_last_day(received, limit):
    assert one_month_after(received) == limit
    assert not handled_after_a_month(received, limit)
    assert handled_after_a_month(received, limit + datetime.timedelta(days=1))


@pytest.fixture
def national_2021(channel, unit, add_message):
    national, provincial = channel(), channel("省政府网站曝光平台")
    add_message(national, "1", unit("丘北县公安局"), "2021-03-15", "2021-04-16")   # > a month
    add_message(national, "2", unit("丘北县公安局"), "2021-03-15", "2021-04-15")   # a month
    add_message(national, "3", unit("丘北县教育体育局"), "2021-12-20")              # due 12-23
    add_message(national, "4", unit("丘北县教育体育局"), "2021-12-20", "2022-03-01")
    add_message(national, "5", unit("丘北县教育体育局"), "2021-12-30")              # due 01-05
    add_message(national, "6", unit("文山州教育体育局"), "2021-06-01")
    add_message(national, "7", unit("西畴县公安局"), "2020-12-20")                  # 2020
    add_message(provincial, "8", unit("西畴县公安局"), "2021-06-01")                # not national


def test_assessment_counts_per_county_and_per_unit_of_the_prefecture(
        national_2021, unit, region, django_assert_max_num_queries):
    wenshan = region("文山州")
    with django_assert_max_num_queries(4):
        counts = assessment_counts(wenshan, 2021, as_of=D(2022, 1, 31))
    assert counts == {
        region("丘北县"): AssessmentCounts(unhandled=3, handled_after_a_month=1),
        unit("文山州教育体育局"): AssessmentCounts(unhandled=1),
    }
    # Once the late reply exists, message 4 is handled, and after more than a month.
    later = assessment_counts(wenshan, 2021, as_of=D(2022, 3, 31))
    assert later[region("丘北县")] == AssessmentCounts(unhandled=2, handled_after_a_month=2)


def test_only_messages_past_their_deadline_are_unhandled(national_2021, region):
    # On 2022-01-04 message 5 (due 01-05, after the New Year holiday) is still in time.
    counts = assessment_counts(region("文山州"), 2021, as_of=D(2022, 1, 4))
    assert counts[region("丘北县")] == AssessmentCounts(unhandled=2, in_progress=1,
                                                       handled_after_a_month=1)


def test_a_region_without_messages_has_no_figure_unless_an_import_covers_it(
        national_2021, region, unit):
    from interaction.models import MessageImport

    wenshan, xichou = region("文山州"), region("西畴县")
    MessageImport.objects.create(region=xichou, national_first=D(2020, 12, 1),
                                 national_last=D(2020, 12, 31))   # another year
    MessageImport.objects.create(region=xichou, unit=unit("西畴县公安局"),
                                 national_first=D(2021, 6, 1), national_last=D(2021, 6, 1))
    assert xichou not in assessment_counts(wenshan, 2021, as_of=JAN_10)
    MessageImport.objects.create(region=xichou, national_first=D(2021, 6, 1),
                                 national_last=D(2021, 12, 1))
    counts = assessment_counts(wenshan, 2021, as_of=JAN_10)
    assert counts[xichou] == AssessmentCounts()       # zero is now a figure
    assert region("砚山县") not in counts and unit("文山州公安局") not in counts
    MessageImport.objects.create(national_first=D(2021, 1, 5), national_last=D(2021, 1, 5))
    everything = assessment_counts(wenshan, 2021, as_of=JAN_10)  # the command line's import
    assert len([key for key in everything if key._meta.model_name == "region"]) == 8
    assert everything[unit("文山州公安局")] == AssessmentCounts()


def test_the_unhandled_with_a_provisional_deadline_are_counted_apart(channel, unit, add_message,
                                                                     region):
    add_message(channel(), "1", unit("丘北县公安局"), "2026-12-29")  # due 2027-01-01 (暂定)
    add_message(channel(), "2", unit("丘北县公安局"), "2026-12-01")
    counts = assessment_counts(region("文山州"), 2026, as_of=D(2027, 1, 20))
    assert counts[region("丘北县")] == AssessmentCounts(unhandled=2, provisional=1)
