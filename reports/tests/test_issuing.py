"""Issuing renders the four formats outside any transaction, with its progress visible to the
page that polls it, and records them in one short transaction only if the draft is unchanged;
a failure leaves the circular a draft and no file behind."""

import threading
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.db.models import F
from django.urls import reverse

from reports import issuing, tasks
from reports.choices import CircularStatus, JobKind
from reports.models import Circular, CircularFile, RenderJob
from reports.renderers.pdf import FontProblem
from sites.models import User


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def progress_seen_by_another_connection() -> tuple[int, str]:
    """The job's progress as the polling page reads it: from another connection, which sees
    only what is committed (and is refused while a write transaction holds the table)."""
    seen = {}

    def read():
        try:
            seen["job"] = RenderJob.objects.values_list("progress", "stage").get()
        except DatabaseError as error:  # "database table is locked" while issuing held it
            seen["job"] = (None, str(error))
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen["job"]


def issue_with(monkeypatch, circular, before_render):
    """Issue through the background job, calling `before_render(fmt)` in place of each renderer
    (which then returns a stand-in file: real renders take seconds)."""
    def render(fmt, document, *, strict=False):
        assert strict  # an issued original refuses a missing glyph
        before_render(fmt)
        return f"{fmt} original".encode()

    monkeypatch.setattr(issuing, "render", render)
    job = tasks.start(circular, JobKind.ISSUE, User.objects.get(username="admin"))
    job.refresh_from_db()
    circular.refresh_from_db()
    return job


@pytest.mark.django_db(transaction=True)
def test_the_polling_page_sees_each_format_s_progress_while_nothing_is_locked(
        monkeypatch, circular, media):
    seen = []

    def render(fmt):
        seen.append((fmt, connection.in_atomic_block, progress_seen_by_another_connection()))

    job = issue_with(monkeypatch, circular, render)
    assert not job.error and circular.is_issued
    assert [fmt for fmt, _, _ in seen] == ["html", "xlsx", "docx", "pdf"]
    assert not any(locked for _, locked, _ in seen)
    progress = [job for _, _, job in seen]
    assert [stage for _, stage in progress] == ["生成HTML", "生成Excel（附件表格）", "生成Word", "生成PDF"]
    assert [percent for percent, _ in progress] == sorted({percent for percent, _ in progress})
    assert (job.progress, job.stage) == (100, "已签发")
    assert sorted(f.file.read() for f in circular.files.filter(issued=True)) == [
        b"docx original", b"html original", b"pdf original", b"xlsx original"]


def test_a_format_that_fails_leaves_the_draft_and_no_file(monkeypatch, client, circular, media,
                                                          office_admin):
    def render(fmt):
        if fmt == "pdf":
            raise FontProblem("weasyprint: no glyph for 𠀀")

    job = issue_with(monkeypatch, circular, render)
    assert circular.status == CircularStatus.DRAFT and circular.snapshot is None
    assert not CircularFile.objects.exists() and stored_files(media) == []
    assert "生成PDF文件失败，未签发，通报仍为草稿" in job.error and "no glyph" in job.error
    client.force_login(office_admin)
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "失败：生成PDF文件失败，未签发，通报仍为草稿" in page
    monkeypatch.undo()
    assert issuing.issue(circular, office_admin).is_issued  # and it is issued once that is fixed
    assert stored_files(media) and circular.files.filter(issued=True).count() == 4


@pytest.mark.parametrize(("change", "message"), [
    ({"version": F("version") + 1, "achievements": "签发期间保存的修改"}, "签发期间有人修改并保存了这份通报"),
    ({"status": CircularStatus.ISSUED}, "该通报已签发"),
])
def test_a_draft_changed_while_rendering_is_not_issued(monkeypatch, circular, media, change,
                                                       message):
    def render(fmt):
        if fmt == "docx":  # another user saves the draft, or another job issues it, meanwhile
            Circular.objects.filter(pk=circular.pk).update(**change)

    job = issue_with(monkeypatch, circular, render)
    assert message in job.error and job.is_done
    assert circular.snapshot is None and circular.issued_at is None
    assert circular.achievements == change.get("achievements", "")
    assert not CircularFile.objects.exists() and stored_files(media) == []
