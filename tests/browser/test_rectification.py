"""Rectification in a real browser: the liaison uploads a screenshot (提交 without text keeps
it and asks for the text) and reports, the inspector returns it with a reason, the liaison
sees the reason and resubmits, the inspector accepts; each step mails the other side."""

import pytest
from django.core import mail
from PIL import Image

from inspections.choices import TaskAction, TaskState
from inspections.models import Finding
from inspections.rectification import ensure_tasks
from sites.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def task(scoring_check):
    """A finding on 丘北县's assessment of the check the demo inspector is assigned to, and
    the demo users with e-mail addresses."""
    for username in ("liaison", "inspector"):
        User.objects.filter(username=username).update(email=f"{username}@example.cn")
    finding = Finding.objects.create(
        assessment=scoring_check.assessments.get(website__name="丘北县人民政府"),
        description="“通知公告”栏目半年未更新",
    )
    [task] = ensure_tasks([finding])  # mails the liaison once committed
    return task


@pytest.fixture
def screenshot(tmp_path):
    path = tmp_path / "整改后截图.png"
    Image.new("RGB", (40, 20), "white").save(path, "PNG")
    return path


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login/")


def submit_report(page, text: str) -> None:
    page.get_by_label("整改情况").fill(text)
    page.get_by_role("button", name="提交整改情况").click()
    page.wait_for_selector(".messages")
    assert "已提交整改情况" in page.locator(".messages").inner_text()


def test_report_return_resubmit_accept(page, live_server, sign_in, task, screenshot):
    task_url = live_server.url + task.get_absolute_url()

    # The liaison finds the task in their list, attaches a screenshot and submits.
    sign_in("liaison", "qiubei-liaison")
    page.goto(live_server.url + "/inspections/tasks/")
    assert page.locator("h1").inner_text() == "我的整改任务"
    page.get_by_role("link", name="丘北县人民政府：“通知公告”栏目半年未更新").click()
    page.wait_for_url(task_url)
    assert "每个文件不超过 20 MB" in page.locator("#report").inner_text()
    page.get_by_label("佐证材料").set_input_files(screenshot)
    # 提交 before writing anything: the file is kept, and the page says what is missing.
    page.get_by_role("button", name="提交整改情况").click()
    page.wait_for_selector(".messages")
    assert "文件已上传（1 个" in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="整改后截图.png").is_visible()
    submit_report(page, "已补发通知公告12条")
    assert page.get_by_role("link", name="整改后截图.png").is_visible()
    sign_out(page)

    # The inspector opens it from the review queue and returns it with a reason.
    sign_in("inspector", "wenshan-inspector")
    page.goto(live_server.url + "/inspections/tasks/review/")
    page.get_by_role("link", name="丘北县人民政府：“通知公告”栏目半年未更新").click()
    page.wait_for_url(task_url)
    assert "已补发通知公告12条" in page.locator("#report").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="整改后截图.png").click()
    assert download.value.suggested_filename == "整改后截图.png"
    page.get_by_label("退回原因").fill("截图看不到更新日期，请重新截图")
    page.get_by_role("button", name="退回").click()
    page.wait_for_selector(".messages")
    assert "已退回" in page.locator(".messages").inner_text()
    sign_out(page)

    # The liaison sees the reason at the top of the task and submits again.
    sign_in("liaison", "qiubei-liaison")
    page.goto(task_url)
    assert "截图看不到更新日期，请重新截图" in page.locator("#return-reason").inner_text()
    assert page.get_by_label("整改情况").input_value() == "已补发通知公告12条"
    submit_report(page, "已补发通知公告12条，截图含更新日期")
    sign_out(page)

    # The inspector accepts.
    sign_in("inspector", "wenshan-inspector")
    page.goto(task_url)
    page.get_by_role("button", name="通过").click()
    page.wait_for_selector(".messages")
    assert "已审核通过" in page.locator(".messages").inner_text()
    assert "已通过" in page.locator("section.card").first.inner_text()

    task.refresh_from_db()
    assert task.state == TaskState.ACCEPTED
    assert list(task.events.values_list("action", "actor__username")) == [
        (TaskAction.OPENED, None), (TaskAction.FILE_ADDED, "liaison"),
        (TaskAction.SUBMITTED, "liaison"), (TaskAction.RETURNED, "inspector"),
        (TaskAction.SUBMITTED, "liaison"), (TaskAction.ACCEPTED, "inspector"),
    ]
    sent = [(m.to, m.subject) for m in mail.outbox]
    assert [to for to, _ in sent] == [["liaison@example.cn"], ["inspector@example.cn"],
                                      ["liaison@example.cn"], ["inspector@example.cn"],
                                      ["liaison@example.cn"]]
    assert "整改通知" in sent[0][1] and "整改退回" in sent[2][1] and "整改通过" in sent[4][1]
    assert "截图看不到更新日期" in mail.outbox[2].body
