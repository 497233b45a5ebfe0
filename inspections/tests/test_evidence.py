"""Evidence files on disk, in a MEDIA_ROOT of the test's own: none is left behind when its
row is deleted (on commit) or its upload rolled back."""

from pathlib import Path

import pytest
from django.db import transaction

from inspections import evidence
from inspections.choices import TaskAction, TaskState
from inspections.models import Campaign, Evidence, Finding, RectificationTask, TaskEvent
from inspections.rectification import TransitionError, ensure_tasks, save_report
from inspections.tests.test_rectification_views import PDF, make_campaign_items, png_bytes, upload


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def task(scoring_check) -> RectificationTask:
    finding = Finding.objects.create(
        assessment=scoring_check.assessments.get(website__name="丘北县人民政府"), description="首页不更新")
    return ensure_tasks([finding])[0]


def stored_files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def test_a_deleted_evidence_row_takes_its_file_once_committed(media, liaison, task,
                                                              django_capture_on_commit_callbacks):
    kept, dropped = evidence.attach(task, [upload("a.png", png_bytes()), upload("b.pdf", PDF)], liaison)
    assert stored_files(media) == sorted([Path(kept.file.path), Path(dropped.file.path)])
    pk = dropped.pk
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        dropped.delete()
        raise RuntimeError("rolled back")
    assert len(stored_files(media)) == 2  # a rolled-back deletion keeps row and file
    with django_capture_on_commit_callbacks(execute=True):
        Evidence.objects.get(pk=pk).delete()
    assert stored_files(media) == [Path(kept.file.path)]


def test_deleting_a_campaign_takes_its_tasks_evidence_files(media, liaison,
                                                            django_capture_on_commit_callbacks):
    item = make_campaign_items(1, account_name="丘北教育")[0]
    evidence.attach(item.task, [upload("a.png", png_bytes()), upload("b.pdf", PDF)], liaison)
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        Campaign.objects.get(pk=item.campaign_id).delete()
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_an_upload_that_fails_leaves_no_file(media, liaison, task, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(TaskEvent.objects, "bulk_create", fail)  # after every file is written
    with pytest.raises(RuntimeError):
        evidence.attach(task, [upload("a.png", png_bytes()), upload("b.pdf", PDF)], liaison)
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_a_refused_submission_takes_back_the_files_it_came_with(media, liaison, task):
    with pytest.raises(TransitionError, match="提交前请填写整改情况"):
        save_report(task, liaison, "", [upload("a.png", png_bytes())], submitting=True)
    assert not Evidence.objects.exists() and stored_files(media) == []
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and not task.events.exclude(action=TaskAction.OPENED).exists()
