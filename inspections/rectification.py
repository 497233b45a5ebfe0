"""Rectification (整改): tasks opened from findings and campaign items, and their states.

    待整改 ──submit──▶ 已提交 ──accept──▶ 已通过
                          │
                          └─return──▶ 已退回 ──submit──▶ 已提交 …

Every step is kept as a TaskEvent (who, when, what); anything else is refused. Who may
review is one rule (`reviewable_by`): an admin whose scope holds the task, or an inspector
assigned to the finding's check; campaign tasks are the admins'. Nobody reviews their own
submission. Mail goes through Django's mail settings: to the unit's liaisons when a task is
opened or returned, to the reviewers when one is submitted.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from sites.roles import Role

from . import evidence
from .choices import TaskAction, TaskState
from .models import CampaignItem, Evidence, Finding, RectificationTask, TaskEvent

log = logging.getLogger(__name__)

TRANSITIONS: dict[str, tuple[set[str], str]] = {
    TaskAction.SUBMITTED: ({TaskState.OPEN, TaskState.RETURNED}, TaskState.SUBMITTED),
    TaskAction.ACCEPTED: ({TaskState.SUBMITTED}, TaskState.ACCEPTED),
    TaskAction.RETURNED: ({TaskState.SUBMITTED}, TaskState.RETURNED),
}
REVIEW_ACTIONS = (TaskAction.ACCEPTED, TaskAction.RETURNED)
# The permission of the reviewing roles (inspectors and admins).
REVIEW = "inspections.change_rectificationtask"
# The liaisons' permission: write the report, upload evidence, submit.
REPORT = "inspections.add_evidence"
MISSING_REPORT = "提交前请填写整改情况。"


class TransitionError(Exception):
    """A step the task's state does not allow; the message says why, in Chinese."""


# Opening tasks -------------------------------------------------------------------------------

def ensure_tasks(findings: Iterable[Finding]) -> list[RectificationTask]:
    """Open a task for each finding that has none yet (idempotent, in bulk): for the unit
    that ran the target, due the check's rectification days after the finding."""
    findings = list(findings)
    if not findings:
        return []
    have = set(RectificationTask.objects.filter(finding__in=findings)
               .values_list("finding_id", flat=True))
    new = [
        RectificationTask(
            finding=f, unit_id=f.assessment.unit_id,
            deadline=timezone.localdate(f.created_at) + datetime.timedelta(
                days=f.assessment.inspection.rectification_days),
        )
        for f in findings if f.pk not in have
    ]
    return _opened(new)


def ensure_inspection_tasks(inspection) -> list[RectificationTask]:
    """Tasks for every finding of a check (after an import or a bulk load)."""
    return ensure_tasks(
        Finding.objects.filter(assessment__inspection=inspection, task__isnull=True)
        .select_related("assessment__inspection")
    )


def ensure_campaign_tasks(campaign) -> list[RectificationTask]:
    items = CampaignItem.objects.filter(campaign=campaign, task__isnull=True)
    return _opened([RectificationTask(campaign_item=item, unit_id=item.unit_id,
                                      deadline=campaign.deadline) for item in items])


def _opened(tasks: list[RectificationTask]) -> list[RectificationTask]:
    if not tasks:
        return []
    with transaction.atomic():
        RectificationTask.objects.bulk_create(tasks)
        created = list(RectificationTask.objects.filter(
            Q(finding__in=[t.finding_id for t in tasks if t.finding_id])
            | Q(campaign_item__in=[t.campaign_item_id for t in tasks if t.campaign_item_id])
        ).filter(events__isnull=True).select_related("unit__region"))
        TaskEvent.objects.bulk_create(TaskEvent(task=t, action=TaskAction.OPENED) for t in created)
    transaction.on_commit(lambda: notify_opened(created))
    return created


def release(finding: Finding) -> None:
    """Before a finding is withdrawn (a veto unticked, a corrected import): drop its task
    while nothing has been done on it; refuse once the unit has reported or uploaded."""
    task = RectificationTask.objects.filter(finding=finding).first()
    if task is None:
        return
    if task.state != TaskState.OPEN or task.report.strip() or task.evidence.exists():
        raise TransitionError(
            f"问题“{finding.description[:30]}”的整改任务已在办理（{task.get_state_display()}），"
            "不能撤销该问题。"
        )
    task.delete()


# Steps ---------------------------------------------------------------------------------------

@transaction.atomic
def step(task: RectificationTask, action: str, user, note: str = "") -> RectificationTask:
    """Move a task through one step, or refuse it with the reason."""
    allowed, target = TRANSITIONS[action]
    task = RectificationTask.objects.select_for_update().get(pk=task.pk)
    if task.state not in allowed:
        raise TransitionError(
            f"整改任务当前为“{task.get_state_display()}”，不能{TaskAction(action).label}。"
        )
    if action == TaskAction.RETURNED and not note.strip():
        raise TransitionError("退回时请填写退回原因。")
    if action == TaskAction.SUBMITTED and not (note.strip() or task.report.strip()):
        raise TransitionError(MISSING_REPORT)
    if action in REVIEW_ACTIONS and made_last_submission(task, user):
        # One person may hold both roles (联络员 and 检查员): the check must be someone else's.
        raise TransitionError("这次整改情况是您本人提交的，不能由您审核，请由其他检查员或管理员审核。")
    now = timezone.now()
    task.state = target
    if action == TaskAction.SUBMITTED:
        task.report = note.strip() or task.report
        task.submitted_at = now
    else:
        task.reviewed_at = now
    task.save()
    TaskEvent.objects.create(task=task, action=action, actor=user, note=note.strip())
    transaction.on_commit(lambda: notify_step(task, action, note.strip(), user))
    return task


def submit(task, user, report: str = "") -> RectificationTask:
    return step(task, TaskAction.SUBMITTED, user, report)


def accept(task, user) -> RectificationTask:
    return step(task, TaskAction.ACCEPTED, user)


def send_back(task, user, reason: str) -> RectificationTask:
    return step(task, TaskAction.RETURNED, user, reason)


def save_report(task: RectificationTask, user, text: str, uploads: list, *,
                submitting: bool) -> list[Evidence]:
    """The liaison's form as one step: the evidence files, the text and, when asked, the
    submission are kept together or not at all, so a refused submission leaves no files
    behind that the liaison would take for a failed upload."""
    stored: list[Evidence] = []
    with evidence.removed_on_failure(stored), transaction.atomic():
        if uploads:
            stored += evidence.attach(task, uploads, user)
        if submitting:
            submit(task, user, text)
        else:
            keep_draft(task, text)
    return stored


def keep_draft(task: RectificationTask, text: str) -> None:
    """What the liaison typed so far, so uploading files first loses nothing; submitting
    records the text in the history (`step`)."""
    RectificationTask.objects.filter(
        pk=task.pk, state__in=evidence.EDITABLE_STATES).update(report=text.strip())


def move_deadline(task: RectificationTask, user, deadline: datetime.date) -> RectificationTask:
    if task.state == TaskState.ACCEPTED:
        raise TransitionError("已通过的整改任务不能调整期限。")
    old = task.deadline
    task.deadline = deadline
    task.save(update_fields=["deadline"])
    TaskEvent.objects.create(task=task, action=TaskAction.DEADLINE, actor=user,
                             note=f"{old:%Y-%m-%d} → {deadline:%Y-%m-%d}")
    return task


# Who may review ----------------------------------------------------------------------------

def reviewable_by(user) -> QuerySet[RectificationTask]:
    """The tasks the user may accept or return (in any state): in their scope, any task for
    an admin; for an inspector, the tasks of the findings of checks they are assigned to.
    Campaign tasks have no check, so they are the admins' alone."""
    tasks = RectificationTask.objects.visible_to(user)
    if not user.has_perm(REVIEW):
        return tasks.none()
    if user.has_role(Role.ADMIN):
        return tasks
    return tasks.filter(finding__assessment__inspection__inspectors=user)


def can_review(task: RectificationTask, user) -> bool:
    return reviewable_by(user).filter(pk=task.pk).exists()


def awaiting_review(user) -> QuerySet[RectificationTask]:
    """The user's review queue: submitted tasks they may review and did not submit."""
    return (reviewable_by(user).filter(state=TaskState.SUBMITTED)
            .alias(submitter=Subquery(_last_submitter(OuterRef("pk"))))
            # A submission whose author was deleted (NULL) is anyone's to review.
            .filter(Q(submitter__isnull=True) | ~Q(submitter=user.pk)))


def can_decide(task: RectificationTask, user) -> bool:
    """Whether the task page offers the user 通过 and 退回 now (the queue's rule)."""
    return task.state == TaskState.SUBMITTED and awaiting_review(user).filter(pk=task.pk).exists()


def made_last_submission(task: RectificationTask, user) -> bool:
    return user.pk is not None and list(_last_submitter(task.pk)) == [user.pk]


def _last_submitter(task):
    """Who made the task's last submission, for a task's key or an OuterRef to one."""
    return (TaskEvent.objects.filter(task=task, action=TaskAction.SUBMITTED)
            .order_by("-at", "-pk").values_list("actor", flat=True)[:1])


# Who hears about it --------------------------------------------------------------------------

def _liaisons() -> list:
    return list(get_user_model().objects.filter(is_active=True, groups__name=Role.LIAISON.value)
                .exclude(email="").select_related("region", "unit").distinct())


def _responsible(user, unit) -> bool:
    """Whether the liaison's scope holds the unit."""
    if user.unit_id:
        return unit.is_within(user.unit)
    return bool(user.region_id) and unit.region.is_within(user.region)


def liaisons_of(task: RectificationTask) -> list:
    """Active liaisons (with an e-mail address) whose scope holds the task's unit."""
    return [u for u in _liaisons() if _responsible(u, task.unit)]


def reviewers_of(task: RectificationTask) -> list:
    """Whom a submission is mailed to, among those `reviewable_by` lets review: the check's
    inspectors for a finding; the campaign region's admins for a campaign item."""
    if task.finding_id:
        return list(task.finding.assessment.inspection.inspectors.filter(is_active=True))
    region = task.campaign_item.campaign.region
    return [u for u in get_user_model().objects.filter(
        is_active=True, groups__name=Role.ADMIN.value).select_related("region")
        if u.region_id and region.is_within(u.region)]


def describe(task: RectificationTask) -> str:
    if task.finding_id:
        finding = task.finding
        return f"{finding.assessment.target.name}：{finding.description}"
    item = task.campaign_item
    return f"{item.target.name}：{item.result}"


def _link(task: RectificationTask) -> str:
    return f"{settings.PORTAL_URL.rstrip('/')}{task.get_absolute_url()}"


def _send(messages: list[tuple]) -> None:
    """Mail is a courtesy: a mail server that is down must not undo a committed step."""
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError:
        log.exception("could not send %d rectification mails", len(messages))


def notify_opened(tasks: list[RectificationTask]) -> None:
    """One mail per liaison listing the tasks just opened for them (an import may open
    thousands: a fixed number of queries, one message per person)."""
    tasks = list(
        RectificationTask.objects.filter(pk__in=[t.pk for t in tasks]).select_related(
            "unit__region", "finding__assessment__website", "finding__assessment__account",
            "campaign_item__website", "campaign_item__account")
        .order_by("deadline", "pk")
    )
    liaisons = _liaisons()
    mine: dict[str, list[RectificationTask]] = {}
    for task in tasks:
        for user in liaisons:
            if _responsible(user, task.unit):
                mine.setdefault(user.email, []).append(task)
    messages = []
    for email, own in mine.items():
        lines = [f"{t.unit}　{describe(t)}（{t.deadline:%Y年%m月%d日}前）\n{_link(t)}" for t in own[:50]]
        if len(own) > 50:
            lines.append(f"……共{len(own)}项，请在门户“整改任务”中查看全部。")
        messages.append((
            f"【整改通知】新下发整改任务{len(own)}项",
            "检查发现以下问题，请在期限前完成整改，并在门户中提交整改情况和佐证材料。\n\n"
            + "\n\n".join(lines) + "\n",
            settings.DEFAULT_FROM_EMAIL, [email],
        ))
    _send(messages)


def notify_step(task: RectificationTask, action: str, note: str, actor) -> None:
    if action == TaskAction.SUBMITTED:
        # The submitter may hold a reviewing role too, but may not review their own report.
        people = [u for u in reviewers_of(task) if u.pk != actor.pk]
        subject = f"【待审核】{task.unit}提交了整改情况"
        body = f"{task.unit}已提交整改情况，请审核。\n\n{describe(task)}\n\n整改情况：{task.report}"
    elif action == TaskAction.RETURNED:
        people, subject = liaisons_of(task), "【整改退回】请重新整改"
        body = f"{task.unit}：\n\n您提交的整改情况被退回，原因：{note}\n\n{describe(task)}"
    else:
        people, subject = liaisons_of(task), "【整改通过】"
        body = f"{task.unit}：\n\n您提交的整改情况已审核通过。\n\n{describe(task)}"
    recipients = [u.email for u in people if u.email]
    if recipients:
        _send([(subject, f"{body}\n\n{_link(task)}\n", settings.DEFAULT_FROM_EMAIL, recipients)])
