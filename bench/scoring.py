"""Speed of the scoring side on a province-scale data set (issue: schemes and checks).

    .venv/bin/python bench/scoring.py [--keep]

Builds a throwaway SQLite database (or uses DATABASE_URL), runs
`seed_scale --sites 1000 --accounts 10000 --quarters 8`, then prints:
rows per second importing a 10,000-row results workbook, seconds and queries for one
check's statistics, seconds and queries for the check page. Targets on a 2-core machine:
≥ 2,000 rows/s; statistics < 0.5 s; check page < 1 s with ≤ 20 queries.
"""

from __future__ import annotations

import io
import os
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
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from common.testing import workbook_bytes  # noqa: E402


def timed(function):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    _, seconds, _ = timed(lambda: call_command(
        "seed_scale", sites=1000, accounts=10000, quarters=8, stdout=io.StringIO()))
    print(f"seed_scale (1,000 sites, 10,000 accounts, 8 quarters): {seconds:.1f} s")

    from inspections.models import Inspection
    from inspections.results_import import import_results
    from inspections.statistics import inspection_statistics
    from newmedia.models import Account
    from sites.models import User

    rows = [["账号名称", "平台", "问题类型", "问题描述", "发布时间"]]
    for i, account in enumerate(Account.objects.order_by("pk")[:10000]):
        problem = ["内容不更新", "监测时间点前2周内无更新", "2022-02-01"] if i % 20 == 0 else ["", "", ""]
        rows.append([account.name, account.get_platform_display(), *problem])
    data = workbook_bytes({"政务新媒体": rows})
    result, seconds, queries = timed(lambda: import_results(
        io.BytesIO(data), year=2022, quarter=1, mode="sample", size=len(data)))
    print(f"results import, {len(rows) - 1:,} rows: {seconds:.2f} s, "
          f"{(len(rows) - 1) / seconds:,.0f} rows/s, {queries} queries  (target ≥ 2,000 rows/s)")
    print("  " + "；".join(result.summary_lines()))

    website_check = Inspection.objects.filter(target="websites").order_by("-year", "-quarter").first()
    count = website_check.assessments.count()
    _, seconds, queries = timed(lambda: inspection_statistics(website_check))
    print(f"statistics of {website_check} ({count} sites): {seconds:.3f} s, {queries} queries"
          "  (target < 0.5 s)")
    account_check = Inspection.objects.get(year=2022, quarter=1, target="newmedia")
    _, seconds, queries = timed(lambda: inspection_statistics(account_check))
    print(f"statistics of {account_check} ({account_check.assessments.count()} accounts): "
          f"{seconds:.3f} s, {queries} queries  (target < 0.5 s)")

    admin = User.objects.create_superuser("bench-admin", password="x")
    client = Client()
    client.force_login(admin)
    for check in (website_check, account_check):
        client.get(check.get_absolute_url())  # warm the template cache
        response, seconds, queries = timed(lambda check=check: client.get(check.get_absolute_url()))
        assert response.status_code == 200, response.status_code
        print(f"check page of {check}: {seconds:.3f} s, {queries} queries"
              "  (target < 1 s, ≤ 20 queries)")


if __name__ == "__main__":
    try:
        main()
    finally:
        if "--keep" not in sys.argv and DB.exists():
            DB.unlink()
