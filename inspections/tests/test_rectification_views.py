"""The rectification pages: scope by URL guessing, who may act, evidence uploads checked by
content, the review, and query counts that do not grow with the tasks."""

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image

from common.testing import workbook_bytes
from inspections import evidence
from inspections.choices import TaskAction, TaskState
from inspections.models import (
    Campaign,
    CampaignItem,
    Evidence,
    Finding,
    RectificationTask,
    TaskEvent,
)
from inspections.rectification import ensure_campaign_tasks, ensure_inspection_tasks, submit
from newmedia.models import Account
from sites.models import Region, User
from sites.roles import Role

# Files, as offices would upload them.


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, "JPEG")
    return out.getvalue()


def mpo_bytes() -> bytes:
    """What many phone cameras save: a JPEG followed by a second picture."""
    out = io.BytesIO()
    first, second = Image.new("RGB", (20, 10), "white"), Image.new("RGB", (20, 10), "black")
    first.save(out, "MPO", save_all=True, append_images=[second])
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, "GIF")
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("整改报告")
    document.save(out)
    return out.getvalue()


def zip_bytes(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.\r\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# The tasks: one of 丘北县 (the demo liaison's) and one of 西畴县.

@pytest.fixture
def inspector(demo):
    return User.objects.get(username="inspector")


def open_task(check, site: str) -> RectificationTask:
    Finding.objects.create(assessment=check.assessments.get(website__name=site),
                           description=f"{site}“通知公告”栏目半年未更新")
    ensure_inspection_tasks(check)
    return RectificationTask.objects.get(finding__assessment__website__name=site)


@pytest.fixture
def qiubei(scoring_check) -> RectificationTask:
    return open_task(scoring_check, "丘北县人民政府")


@pytest.fixture
def xichou(scoring_check, other_liaison) -> RectificationTask:
    task = open_task(scoring_check, "西畴县人民政府")
    evidence.attach(task, [upload("西畴截图.png", png_bytes())], other_liaison)
    return task


def url(name: str, obj) -> str:
    return reverse(f"inspections:{name}", args=[obj.pk])


def post_report(client, task, action="upload", report="", files=(), **kwargs):
    return client.post(url("task_report", task), {"action": action, "report": report,
                                                   "files": list(files)}, **kwargs)


# Scope: a 丘北县 liaison who guesses the URLs of 西畴县's task finds nothing.

def test_the_list_and_its_export_hold_only_the_liaisons_tasks(client, liaison, qiubei, xichou):
    client.force_login(liaison)
    page = client.get(reverse("inspections:task_list")).content.decode()
    export = b"".join(client.get(reverse("inspections:task_list") + "?export=csv")
                      .streaming_content).decode()
    assert "我的整改任务" in page
    for text in (page, export):
        assert "丘北县人民政府" in text and "西畴" not in text


def test_filtering_by_another_region_is_refused(client, liaison, qiubei, xichou):
    client.force_login(liaison)
    other = Region.objects.get(name="西畴县")
    page = client.get(reverse("inspections:task_list"), {"region": other.pk}).content.decode()
    assert "筛选条件有误" in page and "西畴县人民政府" not in page
    assert client.get(reverse("inspections:task_list"),
                      {"region": other.pk, "export": "xlsx"}).status_code == 404


def test_another_countys_task_page_and_evidence_are_not_found(client, liaison, xichou):
    client.force_login(liaison)
    assert client.get(url("task", xichou)).status_code == 404
    assert client.get(url("evidence", xichou.evidence.get())).status_code == 404


@pytest.mark.parametrize("name", ["task_report", "task_review", "task_deadline"])
def test_posting_to_another_countys_task_is_not_found(client, liaison, xichou, name):
    client.force_login(liaison)
    data = {"action": "submit", "report": "已整改", "decision": "accept", "deadline": "2030-01-01"}
    assert client.post(url(name, xichou), data).status_code == 404
    xichou.refresh_from_db()
    assert xichou.state == TaskState.OPEN and xichou.report == ""


def test_deleting_another_countys_evidence_is_not_found(client, liaison, xichou):
    client.force_login(liaison)
    item = xichou.evidence.get()
    assert client.post(url("evidence_remove", item)).status_code == 404
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_another_countys_admin_cannot_move_the_deadline(client, make_user, region, xichou):
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    assert client.post(url("task_deadline", xichou), {"deadline": "2030-01-01"}).status_code == 404


def test_a_user_without_a_role_sees_no_task_pages(client, make_user, region, qiubei):
    client.force_login(make_user(None, region=region("丘北县")))
    assert client.get(reverse("inspections:task_list")).status_code == 403
    assert client.get(url("task", qiubei)).status_code == 403
    assert client.post(url("task_report", qiubei), {"action": "submit", "report": "x"}).status_code == 403


@pytest.mark.parametrize(("role", "name", "data"), [
    (Role.LIAISON, "task_review", {"decision": "accept"}),
    (Role.LIAISON, "task_deadline", {"deadline": "2030-01-01"}),
    (Role.INSPECTOR, "task_deadline", {"deadline": "2030-01-01"}),
    (Role.INSPECTOR, "task_report", {"action": "submit", "report": "已整改"}),
    (Role.LEADER, "task_report", {"action": "submit", "report": "已整改"}),
    (Role.LEADER, "task_review", {"decision": "accept"}),
])
def test_a_role_that_may_not_act_is_forbidden_in_its_own_scope(client, make_user, region, qiubei,
                                                                role, name, data):
    client.force_login(make_user(role, region=region("文山州" if role != Role.LIAISON else "丘北县")))
    assert client.post(url(name, qiubei), data).status_code == 403
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.OPEN and qiubei.report == ""


def test_the_review_queue_is_for_reviewers(client, liaison, qiubei):
    client.force_login(liaison)
    assert client.get(reverse("inspections:task_review_list")).status_code == 403


def test_a_unit_liaison_sees_only_their_units_tasks(client, make_user, liaison, qiubei):
    item = make_campaign_items(1, account_name="丘北教育")[0]  # 丘北县教育体育局's account
    client.force_login(make_user(Role.LIAISON, unit=qiubei.unit))
    assert client.get(url("task", qiubei)).status_code == 200
    assert client.get(url("task", item.task)).status_code == 404
    client.force_login(liaison)  # the county's liaison sees both
    assert client.get(url("task", item.task)).status_code == 200


# The liaison's page

def test_the_liaison_sees_the_finding_the_limits_and_one_primary_button(client, liaison, qiubei):
    from inspections.models import Screenshot

    Screenshot.objects.create(finding=qiubei.finding, image="findings/x", original_name="a.png",
                              content_type="image/png", size=1, sha256="0" * 64)
    client.force_login(liaison)
    page = client.get(url("task", qiubei)).content.decode()
    assert "“通知公告”栏目半年未更新" in page and "待整改" in page
    assert reverse("inspections:screenshot", args=[qiubei.finding.screenshots.get().pk]) in page
    assert "每个文件不超过 20 MB，本任务合计不超过 100 MB" in page
    assert page.count('class="primary"') == 1 and "提交整改情况" in page
    assert f"{qiubei.deadline:%Y年%-m月%-d日}" in page


def test_uploading_then_submitting(client, liaison, qiubei):
    client.force_login(liaison)
    response = post_report(client, qiubei, report="已补发信息", files=[
        upload("整改后.png", png_bytes()), upload("照片.jpg", jpeg_bytes()), upload("报告.pdf", PDF),
        upload("说明.docx", docx_bytes()), upload("台账.xlsx", workbook_bytes({"台账": [["序号"]]})),
    ])
    assert response.status_code == 302
    stored = {e.original_name: e.content_type for e in qiubei.evidence.all()}
    assert stored == {
        "整改后.png": "image/png", "照片.jpg": "image/jpeg", "报告.pdf": "application/pdf",
        "说明.docx": evidence.DOCX.content_type, "台账.xlsx": evidence.XLSX.content_type,
    }
    qiubei.refresh_from_db()
    assert qiubei.report == "已补发信息" and qiubei.state == TaskState.OPEN  # kept, not submitted
    assert qiubei.events.filter(action=TaskAction.FILE_ADDED, actor=liaison).count() == 5

    response = post_report(client, qiubei, action="submit", report="已补发信息12条")
    assert response.status_code == 302
    qiubei.refresh_from_db()
    assert (qiubei.state, qiubei.report) == (TaskState.SUBMITTED, "已补发信息12条")
    page = client.get(url("task", qiubei)).content.decode()
    assert "已提交" in page and "等待检查员审核" in page and 'name="files"' not in page


def test_the_evidence_records_its_hash_and_downloads_safely(client, liaison, qiubei):
    client.force_login(liaison)
    content = png_bytes()
    post_report(client, qiubei, files=[upload('报告"; x=.png', content)])
    item = qiubei.evidence.get()
    import hashlib

    assert item.sha256 == hashlib.sha256(content).hexdigest() and item.size == len(content)
    response = client.get(url("evidence", item))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")


def test_submitting_without_text_keeps_the_files_and_says_so(client, liaison, qiubei):
    client.force_login(liaison)
    response = post_report(client, qiubei, action="submit", report="  ", files=[
        upload("整改后.png", png_bytes()), upload("报告.pdf", PDF)])
    assert response.status_code == 302 and response["Location"].endswith("#report")
    assert sorted(qiubei.evidence.values_list("original_name", flat=True)) == ["报告.pdf", "整改后.png"]
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.OPEN
    page = client.get(response["Location"]).content.decode()
    assert "文件已上传（2 个，见下方列表），请填写整改情况后再提交。" in page
    assert "整改后.png" in page and "报告.pdf" in page and 'name="files"' in page
    # Adding the text is then all that is left to do.
    assert post_report(client, qiubei, action="submit", report="已补发信息").status_code == 302
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.SUBMITTED and qiubei.evidence.count() == 2


def test_submitting_without_text_or_files_asks_for_the_text(client, liaison, qiubei):
    client.force_login(liaison)
    response = post_report(client, qiubei, action="submit", report="", follow=True)
    assert "提交前请填写整改情况。" in response.content.decode()
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.OPEN


def test_submitting_without_text_and_a_bad_file_names_both_and_stores_nothing(client, liaison,
                                                                              qiubei):
    client.force_login(liaison)
    response = post_report(client, qiubei, action="submit", report="", files=[
        upload("好的.png", png_bytes()), upload("截图.png", EXE)])
    assert response.status_code == 400
    page = response.content.decode()
    assert "“截图.png”不是可接受的文件" in page and "提交前请填写整改情况。" in page
    assert not qiubei.evidence.exists()


def test_a_download_carries_the_extension_of_what_the_file_is(liaison, qiubei):
    [item] = evidence.attach(qiubei, [upload("报告.exe", PDF)], liaison)
    assert item.original_name == "报告.exe"
    assert evidence.download_name(item) == "报告.pdf"


def test_a_program_renamed_png_is_refused_and_nothing_is_stored(client, liaison, qiubei):
    client.force_login(liaison)
    response = post_report(client, qiubei, action="submit", report="已整改", files=[
        upload("好的.png", png_bytes()), upload("截图.png", EXE)])
    assert response.status_code == 400
    page = response.content.decode()
    assert "“截图.png”不是可接受的文件" in page and "已整改" in page  # what was typed stays
    assert not qiubei.evidence.exists()
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.OPEN


@pytest.mark.parametrize(("name", "content"), [
    ("截图.png", EXE),
    ("报告.pdf", b"<html>%PDF-1.4</html>"),
    ("动图.png", gif_bytes()),
    ("说明.docx", zip_bytes("word/document.xml")),  # no [Content_Types].xml
    ("说明.docx", zip_bytes("[Content_Types].xml", "ppt/presentation.xml")),
    ("说明.docx", b"PK\x03\x04 not really a zip"),
    ("截图.png", png_bytes()[:40]),  # cut short
    ("空.pdf", b""),
])
def test_only_the_accepted_kinds_pass_by_their_content(liaison, qiubei, name, content):
    with pytest.raises(ValidationError, match="不是可接受的文件"):
        evidence.attach(qiubei, [upload(name, content)], liaison)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("a.bin", png_bytes(), evidence.PNG),
    ("a.png", jpeg_bytes(), evidence.JPEG),
    ("手机照片.jpg", mpo_bytes(), evidence.JPEG),
    ("a", PDF, evidence.PDF),
    ("a.xlsx", docx_bytes(), evidence.DOCX),
    ("a.docx", workbook_bytes({"表": [["x"]]}), evidence.XLSX),
])
def test_the_kind_is_decided_by_content_not_name(name, content, kind):
    assert evidence.kind_of(upload(name, content)) is kind


def test_an_oversized_file_is_refused(client, liaison, qiubei, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", 100)
    client.force_login(liaison)
    response = post_report(client, qiubei, files=[upload("大.pdf", PDF + b"\0" * 100)])
    assert response.status_code == 400
    assert "每个文件不能超过" in response.content.decode()
    assert not qiubei.evidence.exists()


def test_the_total_per_task_is_limited(client, liaison, qiubei, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_TASK_BYTES", len(PDF) * 2 + 10)
    client.force_login(liaison)
    assert post_report(client, qiubei, files=[upload("1.pdf", PDF), upload("2.pdf", PDF)]).status_code == 302
    response = post_report(client, qiubei, files=[upload("3.pdf", PDF)])
    assert response.status_code == 400
    assert "合计不能超过" in response.content.decode()
    assert qiubei.evidence.count() == 2


def test_a_path_in_the_file_name_is_stored_harmlessly(client, liaison, qiubei):
    client.force_login(liaison)
    media = Path(settings.MEDIA_ROOT).resolve()
    assert post_report(client, qiubei, files=[upload("../../x.pdf", PDF)]).status_code == 302
    item = qiubei.evidence.get()
    assert re.fullmatch(r"evidence/[0-9a-f]{32}", item.file.name)
    assert Path(item.file.path).resolve().parent == media / "evidence"
    assert item.original_name == "x.pdf"  # kept as data only
    assert not list(media.rglob("x.pdf")) and not (media.parent / "x.pdf").exists()


@pytest.mark.parametrize(("given", "kept"), [
    ("../../x.pdf", "x.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("C:\\fakepath\\报告.pdf", "报告.pdf"),
    (".htaccess", "htaccess"),
    ("a\x00b.pdf", "ab.pdf"),
    ("", "文件"),
])
def test_a_file_name_keeps_no_folders(given, kept):
    assert evidence.clean_name(given) == kept


def test_the_uploader_may_remove_a_file_until_it_is_submitted(
        client, liaison, qiubei, django_capture_on_commit_callbacks):
    client.force_login(liaison)
    post_report(client, qiubei, files=[upload("错的.png", png_bytes()), upload("对的.png", png_bytes())])
    wrong, right = qiubei.evidence.order_by("original_name").reverse()
    path = Path(wrong.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("evidence_remove", wrong)).status_code == 302
    assert not Evidence.objects.filter(pk=wrong.pk).exists() and not path.exists()
    assert qiubei.events.filter(action=TaskAction.FILE_REMOVED, actor=liaison, note="错的.png").exists()

    post_report(client, qiubei, action="submit", report="已整改")
    client.post(url("evidence_remove", right))
    assert Evidence.objects.filter(pk=right.pk).exists()  # submitted: it stays
    assert post_report(client, qiubei, files=[upload("补充.png", png_bytes())]).status_code == 400
    assert qiubei.evidence.count() == 1


def test_a_file_submitted_before_a_return_stays_but_a_new_one_may_be_removed(
        client, liaison, inspector, qiubei):
    from inspections.rectification import send_back

    client.force_login(liaison)
    post_report(client, qiubei, files=[upload("第一次.png", png_bytes())])
    submit(qiubei, liaison, "已整改")
    send_back(qiubei, inspector, "截图看不清")
    post_report(client, qiubei, files=[upload("第二次.png", png_bytes())])
    page = client.get(url("task", qiubei)).content.decode()
    assert "删除 第二次.png" in page and "删除 第一次.png" not in page


def test_another_users_file_may_not_be_removed(client, liaison, make_user, region, qiubei):
    colleague = make_user(Role.LIAISON, region=region("丘北县"))
    [item] = evidence.attach(qiubei, [upload("同事的.pdf", PDF)], colleague)
    client.force_login(liaison)
    assert client.post(url("evidence_remove", item)).status_code == 302
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_the_return_reason_is_shown_prominently(client, liaison, inspector, qiubei):
    submit(qiubei, liaison, "已整改")
    client.force_login(inspector)
    client.post(url("task_review", qiubei), {"decision": "return", "reason": "截图看不到更新日期"})
    client.force_login(liaison)
    page = client.get(url("task", qiubei)).content.decode()
    assert 'id="return-reason"' in page and "截图看不到更新日期" in page
    assert page.index("截图看不到更新日期") < page.index("发现的问题")
    assert "已整改" in page  # the earlier report is there to revise


# The inspector's side

def test_accepting_an_open_task_is_refused_with_a_message(client, inspector, qiubei):
    client.force_login(inspector)
    response = client.post(url("task_review", qiubei), {"decision": "accept"}, follow=True)
    assert "整改任务当前为“待整改”，不能审核通过" in response.content.decode()
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.OPEN
    assert not qiubei.events.filter(action=TaskAction.ACCEPTED).exists()


def test_a_return_needs_a_reason(client, liaison, inspector, qiubei):
    submit(qiubei, liaison, "已整改")
    client.force_login(inspector)
    response = client.post(url("task_review", qiubei), {"decision": "return", "reason": " "}, follow=True)
    assert "请填写退回原因" in response.content.decode()
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.SUBMITTED


def test_the_inspector_reviews_a_submitted_task(client, liaison, inspector, qiubei):
    submit(qiubei, liaison, "已补发信息")
    client.force_login(inspector)
    page = client.get(url("task", qiubei)).content.decode()
    assert "已补发信息" in page and "通过" in page and "退回原因" in page
    assert "调整整改期限" not in page  # admins only
    assert client.post(url("task_review", qiubei), {"decision": "accept"}).status_code == 302
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.ACCEPTED
    assert qiubei.events.filter(action=TaskAction.ACCEPTED, actor=inspector).exists()


def test_an_admin_moves_the_deadline(client, office_admin, qiubei):
    client.force_login(office_admin)
    assert "调整整改期限" in client.get(url("task", qiubei)).content.decode()
    client.post(url("task_deadline", qiubei), {"deadline": "2030-06-30"})
    qiubei.refresh_from_db()
    assert qiubei.deadline == datetime.date(2030, 6, 30)
    assert qiubei.events.filter(action=TaskAction.DEADLINE, actor=office_admin).exists()
    response = client.post(url("task_deadline", qiubei), {"deadline": "明天"}, follow=True)
    assert "请填写正确的日期" in response.content.decode()


def test_the_review_queue_lists_submitted_tasks_oldest_first(client, liaison, other_liaison,
                                                             inspector, qiubei, xichou):
    submit(xichou, other_liaison, "先交的")
    submit(qiubei, liaison, "后交的")
    RectificationTask.objects.filter(pk=qiubei.pk).update(
        submitted_at=timezone.now() + datetime.timedelta(hours=1))
    client.force_login(inspector)
    page = client.get(reverse("inspections:task_review_list")).content.decode()
    assert page.index("西畴县人民政府") < page.index("丘北县人民政府")
    accept_url = url("task_review", xichou)
    client.post(accept_url, {"decision": "accept"})
    page = client.get(reverse("inspections:task_review_list")).content.decode()
    assert "西畴县人民政府" not in page and "丘北县人民政府" in page


# Who may review: the check's inspectors and the admins in scope; campaign tasks, admins only;
# never the person who submitted.

@pytest.fixture
def other_inspector(make_user, region):
    """An inspector of 文山州 who is not assigned to the check."""
    return make_user(Role.INSPECTOR, region=region("文山州"))


def test_an_inspector_not_assigned_to_the_check_may_not_review_it(
        client, other_liaison, other_inspector, inspector, xichou):
    submit(xichou, other_liaison, "已整改")
    client.force_login(other_inspector)
    page = client.get(url("task", xichou)).content.decode()
    assert "已整改" in page and 'name="decision"' not in page and "等待检查员审核" in page
    queue = client.get(reverse("inspections:task_review_list")).content.decode()
    assert "西畴县人民政府" not in queue
    assert client.post(url("task_review", xichou), {"decision": "accept"}).status_code == 403
    xichou.refresh_from_db()
    assert xichou.state == TaskState.SUBMITTED
    client.force_login(inspector)  # assigned to the check
    assert 'name="decision"' in client.get(url("task", xichou)).content.decode()
    assert "西畴县人民政府" in client.get(reverse("inspections:task_review_list")).content.decode()


def test_campaign_tasks_are_reviewed_by_admins_only(client, liaison, inspector, office_admin):
    item = make_campaign_items(1, account_name="丘北教育")[0]
    submit(item.task, liaison, "已注销")
    client.force_login(inspector)
    assert client.post(url("task_review", item.task), {"decision": "accept"}).status_code == 403
    assert 'name="decision"' not in client.get(url("task", item.task)).content.decode()
    assert "丘北教育" not in client.get(reverse("inspections:task_review_list")).content.decode()
    client.force_login(office_admin)
    assert "丘北教育" in client.get(reverse("inspections:task_review_list")).content.decode()
    assert client.post(url("task_review", item.task), {"decision": "accept"}).status_code == 302
    item.task.refresh_from_db()
    assert item.task.state == TaskState.ACCEPTED


def test_nobody_reviews_what_they_submitted(client, make_user, region, scoring_check, qiubei):
    from django.contrib.auth.models import Group

    both = make_user(Role.LIAISON, region=region("文山州"))
    both.groups.add(Group.objects.get(name=Role.INSPECTOR.value))
    scoring_check.inspectors.add(both)
    client.force_login(both)
    assert post_report(client, qiubei, action="submit", report="已补发信息").status_code == 302
    page = client.get(url("task", qiubei)).content.decode()
    assert 'name="decision"' not in page and "等待检查员审核" in page
    assert "丘北县人民政府" not in client.get(reverse("inspections:task_review_list")).content.decode()
    response = client.post(url("task_review", qiubei), {"decision": "accept"}, follow=True)
    assert "这次整改情况是您本人提交的，不能由您审核" in response.content.decode()
    qiubei.refresh_from_db()
    assert qiubei.state == TaskState.SUBMITTED


# Filters

def test_the_list_filters_by_state_overdue_source_and_text(client, office_admin, liaison, qiubei,
                                                           xichou, scoring_check):
    submit(qiubei, liaison, "已整改")
    RectificationTask.objects.filter(pk=xichou.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1))
    item = make_campaign_items(1)[0]
    client.force_login(office_admin)

    def names(**query):
        page = client.get(reverse("inspections:task_list"), query).content.decode()
        assert "筛选条件有误" not in page
        return {n for n in ("丘北县人民政府", "西畴县人民政府", item.account.name) if n in page}

    assert names() == {"丘北县人民政府", "西畴县人民政府", item.account.name}
    assert names(state="submitted") == {"丘北县人民政府"}
    assert names(overdue="yes") == {"西畴县人民政府"}
    assert names(overdue="no") == {"丘北县人民政府", item.account.name}
    assert names(source="q2022-1") == {"丘北县人民政府", "西畴县人民政府"}
    assert names(source=f"c{item.campaign_id}") == {item.account.name}
    assert names(q="西畴") == {"西畴县人民政府"}
    page = client.get(reverse("inspections:task_list")).content.decode()
    assert "2022年一季度检查" in page and "已逾期" in page


def test_the_export_has_the_tables_columns(client, office_admin, qiubei):
    client.force_login(office_admin)
    export = b"".join(client.get(reverse("inspections:task_list") + "?export=csv")
                      .streaming_content).decode("utf-8-sig")
    header, row = export.splitlines()[:2]
    assert header == "问题/对象,检查或专项,责任单位,所属地区,整改期限,状态,是否逾期,提交时间"
    assert "丘北县人民政府：" in row and "待整改" in row and ",否," in row


# Query counts

def make_campaign_items(count: int, account_name: str | None = None) -> list[CampaignItem]:
    campaign, _ = Campaign.objects.get_or_create(
        region=Region.objects.get(name="文山州"), name="未备案账号专项排查整治",
        defaults={"started_on": datetime.date(2021, 5, 10), "checked_on": datetime.date(2021, 12, 31),
                  "deadline": timezone.localdate() + datetime.timedelta(days=60)},
    )
    accounts = list(Account.objects.filter(**({"name": account_name} if account_name else {}))
                    .select_related("unit")[:20])
    items = CampaignItem.objects.bulk_create(
        CampaignItem(campaign=campaign, account=accounts[i % len(accounts)],
                     unit=accounts[i % len(accounts)].unit, result="未备案未注销")
        for i in range(count)
    )
    ensure_campaign_tasks(campaign)
    return items


def grow_tasks(check, count: int) -> None:
    """`count` more tasks: half from findings, half from campaign items, all submitted."""
    assessments = list(check.assessments.all())
    Finding.objects.bulk_create(
        Finding(assessment=assessments[i % len(assessments)], description=f"问题{count}-{i}")
        for i in range(count // 2)
    )
    ensure_inspection_tasks(check)
    make_campaign_items(count - count // 2)
    RectificationTask.objects.update(state=TaskState.SUBMITTED, submitted_at=timezone.now())


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["task_list", "task_review_list"])
@pytest.mark.parametrize("suffix", ["", "?export=xlsx", "?export=csv", "?overdue=no&q=问题&sort=-deadline"])
def test_list_queries_do_not_grow_with_tasks(client, office_admin, scoring_check, name, suffix,
                                             django_assert_max_num_queries):
    client.force_login(office_admin)
    path = reverse(f"inspections:{name}") + suffix
    grow_tasks(scoring_check, 10)
    small = count_queries(client, path)
    grow_tasks(scoring_check, 200)
    assert RectificationTask.objects.count() == 210
    with django_assert_max_num_queries(small):
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert small <= 12


def test_the_liaisons_list_is_bounded_too(client, liaison, scoring_check, qiubei,
                                          django_assert_max_num_queries):
    client.force_login(liaison)
    grow_tasks(scoring_check, 10)
    small = count_queries(client, reverse("inspections:task_list"))
    grow_tasks(scoring_check, 200)
    with django_assert_max_num_queries(small):
        client.get(reverse("inspections:task_list"))


def test_the_task_page_is_bounded(client, liaison, qiubei, django_assert_max_num_queries):
    for i in range(10):
        evidence.attach(qiubei, [upload(f"{i}.pdf", PDF)], liaison)
    client.force_login(liaison)
    with django_assert_max_num_queries(12):
        assert client.get(url("task", qiubei)).status_code == 200
    assert TaskEvent.objects.filter(task=qiubei).count() == 11


def test_the_reviewers_task_page_is_bounded(client, liaison, inspector, qiubei,
                                            django_assert_max_num_queries):
    for i in range(10):
        evidence.attach(qiubei, [upload(f"{i}.pdf", PDF)], liaison)
    submit(qiubei, liaison, "已整改")
    client.force_login(inspector)
    with django_assert_max_num_queries(12):
        page = client.get(url("task", qiubei)).content.decode()
    assert 'name="decision"' in page
