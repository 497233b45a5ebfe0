"""Users in a real browser: an admin creates a county liaison, who signs in and finds the
county's rectification tasks waiting on the home page."""

import pytest

from inspections.campaign_demo import load_campaigns
from inspections.demo import load_inspections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_creates_a_liaison_who_finds_their_work_on_the_home_page(page, live_server, demo,
                                                                           sign_in):
    load_inspections(demo)
    load_campaigns(demo)  # 9 open tasks of 丘北县
    sign_in("admin", "wenshan-admin")
    page.get_by_role("navigation").get_by_role("link", name="用户", exact=True).click()
    page.get_by_role("link", name="新增").click()
    page.get_by_label("用户名").fill("qiubei2")
    page.get_by_label("姓", exact=True).fill("王")
    page.get_by_label("名", exact=True).fill("小丽")
    page.get_by_label("角色").select_option(label="联络员")
    page.get_by_label("所属地区").select_option(label="丘北县")
    page.locator('input[name="password1"]').fill("Qiubei-2026-liaison")
    page.locator('input[name="password2"]').fill("Qiubei-2026-liaison")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存")
    page.get_by_role("button", name="退出").click()

    sign_in("qiubei2", "Qiubei-2026-liaison")
    tiles = page.locator(".tiles").first
    assert "待整改" in tiles.inner_text() and "9" in tiles.inner_text()
    tiles.get_by_text("待整改").click()
    page.wait_for_url("**/inspections/tasks/?state=open")
    assert page.locator("table tbody tr").count() == 9
