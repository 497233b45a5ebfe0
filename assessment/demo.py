"""The demo's annual work of 文山州 (fixtures/demo/assessment.json): the 2020 and 2021 年度报表
duties with who filed when, and the hand-entered items of the 2021 assessment. Loading twice
changes nothing. Call after sites.demo.load_directory (and inspections.demo.load_inspections)."""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from common.models import upsert
from sites.choices import WebsiteKind
from sites.models import Region, Website

from .duties import generate_duties
from .models import AssessmentYear, ItemScore, Scheme
from .scoring import ensure_offices

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "assessment.json"


def assessment_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def load_assessment(data: dict) -> None:
    """`data` is the demo directory's data (fixtures/demo/wenshan.json): its first region is
    the office's region."""
    top = Region.objects.get(parent=None, name=data["regions"][0]["name"])
    for item in assessment_data()["years"]:
        year, _ = AssessmentYear.objects.get_or_create(
            region=top, year=item["year"],
            defaults={"scheme": Scheme.objects.default(),
                      "report_due_on": datetime.date.fromisoformat(item["report_due_on"])},
        )
        generate_duties(year)
        ensure_offices(year)
        _file_reports(year, item)
        _enter_items(year, item["entries"])


def _file_reports(year: AssessmentYear, item: dict) -> None:
    dates = {}
    for exception in item["exceptions"]:
        key = ("office", exception["office"]) if "office" in exception else ("site", exception["site_code"])
        dates[key] = exception["submitted_on"]
    for report in year.reports.filter(submitted_at=None).select_related("region", "website"):
        key = ("site", report.website.site_code) if report.website_id else ("office", report.region.name)
        day = dates.get(key, item["filed_on"])
        if day is None:
            continue
        site = report.website.url if report.website_id else Website.objects.filter(
            unit__region=report.region, kind=WebsiteKind.PORTAL).values_list("url", flat=True).first()
        report.url = f"{site}/zwgk/ndbb/{year.year}.html"
        content = demo_pdf(f"{year.year} annual report {report.pk} (demo)")
        report.file.save("report.pdf", ContentFile(content), save=False)
        report.original_name = f"{year.year}年度{report.get_kind_display()}.pdf"
        report.size, report.sha256 = len(content), hashlib.sha256(content).hexdigest()
        report.submitted_at = timezone.make_aware(
            datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(10)))
        report.save()


def _enter_items(year: AssessmentYear, entries: list[dict]) -> None:
    offices = {o.region.name: o for o in year.offices.select_related("region")}
    items = {i.name: i for i in year.scheme.items.all()}
    for entry in entries:
        upsert(ItemScore, {"office": offices[entry["region"]], "item": items[entry["item"]]},
               {"points": Decimal(str(entry["points"])), "note": entry["note"]})


def demo_pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), valid enough for any viewer."""
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
