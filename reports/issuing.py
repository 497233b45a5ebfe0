"""Issuing freezes a circular; addressed regions acknowledge receipt (签收)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from sites.models import Region

from .assembly import build_document
from .choices import CircularStatus, FileFormat
from .models import Circular, Receipt
from .rendering import render, store

Progress = Callable[[int, str], None]


class IssueError(Exception):
    """Why a circular cannot be issued or received, in Chinese."""


def issue(circular: Circular, user, progress: Progress = lambda percent, stage: None) -> Circular:
    """Render every format from one snapshot of the document, store the files with their
    SHA-256 and mark the circular issued. Later score changes cannot alter any of it."""
    with transaction.atomic():
        circular = Circular.objects.select_for_update().get(pk=circular.pk)
        if circular.is_issued:
            raise IssueError("该通报已签发。更正请新建一份通报。")
        progress(5, "汇总数据")
        document = build_document(circular)
        formats = [FileFormat.HTML, FileFormat.XLSX, FileFormat.DOCX, FileFormat.PDF]
        for index, fmt in enumerate(formats):
            progress(10 + 85 * index // len(formats), f"生成{FileFormat(fmt).label}")
            # An issued original must not show a missing glyph: refuse rather than print one.
            store(circular, fmt, render(fmt, document, strict=True), issued=True)
        circular.snapshot = document.to_dict()
        circular.status = CircularStatus.ISSUED
        circular.issued_at = timezone.now()
        circular.issued_by = user
        circular.save()
    progress(100, "已签发")
    return circular


def addressed_region(circular: Circular, user) -> Region | None:
    """The region below the circular's own through which the user receives it."""
    region = user.unit.region if user.unit_id else user.region
    if region is None:
        return None
    ids = region.ancestors_and_self_ids()
    if circular.region_id not in ids or ids[-1] == circular.region_id:
        return None
    return Region.objects.get(pk=ids[ids.index(circular.region_id) + 1])


def receive(circular: Circular, user) -> Receipt:
    if not circular.is_issued:
        raise IssueError("通报尚未签发。")
    region = addressed_region(circular, user)
    if region is None:
        raise IssueError("该通报不是发给您所在地区的。")
    receipt, _ = Receipt.objects.get_or_create(circular=circular, region=region,
                                               defaults={"received_by": user})
    return receipt


def receipt_table(circular: Circular) -> list[dict]:
    """Each addressed region with its receipt, or none yet (for admins)."""
    receipts = {r.region_id: r for r in circular.receipts.select_related("received_by")}
    return [{"region": region, "receipt": receipts.get(region.pk)}
            for region in circular.addressed_regions()]
