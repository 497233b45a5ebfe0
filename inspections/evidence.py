"""Evidence (佐证材料) of a rectification: accepted by what the file is, never by its name,
stored under a random name, counted against a limit per file and per task, and served only
as a download that no browser runs.

Accepted: PNG and JPEG (Pillow must read them), PDF (the `%PDF-` header and the `%%EOF`
marker at its end), and Word and Excel files: a zip whose `[Content_Types].xml` declares
the main part of a .docx or an .xlsx, without macros, and that does not inflate to an
unreasonable size (a zip bomb). Anything else, such as a program renamed `.png`, is refused.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils.http import content_disposition_header
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

# PDF readers look for the end-of-file marker within the last 1024 bytes.
PDF_TAIL_BYTES = 1024

# Word and Excel files are zips described by their [Content_Types].xml.
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# .docm, .xlsm and their templates declare macro-enabled types and carry vbaProject.bin.
MACRO_MARKERS = ("macroenabled", "vbaproject")
# Sane sizes: the most repetitive real spreadsheets inflate about 30 times; a zip bomb
# about a thousand times, or to terabytes with overlapping entries.
MAX_UNZIPPED_BYTES = 500 * MB
MAX_RATIO = 100
MAX_ENTRIES = 10_000
MAX_CONTENT_TYPES_BYTES = MB


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
            return _pdf_kind(upload, name)
        if head.startswith(b"PK\x03\x04"):
            return _office_kind(upload, name)
        return _image_kind(upload, name)
    finally:
        upload.seek(0)


def _pdf_kind(upload, name: str) -> Kind:
    """A PDF must end with its %%EOF marker: one cut short is not evidence anyone can read."""
    upload.seek(max(0, upload.size - PDF_TAIL_BYTES))
    if b"%%EOF" not in upload.read(PDF_TAIL_BYTES):
        raise ValidationError(f"“{name}”不是完整的 PDF 文件（可能已损坏或未保存完整），"
                              "请重新导出后再上传。")
    return PDF


def _office_kind(upload, name: str) -> Kind:
    """A .docx or an .xlsx by its declared main part; the zip's directory is read and only
    [Content_Types].xml is inflated (bounded), never the document itself."""
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            _check_zip_size(infos, upload.size, name)
            names = {info.filename.lower() for info in infos}
            entries = _content_types(_read_content_types(archive))
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError,
            zlib.error, expat.ExpatError, KeyError) as error:
        raise _refused(name) from error
    types = [content_type.lower() for _, content_type in entries]
    if any(marker in text for marker in MACRO_MARKERS
           for text in [*types, *(n.rsplit("/", 1)[-1] for n in names)]):
        raise ValidationError(f"“{name}”是含宏的 Word/Excel 文件，不能上传。"
                              "请另存为普通的 .docx 或 .xlsx 文件后再上传。")
    kinds = {MAIN_PARTS[content_type] for part, content_type in entries
             if content_type in MAIN_PARTS and part.lstrip("/").lower() in names}
    if len(kinds) != 1:
        raise _refused(name)
    return kinds.pop()


def _check_zip_size(infos: list[zipfile.ZipInfo], size: int, name: str) -> None:
    """Refuse a zip bomb by what its directory declares, before anything is inflated."""
    unzipped = sum(info.file_size for info in infos)
    if len(infos) > MAX_ENTRIES or unzipped > MAX_UNZIPPED_BYTES or unzipped > size * MAX_RATIO:
        raise ValidationError(f"“{name}”解压后有 {megabytes(unzipped)}（{len(infos)} 个部件），"
                              "不像正常的 Word/Excel 文件，不能上传。")


def _read_content_types(archive: zipfile.ZipFile) -> bytes:
    # The declared size may lie: read at most one byte past the limit.
    with archive.open(CONTENT_TYPES) as part:
        data = part.read(MAX_CONTENT_TYPES_BYTES + 1)
    if len(data) > MAX_CONTENT_TYPES_BYTES:
        raise ValueError(f"{CONTENT_TYPES} is too large")
    return data


def _content_types(data: bytes) -> list[tuple[str, str]]:
    """(part name, content type) of each Override and Default of [Content_Types].xml.
    A document type declaration, which a real one never has, is refused, so that no
    entity can expand."""
    entries: list[tuple[str, str]] = []

    def start(tag: str, attributes: dict) -> None:
        if tag in (f"{CONTENT_TYPES_NS} Override", f"{CONTENT_TYPES_NS} Default"):
            entries.append((attributes.get("PartName", ""), attributes.get("ContentType", "")))

    def refuse(*args) -> None:
        raise ValueError("a document type declaration")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(data, True)
    return entries


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


def protected_file_response(stored_file, content_type: str,
                            download_name: str | None = None) -> FileResponse:
    """An uploaded file served as the type it was checked to be, never sniffed as another
    (nosniff), and sandboxed (CSP sandbox: no script, no access to the portal's origin)
    should a browser render it. With a name it is a download; without one it is shown
    inline (finding screenshots)."""
    response = FileResponse(stored_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = (content_disposition_header(True, download_name)
                                       if download_name else "inline")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
