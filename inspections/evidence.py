"""Evidence (佐证材料) of a rectification: accepted by what the file is, never by its name,
stored under a random name, and counted against a limit per file and per task.

Accepted: PNG and JPEG (Pillow must read them), PDF (the `%PDF-` header), and Word and
Excel files (a zip holding `[Content_Types].xml` and `word/document.xml` or
`xl/workbook.xml`). Anything else, such as a program renamed `.png`, is refused.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from .choices import TaskAction, TaskState
from .models import Evidence, RectificationTask, TaskEvent

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB
MAX_TASK_BYTES = 100 * MB
# States in which the responsible unit is still working on the task.
EDITABLE_STATES = (TaskState.OPEN, TaskState.RETURNED)


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str


PNG = Kind("PNG 图片", "image/png", ".png")
JPEG = Kind("JPG 图片", "image/jpeg", ".jpg")
PDF = Kind("PDF 文档", "application/pdf", ".pdf")
DOCX = Kind("Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx")
XLSX = Kind("Excel 表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx")
KINDS = (PNG, JPEG, PDF, DOCX, XLSX)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
ACCEPTED_TEXT = "PNG、JPG 图片，PDF 文档，Word（.docx）文档，Excel（.xlsx）表格"
# For the file chooser only; the server decides by content.
ACCEPT_ATTRIBUTE = ".png,.jpg,.jpeg,.pdf,.docx,.xlsx"
OFFICE_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def megabytes(size: int) -> str:
    """20 MB, 0.5 MB: how the page states sizes."""
    return f"{size / MB:.1f}".removesuffix(".0") + " MB"


def clean_name(name: str) -> str:
    """The uploader's file name as data: no folders (`../../x.pdf` → `x.pdf`, Windows paths
    too), no control characters, at most 255 characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".") or "文件"
    return name[-255:]


def kind_of(upload) -> Kind:
    """What the file really is; refuse anything outside the accepted kinds."""
    name = clean_name(upload.name)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"PK\x03\x04"):
            return _office_kind(upload, name)
        return _image_kind(upload, name)
    finally:
        upload.seek(0)


def _office_kind(upload, name: str) -> Kind:
    try:
        with zipfile.ZipFile(upload) as archive:  # reads the directory only, never inflates
            parts = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refused(name) from error
    if "[Content_Types].xml" in parts:
        for kind, part in OFFICE_PARTS.items():
            if part in parts:
                return kind
    raise _refused(name)


def _image_kind(upload, name: str) -> Kind:
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as error:
        raise _refused(name) from error
    if kind == "PNG":
        return PNG
    if kind in ("JPEG", "MPO"):  # phone cameras write MPO: a JPEG with a second picture
        return JPEG
    raise _refused(name)


def _refused(name: str) -> ValidationError:
    return ValidationError(f"“{name}”不是可接受的文件。只能上传{ACCEPTED_TEXT}。")


def check(uploads: list, used: int) -> list[Kind]:
    """The kind of each upload, or every problem at once (nothing is stored then)."""
    problems, kinds = [], []
    for upload in uploads:
        if upload.size > MAX_FILE_BYTES:
            problems.append(f"“{clean_name(upload.name)}”有 {megabytes(upload.size)}，"
                            f"每个文件不能超过 {megabytes(MAX_FILE_BYTES)}。")
            continue
        try:
            kinds.append(kind_of(upload))
        except ValidationError as error:
            problems += error.messages
    total = used + sum(upload.size for upload in uploads)
    if not problems and total > MAX_TASK_BYTES:
        problems.append(f"本任务的佐证材料合计不能超过 {megabytes(MAX_TASK_BYTES)}"
                        f"（已上传 {megabytes(used)}，本次 {megabytes(total - used)}）。")
    if problems:
        raise ValidationError(problems)
    return kinds


def used_bytes(task: RectificationTask) -> int:
    return sum(task.evidence.values_list("size", flat=True))


def is_editable(task: RectificationTask) -> bool:
    return task.state in EDITABLE_STATES


def attach(task: RectificationTask, uploads: list, user) -> list[Evidence]:
    """Store the uploads as the task's evidence, all or none, each with its SHA-256 and an
    event in the task's history."""
    stored: list[Evidence] = []
    with removed_on_failure(stored), transaction.atomic():
        # The lock makes two uploads at once count against the same total.
        task = RectificationTask.objects.select_for_update().get(pk=task.pk)
        if not is_editable(task):
            raise ValidationError(
                f"整改任务当前为“{task.get_state_display()}”，不能再修改佐证材料。")
        kinds = check(uploads, used_bytes(task))
        for upload, kind in zip(uploads, kinds, strict=True):
            item = Evidence(task=task, original_name=clean_name(upload.name),
                            content_type=kind.content_type, size=upload.size,
                            sha256=sha256(upload), uploaded_by=user)
            # Written first (under a random name, evidence_path), so a failure from here
            # on knows which file to take back.
            item.file.save(upload.name, upload, save=False)
            stored.append(item)
            item.save()
        TaskEvent.objects.bulk_create(
            TaskEvent(task=task, action=TaskAction.FILE_ADDED, actor=user, note=e.original_name)
            for e in stored
        )
    return stored


@contextmanager
def removed_on_failure(stored: list[Evidence]):
    """The files of evidence written in a block that then fails: its transaction forgets
    the rows, so nothing would ever point at the files again. Delete them."""
    try:
        yield
    except BaseException:
        for item in stored:
            item.file.storage.delete(item.file.name)
        raise


def delete_file_on_commit(sender, instance: Evidence, using: str, **kwargs) -> None:
    """post_delete of Evidence, however it is deleted (by `remove`, or with its task or
    campaign): Django never deletes a FileField's file; delete it once the deletion is
    committed, so that a rolled-back deletion keeps both."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), using=using)


def sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def can_remove(evidence: Evidence, user) -> bool:
    """The uploader may take a file back until it has been submitted with the task."""
    task = evidence.task
    return (
        evidence.uploaded_by_id == user.pk and is_editable(task)
        and (task.submitted_at is None or evidence.uploaded_at > task.submitted_at)
    )


@transaction.atomic
def remove(evidence: Evidence, user) -> None:
    evidence.task = RectificationTask.objects.select_for_update().get(pk=evidence.task_id)
    if not can_remove(evidence, user):
        raise ValidationError("只能删除自己上传、尚未提交的佐证材料。")
    TaskEvent.objects.create(task=evidence.task, action=TaskAction.FILE_REMOVED, actor=user,
                             note=evidence.original_name)
    evidence.delete()  # the file follows on commit (delete_file_on_commit)


def download_name(evidence: Evidence) -> str:
    """The original name, with the extension of what the file really is."""
    kind = BY_CONTENT_TYPE.get(evidence.content_type)
    name = evidence.original_name
    if kind is None or name.lower().endswith(kind.extension) or (
            kind is JPEG and name.lower().endswith(".jpeg")):
        return name
    return f"{name.rsplit('.', 1)[0] if '.' in name else name}{kind.extension}"
