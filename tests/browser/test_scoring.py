"""Score entry in a real browser, by keyboard only."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_keyboard_entry_updates_the_totals_before_saving(page, live_server, scoring_check, sign_in):
    assessment = scoring_check.assessments.get(website__name="丘北县人民政府")
    sign_in("inspector", "wenshan-inspector")
    page.goto(live_server.url + assessment.get_absolute_url())

    page.get_by_label("发布解读得分").focus()
    for value in ["31", "21", "20", "20"]:
        page.keyboard.type(value)
        page.keyboard.press("Enter")  # Enter moves to the next points box
        if value == "31":
            # Enter went to the first child item; go on to the next group's total box.
            page.get_by_label("办事服务得分").focus()
        elif value == "21":
            page.get_by_label("互动交流得分").focus()
        elif value == "20" and page.get_by_label("功能设计得分").input_value() == "":
            page.get_by_label("功能设计得分").focus()
    assert page.locator("#sum-total").inner_text() == "92"
    assert page.locator("#sum-conclusion").inner_text() == "合格"
    assert "得分 31" in page.locator("fieldset.group").first.inner_text()

    # A veto flips the verdict at once and asks for the finding.
    page.get_by_label("首页不更新").check()
    assert page.locator("#sum-conclusion").inner_text() == "不合格（单项否决）"
    page.keyboard.type("首页两周未更新")
    page.get_by_label("首页不更新").uncheck()

    assessment.refresh_from_db()
    assert assessment.total is None  # nothing saved yet
    page.keyboard.press("Control+s")
    page.wait_for_load_state()
    page.wait_for_selector(".messages")
    assert "已保存“丘北县人民政府”：合格，92分" in page.locator(".messages").inner_text()
    assessment.refresh_from_db()
    assert assessment.total == 92 and assessment.passed


def test_ctrl_enter_saves_and_opens_the_next_target(page, live_server, scoring_check, sign_in):
    first = scoring_check.assessments.order_by("unit__region__path", "pk").first()
    sign_in("inspector", "wenshan-inspector")
    page.goto(live_server.url + first.get_absolute_url())
    page.get_by_label("发布解读得分").fill("30")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1] != str(first.pk))
    first.refresh_from_db()
    assert first.total == 30 and first.passed is False
    assert page.get_by_label("发布解读得分").input_value() == ""
