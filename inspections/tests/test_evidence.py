"""Evidence files: Word and Excel recognised by their declared main part (not by two names
inside a zip), macros and zip bombs refused, PDFs complete; files served sandboxed; and no
file left on disk when its row is deleted or its upload rolled back."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from common.testing import workbook_bytes
from inspections import evidence
from inspections.choices import TaskAction, TaskState
from inspections.models import Campaign, Evidence, Finding, RectificationTask, TaskEvent
from inspections.rectification import TransitionError, ensure_tasks, save_report
from inspections.tests.test_rectification_views import PDF, docx_bytes, make_campaign_items, png_bytes, upload

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def content_types(*overrides: tuple[str, str], prolog: str = "") -> str:
    entries = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f"{entries}</Types>")


def package(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def rewritten(original: bytes, parts: dict[str, bytes | str]) -> bytes:
    """A real Office file with some parts replaced or added."""
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        kept = {name: archive.read(name) for name in archive.namelist()}
    return package({**kept, **parts})


def docm_bytes() -> bytes:
    """What Word saves as .docm: the main part's type says macros, and it holds the macros."""
    original = docx_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        types = archive.read("[Content_Types].xml").decode().replace(DOCX_MAIN, DOCM_MAIN)
    return rewritten(original, {"[Content_Types].xml": types, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})


def kind(name: str, content: bytes) -> evidence.Kind:
    return evidence.kind_of(upload(name, content))


# Word and Excel

def test_real_word_and_excel_files_pass():
    assert kind("说明.docx", docx_bytes()) is evidence.DOCX
    assert kind("台账.xlsx", workbook_bytes({"台账": [["序号"]]})) is evidence.XLSX
    assert kind("最小.docx", package({
        "[Content_Types].xml": content_types(("/word/document.xml", DOCX_MAIN)),
        "word/document.xml": "<w:document/>"})) is evidence.DOCX


@pytest.mark.parametrize("content", [
    # The two names the old check looked for, with nothing declaring a document.
    package({"[Content_Types].xml": "<Types/>", "word/document.xml": "<x/>"}),
    package({"[Content_Types].xml": content_types(), "xl/workbook.xml": "<x/>"}),
    # A main part declared but missing.
    package({"[Content_Types].xml": content_types(("/word/document.xml", DOCX_MAIN))}),
    # A presentation, or a main part of another vocabulary.
    package({"[Content_Types].xml": content_types(("/ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml")),
             "ppt/presentation.xml": "<x/>"}),
    # Not XML at all.
    package({"[Content_Types].xml": "<Types", "word/document.xml": "<x/>"}),
], ids=["names-only-docx", "names-only-xlsx", "missing-main-part", "presentation", "broken-xml"])
def test_a_zip_that_does_not_declare_a_document_is_refused(content):
    with pytest.raises(ValidationError, match="不是可接受的文件"):
        kind("说明.docx", content)


@pytest.mark.parametrize("content", [
    docm_bytes(),
    # A macro-enabled type alone (an .xlsm renamed .xlsx) …
    rewritten(workbook_bytes({"表": [["x"]]}), {"[Content_Types].xml": content_types(
        ("/xl/workbook.xml", XLSM_MAIN))}),
    # … or the macros alone, beside an ordinary main part.
    rewritten(docx_bytes(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
], ids=["docm", "xlsm-type", "vbaproject"])
def test_macro_enabled_files_are_refused(content):
    with pytest.raises(ValidationError, match="含宏的 Word/Excel 文件"):
        kind("说明.docx", content)


def test_a_document_type_declaration_is_refused_so_no_entity_expands():
    laughs = ('<!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    types = content_types(("/word/document.xml", DOCX_MAIN), prolog=laughs).replace(
        'ContentType="application/xml"', 'ContentType="&b;"')
    for encoded in (types.encode(), types.replace("UTF-8", "UTF-16").encode("utf-16")):
        with pytest.raises(ValidationError, match="不是可接受的文件"):
            kind("说明.docx", package({"[Content_Types].xml": encoded, "word/document.xml": "<x/>"}))


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = package({"[Content_Types].xml": content_types(("/word/document.xml", DOCX_MAIN)),
                    "word/document.xml": "<x/>", "word/media/zeros.bin": bytes(20 * evidence.MB)})
    assert len(bomb) < 100_000  # twenty megabytes of zeros deflate to a few dozen kilobytes
    with pytest.raises(ValidationError, match=r"解压后有 20 MB.*不像正常的 Word/Excel 文件"):
        kind("说明.docx", bomb)


@pytest.mark.parametrize(("limit", "value"), [
    ("MAX_UNZIPPED_BYTES", 100_000), ("MAX_ENTRIES", 5), ("MAX_RATIO", 5),
])
def test_each_size_limit_holds(monkeypatch, limit, value):
    content = docx_bytes()  # about 800 kB of XML in 36 kB, 20 parts
    assert kind("说明.docx", content) is evidence.DOCX
    monkeypatch.setattr(evidence, limit, value)
    with pytest.raises(ValidationError, match="不像正常的 Word/Excel 文件"):
        kind("说明.docx", content)


def test_an_oversized_content_types_part_is_refused(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_CONTENT_TYPES_BYTES", 100)
    with pytest.raises(ValidationError, match="不是可接受的文件"):
        kind("说明.docx", docx_bytes())


def test_a_damaged_content_types_part_is_refused():
    content = bytearray(package({"[Content_Types].xml": content_types(("/word/document.xml", DOCX_MAIN)),
                                 "word/document.xml": "<x/>"}))
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo("[Content_Types].xml")
    # The deflated data follows the 30-byte local header, the name and the extra field.
    content[info.header_offset + 30 + len(info.filename) + len(info.extra) + 5] ^= 0xFF
    with pytest.raises(ValidationError, match="不是可接受的文件"):
        kind("说明.docx", bytes(content))


# PDF

@pytest.mark.parametrize(("content", "accepted"), [
    (PDF, True),
    (PDF + b"\r\n\n  \x00", True),  # what some producers leave after the marker
    (PDF[:-len(b"%%EOF\n")], False),  # cut short
    (b"%PDF-1.7\n" + b"0" * 5000, False),
    (PDF + b" " * 2000, False),  # the marker too far from the end for a reader to find
])
def test_a_pdf_must_end_with_its_eof_marker(content, accepted):
    if accepted:
        assert kind("报告.pdf", content) is evidence.PDF
    else:
        with pytest.raises(ValidationError, match="不是完整的 PDF 文件"):
            kind("报告.pdf", content)


# Serving

def test_a_file_is_served_sandboxed_inline_or_as_a_download(liaison, task):
    [item] = evidence.attach(task, [upload("截图.png", png_bytes())], liaison)
    for name, disposition in ((None, "inline"),
                              ("截图.png", "attachment; filename*=utf-8''%E6%88%AA%E5%9B%BE.png")):
        response = evidence.protected_file_response(item.file, "image/png", name)
        assert response["Content-Disposition"] == disposition
        assert response["Content-Security-Policy"] == "sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == png_bytes()


# Files on disk, in a MEDIA_ROOT of the test's own

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
