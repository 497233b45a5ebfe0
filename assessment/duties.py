"""年度报表 duties: generating a year's duties, a liaison's filing (the URL where the report
was published and its PDF), and reminders to the liaisons of duties not done.

A year's duties (see 国办 rules, seed 000 四、(一)): a 《政府网站工作年度报表》 for every
website of the region's subtree that ran at any time during the year, and a 《政府网站监管年度
报表》 for the office of the region itself and of every region directly below.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from common.models import RUNNING
from sites.models import Region, Website
from sites.roles import Role

from .choices import ReportKind, ReportState
from .models import AnnualReport, AssessmentYear

log = logging.getLogger(__name__)

PDF_MAX_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


# Generating ---------------------------------------------------------------------------------

def running_during_q(start: datetime.date, end: datetime.date) -> Q:
    """Websites that ran on at least one day between `start` and `end` (see running_on_q)."""
    opened = Q(opened_on__isnull=True) | Q(opened_on__lte=end)
    not_stopped = Q(status=RUNNING, closed_on__isnull=True) | Q(closed_on__gte=start)
    return opened & not_stopped


@transaction.atomic
def generate_duties(assessment_year: AssessmentYear) -> int:
    """Create the year's missing duties (idempotent: existing duties are left as they are,
    and none is removed); returns how many were created."""
    year, region = assessment_year.year, assessment_year.region
    websites = Website.objects.within(region).filter(
        running_during_q(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    ).select_related("unit")
    offices = [region, *Region.objects.filter(parent=region)]
    have_sites = set(assessment_year.reports.filter(website__isnull=False)
                     .values_list("website_id", flat=True))
    have_offices = set(assessment_year.reports.filter(kind=ReportKind.SUPERVISION)
                       .values_list("region_id", flat=True))
    new = [AnnualReport(assessment_year=assessment_year, kind=ReportKind.WEBSITE, website=site,
                        unit=site.unit, region_id=site.unit.region_id)
           for site in websites if site.pk not in have_sites]
    new += [AnnualReport(assessment_year=assessment_year, kind=ReportKind.SUPERVISION, region=office)
            for office in offices if office.pk not in have_offices]
    AnnualReport.objects.bulk_create(new)
    return len(new)


# Filing -------------------------------------------------------------------------------------

def check_pdf(upload) -> None:
    """Refuse a file that is too large or is not a PDF by its content (`%PDF-` header),
    whatever its name says."""
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError(f"文件“{upload.name}”超过 {PDF_MAX_BYTES // 1048576} MB。")
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(f"“{upload.name}”不是PDF文件，请上传年度报表的PDF版本。")


@transaction.atomic
def file_report(report: AnnualReport, *, url: str, upload, user) -> AnnualReport:
    """Record the URL and (optionally a new) PDF; the duty is done, dated now, the first
    time both are in. A replaced file is kept: the duty's history still names it."""
    report.url = url
    if upload is not None:
        check_pdf(upload)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        report.file.save("report.pdf", upload, save=False)
        report.original_name = upload.name[-255:]
        report.size = upload.size
        report.sha256 = digest.hexdigest()
    if report.submitted_at is None and report.url and report.file:
        report.submitted_at = timezone.now()
        report.submitted_by = user
    report.save()
    return report


# Reminders ----------------------------------------------------------------------------------

def liaisons_for(reports: list[AnnualReport]) -> dict:
    """Active liaisons with an e-mail address, each with the reports in their scope."""
    users = get_user_model().objects.filter(
        is_active=True, groups__name=Role.LIAISON.value).exclude(email="").select_related(
        "region", "unit").distinct()
    out = {}
    for user in users:
        if user.unit_id:
            mine = [r for r in reports if r.unit_id and r.unit.path.startswith(user.unit.path)]
        elif user.region_id:
            mine = [r for r in reports if r.region.path.startswith(user.region.path)]
        else:
            mine = []
        if mine:
            out[user] = mine
    return out


def remind(assessment_year: AssessmentYear, today: datetime.date | None = None) -> int:
    """E-mail each liaison the duties of the year in their scope that are not done; returns
    how many mails were sent."""
    today = today or timezone.localdate()
    reports = list(assessment_year.reports.filter(submitted_at__isnull=True).select_related(
        "assessment_year", "region", "unit", "website").order_by("region__path", "kind", "pk"))
    messages = [
        (f"【提醒】{assessment_year.year}年度政府网站年度报表尚有{len(mine)}份未完成",
         reminder_text(user, assessment_year, mine, today), settings.DEFAULT_FROM_EMAIL, [user.email])
        for user, mine in liaisons_for(reports).items()
    ]
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)


def reminder_text(user, assessment_year: AssessmentYear, reports: list[AnnualReport],
                  today: datetime.date) -> str:
    due = assessment_year.report_due_on
    lines = [f"{user.scope_label}：", "",
             f"{assessment_year.year}年度报表应于{due.year}年{due.month}月{due.day}日前在本地区本部门网站首页"
             "显著位置发布，并在本平台填报发布网址、上传PDF版文档。以下报表尚未完成：", ""]
    by_state = defaultdict(list)
    for report in reports:
        by_state[report.state_on(today)].append(report)
    number = 0
    for state in (ReportState.OVERDUE, ReportState.PENDING):
        for report in by_state[state]:
            number += 1
            lines.append(f"{number}. 《{report.get_kind_display()}》{report.reporter}"
                         f"（{ReportState(state).label}）")
    link = f"{settings.PORTAL_URL.rstrip('/')}{reverse('assessment:report_list')}?year={assessment_year.year}"
    lines += ["", f"填报地址：{link}", ""]
    return "\n".join(lines)
