"""Background work on circulars (django-tasks): a large render, or issuing. The worker runs
`manage.py db_worker --max-tasks 1` in a loop, so each job gets a fresh, short-lived process
(WeasyPrint holds hundreds of megabytes while it lays out a long annex)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from .assembly import build_document
from .choices import JobKind
from .issuing import issue
from .models import Circular, RenderJob
from .rendering import render, store

log = logging.getLogger(__name__)


def start(circular: Circular, kind: str, user, fmt: str = "") -> RenderJob:
    job = RenderJob.objects.create(circular=circular, kind=kind, format=fmt, requested_by=user)
    run_job.enqueue(job.pk)
    return job


@task()
def run_job(job_id: int) -> None:
    job = RenderJob.objects.select_related("circular", "requested_by").get(pk=job_id)

    def progress(percent: int, stage: str) -> None:
        RenderJob.objects.filter(pk=job.pk).update(progress=percent, stage=stage)

    try:
        if job.kind == JobKind.ISSUE:
            issue(job.circular, job.requested_by, progress)
        else:
            progress(10, "汇总数据")
            document = build_document(job.circular)
            progress(30, "排版并生成文件")
            stored = store(job.circular, job.format, render(job.format, document))
            RenderJob.objects.filter(pk=job.pk).update(result=stored)
            progress(100, "已完成")
    except Exception as error:  # the page shows what went wrong instead of waiting forever
        log.exception("render job %s failed", job.pk)
        RenderJob.objects.filter(pk=job.pk).update(error=str(error) or type(error).__name__)
    finally:
        RenderJob.objects.filter(pk=job.pk).update(finished_at=timezone.now())
