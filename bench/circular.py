"""Speed of the circular renderers on a circular whose failing-accounts annex has 1,000 rows.

    .venv/bin/python bench/circular.py [--rows 1000]

Builds a throwaway SQLite database with the demo and a 2022 Q1 new-media check in which
ROWS accounts failed, drafts that quarter's circular, and prints the seconds to assemble the
document and to render it as HTML, PDF, XLSX and DOCX, and WeasyPrint's time for a bare HTML
table of the same rows. Targets on a 2-core machine: PDF < 15 s, XLSX and DOCX < 2 s each,
HTML < 1 s, PDF ≤ 1.3 × the bare table.
"""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
DB = Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def seconds(function, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def failing_check(rows: int):
    from inspections.choices import CheckStatus
    from inspections.models import Assessment, Finding, Inspection, Scheme
    from newmedia.models import Account
    from sites.models import Region, Unit

    top = Region.objects.get(name="文山州")
    units = list(Unit.objects.exclude(region=top)[:20])
    Account.objects.bulk_create(
        Account(name=f"压力测试账号{i}", platform="wechat", unit=units[i % len(units)])
        for i in range(rows)
    )
    scheme = Scheme.objects.default_for("newmedia")
    inspection = Inspection.objects.create(
        region=top, year=2022, quarter=1, target="newmedia", window_start=datetime.date(2022, 2, 1),
        window_end=datetime.date(2022, 3, 10), scheme=scheme, status=CheckStatus.CLOSED,
    )
    scored = datetime.datetime(2022, 3, 11, tzinfo=datetime.UTC)
    Assessment.objects.bulk_create(
        Assessment(inspection=inspection, account=a, unit_id=a.unit_id, scored_at=scored,
                   passed=False, vetoed=True)
        for a in Account.objects.filter(name__startswith="压力测试账号")
    )
    veto = scheme.indicators.get(name="内容不更新")
    Finding.objects.bulk_create(
        Finding(assessment=a, indicator=veto, description="监测时间点前2周内无更新",
                post_dates=["2022-02-14"])
        for a in inspection.assessments.all()
    )


def main() -> None:
    rows = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 1000
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    failing_check(rows)

    from weasyprint import HTML

    from reports.assembly import build_document, new_circular
    from reports.renderers.docx import render_docx
    from reports.renderers.html import render_html
    from reports.renderers.pdf import bare_table_html, render_pdf
    from reports.renderers.xlsx import render_xlsx
    from sites.models import Region

    circular = new_circular(Region.objects.get(name="文山州"), 2022, 1)
    took, document = seconds(lambda: build_document(circular))
    annex = next(a for a in document.annexes if a.key == "failing_newmedia")
    print(f"document with a {len(annex.table.body):,}-row failing-accounts annex assembled in {took:.2f} s")
    took, _ = seconds(lambda: render_html(document), 3)
    print(f"HTML: {took:.2f} s  (target < 1 s)")
    took, _ = seconds(lambda: render_xlsx(document), 3)
    print(f"XLSX: {took:.2f} s  (target < 2 s)")
    took, _ = seconds(lambda: render_docx(document), 3)
    print(f"DOCX: {took:.2f} s  (target < 2 s)")
    pdf_time, pdf = seconds(lambda: render_pdf(document), 2)
    bare_time, _ = seconds(lambda: HTML(string=bare_table_html(annex.table)).write_pdf(), 2)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
    print(f"PDF: {pdf_time:.1f} s, {pages} pages  (target < 15 s)")
    print(f"bare WeasyPrint table of the same rows: {bare_time:.1f} s; "
          f"ratio {pdf_time / bare_time:.2f}  (target ≤ 1.3)")


if __name__ == "__main__":
    try:
        main()
    finally:
        if DB.exists():
            DB.unlink()
