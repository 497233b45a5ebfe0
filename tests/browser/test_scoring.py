"""Score entry in a real browser, by keyboard only: the test sends keys and reads the page,
it never clicks, fills or focuses."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  return (el.getAttribute("aria-label") || (el.labels && el.labels[0] && el.labels[0].innerText)
          || el.innerText || "").trim();
}"""


def focused(page) -> str:
    """The accessible name of the focused element."""
    return page.evaluate(FOCUSED)


def press_until(page, key: str, name: str, limit: int = 80) -> None:
    """Press `key` (Tab, Shift+Tab) until the element named `name` has the focus."""
    for _ in range(limit):
        if focused(page) == name:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached “{name}” (at “{focused(page)}”)")


def test_keyboard_entry_updates_the_totals_before_saving(page, live_server, scoring_check, sign_in):
    assessment = scoring_check.assessments.get(website__name="丘北县人民政府")
    sign_in("inspector", "wenshan-inspector")
    page.goto(live_server.url + assessment.get_absolute_url())
    assert "Ctrl+Enter" in page.locator("#key-hints").inner_text()  # the keys are on the page

    assert focused(page) == "发布解读得分"  # the first points box has the focus
    page.keyboard.press("ArrowDown")  # ↓ goes into the group's items …
    assert focused(page) == "概况信息得分"
    page.keyboard.press("ArrowUp")  # … and ↑ back
    assert focused(page) == "发布解读得分"
    for value, then in [("31", "办事服务得分"), ("21", "互动交流得分"), ("20", "功能设计得分"),
                        ("20", "加分指标得分")]:
        page.keyboard.type(value)
        page.keyboard.press("Enter")  # a group's total: Enter goes on to the next group
        assert focused(page) == then
    page.keyboard.press("Enter")  # after the last box: 保存
    assert focused(page) == "保存"
    assert page.locator("#sum-total").inner_text() == "92"
    assert page.locator("#sum-conclusion").inner_text() == "合格"
    assert "得分 31" in page.locator("fieldset.group").first.inner_text()

    # A veto flips the verdict at once and asks for the finding.
    press_until(page, "Shift+Tab", "首页不更新")
    page.keyboard.press("Space")
    assert page.locator("#sum-conclusion").inner_text() == "不合格（单项否决）"
    assert focused(page) == "发现的问题"  # ticking it opened the finding's box
    page.keyboard.type("首页两周未更新")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")  # untick it again
    assert page.locator("#sum-conclusion").inner_text() == "合格"

    assessment.refresh_from_db()
    assert assessment.total is None  # nothing saved yet
    page.keyboard.press("Control+s")
    page.wait_for_load_state()
    page.wait_for_selector(".messages")
    assert "已保存“丘北县人民政府”：合格，92分" in page.locator(".messages").inner_text()
    assessment.refresh_from_db()
    assert assessment.total == 92 and assessment.passed


def test_items_are_entered_with_enter_and_the_next_group_follows(page, live_server, scoring_check,
                                                                 sign_in):
    assessment = scoring_check.assessments.get(website__name="丘北县人民政府")
    sign_in("inspector", "wenshan-inspector")
    page.goto(live_server.url + assessment.get_absolute_url())
    page.keyboard.press("ArrowDown")  # into 发布解读's items
    for value in ["4", "5", "6", "5", "5", "3", "3"]:  # 概况信息 … 回应关切
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    assert focused(page) == "办事服务得分"  # after the last item, the next group
    assert "得分 31" in page.locator("fieldset.group").first.inner_text()


def test_ctrl_enter_saves_and_opens_the_next_target(page, live_server, scoring_check, sign_in):
    first = scoring_check.assessments.order_by("unit__region__path", "pk").first()
    sign_in("inspector", "wenshan-inspector")
    page.goto(live_server.url + first.get_absolute_url())
    page.keyboard.type("30")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1] != str(first.pk))
    first.refresh_from_db()
    assert first.total == 30 and first.passed is False
    assert focused(page) == "发布解读得分"
    assert page.get_by_label("发布解读得分").input_value() == ""
