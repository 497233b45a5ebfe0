"""The circular in a real browser: draft, live preview while typing, issue, 签收."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_draft_preview_issue_and_receive(page, live_server, demo_inspections, sign_in):
    sign_in("admin", "wenshan-admin")
    page.goto(f"{live_server.url}/circulars/add/")
    page.get_by_label("年度").fill("2021")
    page.get_by_label("季度").select_option("4")
    page.get_by_role("button", name="生成草稿").click()
    page.wait_for_url("**/edit/")
    preview = page.locator("#preview")
    assert "平均得分84分" in preview.inner_text()

    page.get_by_label("二、工作成效").fill("各县（市）工作开展力度大，效果较为明显。")
    page.wait_for_function(
        "document.getElementById('preview').innerText.includes('工作开展力度大')")
    assert "二、工作成效" in preview.inner_text()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/circulars/*/")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="签发").click()
    page.wait_for_url("**/jobs/*/")
    page.get_by_role("link", name="查看已签发的通报").click()
    assert "已签发" in page.locator(".page-head h1").inner_text()
    assert page.locator("code").count() == 4  # four files with their SHA-256
    assert page.get_by_text("未签收").count() == 8 + 12  # the counties and 州直 departments

    page.get_by_role("button", name="退出").click()
    sign_in("liaison", "qiubei-liaison")
    page.goto(f"{live_server.url}/circulars/")
    page.get_by_role("link", name="文山州人民政府办公室关于2021年第四季度").click()
    page.get_by_role("button", name="签收").click()
    assert "丘北县已签收" in page.locator(".messages").inner_text()
