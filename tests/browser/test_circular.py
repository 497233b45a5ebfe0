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


def test_the_job_page_keeps_polling_through_a_network_error(page, live_server, demo_inspections,
                                                          sign_in):
    from django.utils import timezone

    from reports.assembly import new_circular
    from reports.models import RenderJob
    from sites.models import Region

    circular = new_circular(Region.objects.get(name="文山州"), 2021, 4)
    circular.save()
    job = RenderJob.objects.create(circular=circular, format="pdf", progress=30, stage="排版并生成文件")
    sign_in("admin", "wenshan-admin")
    failures = []

    def fail_first(route):
        if not failures:
            failures.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/jobs/*/?json", fail_first)
    page.goto(f"{live_server.url}/circulars/jobs/{job.pk}/")
    stage = page.locator("#job-stage")
    stage.get_by_text("暂时无法获取进度").wait_for()
    RenderJob.objects.filter(pk=job.pk).update(progress=100, stage="已完成", finished_at=timezone.now())
    stage.get_by_text("已完成。").wait_for(timeout=10_000)
    assert failures and page.locator("#job-next").is_visible()
