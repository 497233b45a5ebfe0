"""The circular's pages run the same number of queries with 10 or 110 saved versions and annex
rows: the detail page (with its history), the edit page, the live preview, the downloads of a
draft and the job page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Assessment, Finding
from newmedia.models import Account
from reports.choices import AnnexKind, JobKind
from reports.models import RenderJob
from reports.tests.test_circulars import form_data
from sites.models import Unit

# Whatever the rows: a page that stays under this is bounded, one that grows is not.
MAX_QUERIES = 60


def grow(circular, rows: int) -> None:
    """`rows` more saved versions of the draft, and `rows` more accounts in its failing
    new-media annex."""
    for _ in range(rows):
        circular.achievements = f"第{circular.version}次修改。"
        circular.version += 1
        circular.save()
    check = circular.newmedia_inspection
    start = Account.objects.count()
    unit = Unit.objects.get(name="丘北县人民政府办公室")
    accounts = Account.objects.bulk_create(
        Account(name=f"测试账号{start + i}", platform="wechat", unit=unit) for i in range(rows))
    scored = datetime.datetime(2021, 12, 20, tzinfo=datetime.UTC)
    assessments = Assessment.objects.bulk_create(
        Assessment(inspection=check, account=a, unit=unit, scored_at=scored, passed=False,
                   vetoed=True) for a in accounts)
    veto = check.scheme.indicators.get(name="内容不更新")
    Finding.objects.bulk_create(Finding(assessment=a, indicator=veto, description="两周内无更新",
                                        post_dates=["2021-12-02"]) for a in assessments)


def requests(circular, job) -> dict[str, tuple[str, str, dict | None]]:
    pk = circular.pk
    return {
        "detail": ("get", reverse("reports:circular", args=[pk]), None),
        "edit": ("get", reverse("reports:circular_edit", args=[pk]), None),
        "preview": ("post", reverse("reports:circular_preview", args=[pk]), form_data(circular)),
        "html": ("get", reverse("reports:circular_download", args=[pk, "html"]) + "?download", None),
        "xlsx": ("get", reverse("reports:circular_download", args=[pk, "xlsx"]), None),
        "docx": ("get", reverse("reports:circular_download", args=[pk, "docx"]), None),
        "job": ("get", reverse("reports:job", args=[job.pk]), None),
        "job progress": ("get", reverse("reports:job", args=[job.pk]) + "?json", None),
    }


def send(client, method: str, url: str, data) -> None:
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == 200, url


def count(client, request) -> int:
    with CaptureQueriesContext(connection) as queries:
        send(client, *request)
    return len(queries)


@pytest.mark.parametrize("page", ["detail", "edit", "preview", "html", "xlsx", "docx", "job",
                                  "job progress"])
def test_circular_pages_do_not_grow_with_history_or_annex_rows(client, office_admin, circular,
                                                               page, django_assert_max_num_queries):
    circular.annexes = [*circular.annexes, AnnexKind.FAILING_NEWMEDIA]
    circular.save()
    job = RenderJob.objects.create(circular=circular, kind=JobKind.RENDER, format="pdf",
                                   requested_by=office_admin)
    client.force_login(office_admin)
    grow(circular, 10)
    small = count(client, requests(circular, job)[page])
    assert small <= MAX_QUERIES
    grow(circular, 100)
    with django_assert_max_num_queries(small):
        send(client, *requests(circular, job)[page])
