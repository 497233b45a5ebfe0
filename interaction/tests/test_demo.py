"""The demo messages: loadable twice, and showing every case the circular reports."""

import datetime

from interaction.circular import figures_sentence
from interaction.demo import load_messages
from interaction.models import Message
from interaction.statistics import AssessmentCounts, assessment_counts

JAN_10 = datetime.date(2022, 1, 10)


def snapshot():
    return sorted(Message.objects.values_list(
        "channel__name", "external_id", "unit__name", "received_at", "deadline", "replied_at",
        "status"))


def test_loading_twice_changes_nothing(demo_messages):
    before = snapshot()
    load_messages()
    assert snapshot() == before
    assert len(before) == 36


def test_the_demo_has_late_unhandled_and_holiday_messages(demo_messages, region):
    wenshan = region("文山州")
    assert figures_sentence(wenshan, 2021, 4, as_of=JAN_10) == (
        "2021年第四季度，全州政府网站政民互动平台共收到网民留言36条，"
        "已回复30条（其中逾期回复6条），逾期未回复6条。"
    )
    holiday = Message.objects.get(external_id="3101")
    assert (holiday.received_at, holiday.deadline) == (datetime.date(2021, 10, 2),
                                                        datetime.date(2021, 10, 11))
    assert not holiday.is_overdue(JAN_10)


def test_the_demo_feeds_the_annual_assessment(demo_messages, region):
    counts = assessment_counts(region("文山州"), 2021, as_of=JAN_10)
    named = {str(key): value for key, value in counts.items() if value != AssessmentCounts()}
    assert named == {
        "西畴县": AssessmentCounts(unhandled=0, handled_after_a_month=1),
        "马关县": AssessmentCounts(unhandled=1, handled_after_a_month=0),
        "广南县": AssessmentCounts(unhandled=1, handled_after_a_month=0),
    }
