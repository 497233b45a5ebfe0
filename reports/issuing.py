"""Issuing freezes a circular; its addressees acknowledge receipt (签收)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .addressees import addressee_of, addressees, freeze_addressees, signatory_for
from .assembly import build_document
from .choices import CircularStatus, FileFormat
from .models import Circular, Receipt
from .rendering import file_for, render

Progress = Callable[[int, str], None]
# The order files are rendered in when issuing: the slow PDF last, after the quick ones.
ISSUE_FORMATS = (FileFormat.HTML, FileFormat.XLSX, FileFormat.DOCX, FileFormat.PDF)


class IssueError(Exception):
    """Why a circular cannot be issued or received, in Chinese."""


def issue(circular: Circular, user, progress: Progress = lambda percent, stage: None) -> Circular:
    """Render every format from one snapshot of the document, store the files with their
    SHA-256 and mark the circular issued. Later score changes cannot alter any of it.

    The rendering (a 1,000-row PDF takes a quarter of a minute) runs outside any transaction,
    so the job's progress reaches the page that polls it and nobody else's save waits for the
    database; one short locked transaction then records everything, if the draft is still the
    one that was rendered. Whatever goes wrong, the files written so far are deleted and the
    circular stays a draft."""
    circular = Circular.objects.get(pk=circular.pk)
    _check_draft(circular, circular.version)
    progress(5, "汇总数据")
    document = build_document(circular)
    files = []
    try:
        for index, fmt in enumerate(ISSUE_FORMATS):
            progress(10 + 85 * index // len(ISSUE_FORMATS), f"生成{FileFormat(fmt).label}")
            files.append(file_for(circular, fmt, _render_original(fmt, document), issued=True))
        progress(95, "登记签发")
        with transaction.atomic():
            current = Circular.objects.select_for_update().get(pk=circular.pk)
            _check_draft(current, circular.version)
            for stored in files:
                stored.save()
            current.snapshot = document.to_dict()
            freeze_addressees(current)
            current.status = CircularStatus.ISSUED
            current.issued_at = timezone.now()
            current.issued_by = user
            current.save()
    except BaseException:
        for stored in files:
            stored.file.delete(save=False)
        raise
    progress(100, "已签发")
    return current


def _check_draft(circular: Circular, version: int) -> None:
    if circular.is_issued:
        raise IssueError("该通报已签发。更正请新建一份通报。")
    if circular.version != version:
        raise IssueError("签发期间有人修改并保存了这份通报，未签发，通报仍为草稿："
                         "请核对修改后的内容，再重新签发。")


def _render_original(fmt: str, document) -> bytes:
    try:
        # An issued original must not show a missing glyph: refuse rather than print one.
        return render(fmt, document, strict=True)
    except Exception as error:
        raise IssueError(f"生成{FileFormat(fmt).label}文件失败，未签发，通报仍为草稿。"
                         f"原因：{str(error) or type(error).__name__}") from error


def receive(circular: Circular, user) -> Receipt:
    """签收 by the user for the addressee they sign for (never one named by the request)."""
    if not circular.is_issued:
        raise IssueError("通报尚未签发。")
    addressee = signatory_for(circular, user)
    if addressee is None:
        reader = addressee_of(circular, user)
        if reader is not None:
            raise IssueError(f"本通报发给{reader}，由{reader}的联络员签收。")
        raise IssueError("该通报不是发给您所在地区或单位的。")
    receipt, _ = Receipt.objects.get_or_create(circular=circular, **addressee.receipt_lookup,
                                               defaults={"received_by": user})
    return receipt


def receipt_table(circular: Circular) -> list[dict]:
    """Each addressee, counties first, with its receipt or none yet (for admins)."""
    receipts = {(r.region_id, r.unit_id): r for r in circular.receipts.select_related("received_by")}
    return [{"addressee": a, "receipt": receipts.get(a.key)} for a in addressees(circular)]
