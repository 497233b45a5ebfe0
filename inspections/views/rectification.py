"""Rectification (整改) pages: the task list, the review queue, the task page, and its
actions: the liaison's report and evidence, the inspectors' review, the admins' deadline.

Every page and action finds its task through `visible_to`, so a task outside the user's
scope is not found (404); a task in scope that the user's role may not act on is 403, and
so is a review by someone `rectification.can_review` does not name.
The steps themselves are inspections.rectification's; evidence checks, inspections.evidence.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from common.views import ObjectListView, ScopedQuerysetMixin
from sites.roles import Role

from .. import evidence as evidence_rules
from .. import rectification
from ..choices import TaskAction, TaskState
from ..models import Evidence, RectificationTask
from ..task_filtersets import TaskFilterSet, TaskReviewFilterSet
from ..task_tables import TASK_RELATED, TaskTable, source_name

VIEW = "inspections.view_rectificationtask"
REPORT = rectification.REPORT  # liaisons: write the report, upload evidence, submit
REVIEW = rectification.REVIEW  # inspectors and admins: accept or return


def scoped_tasks(user):
    return RectificationTask.objects.visible_to(user).select_related(*TASK_RELATED)


class TaskListView(PermissionRequiredMixin, ObjectListView):
    """我的整改任务: every task in the user's scope (a liaison's own region or unit)."""

    permission_required = VIEW
    raise_exception = True
    queryset = RectificationTask.objects.select_related(*TASK_RELATED)
    table_class = TaskTable
    filterset_class = TaskFilterSet
    title = "整改任务"
    export_stem = "整改任务"

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(REPORT) and not request.user.has_perm(REVIEW):
            self.title = "我的整改任务"
        return super().dispatch(request, *args, **kwargs)


class TaskReviewListView(PermissionRequiredMixin, ObjectListView):
    """待审核: the submitted tasks the user may review (rectification.awaiting_review),
    the longest waiting first."""

    permission_required = REVIEW
    raise_exception = True
    table_class = TaskTable
    filterset_class = TaskReviewFilterSet
    title = "待审核的整改"
    export_stem = "待审核的整改"

    def get_queryset(self):
        return (rectification.awaiting_review(self.request.user).select_related(*TASK_RELATED)
                .order_by("submitted_at", "pk"))


class TaskView(PermissionRequiredMixin, ScopedQuerysetMixin, DetailView):
    """The task: what was found, the deadline and state, the history; the liaison's report
    form while it is theirs to work on, the reviewer's buttons once it is submitted."""

    permission_required = VIEW
    raise_exception = True
    queryset = RectificationTask.objects.select_related(*TASK_RELATED, "finding__indicator")
    template_name = "inspections/task_detail.html"
    context_object_name = "task"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(task_context(self.object, self.request.user))
        return context


def task_context(task: RectificationTask, user, report: str | None = None,
                 errors: list[str] | None = None) -> dict:
    events = list(task.events.select_related("actor"))
    files = list(task.evidence.select_related("uploaded_by"))
    for item in files:
        item.removable = evidence_rules.can_remove(item, user)
    returns = [e for e in events if e.action == TaskAction.RETURNED]
    return {
        "task": task,
        "finding": task.finding if task.finding_id else None,
        "screenshots": list(task.finding.screenshots.all()) if task.finding_id else [],
        "item": task.campaign_item if task.campaign_item_id else None,
        "source": source_name(task),
        "events": events,
        "files": files,
        "return_reason": returns[-1].note if task.state == TaskState.RETURNED and returns else "",
        "is_overdue": task.is_overdue(timezone.localdate()),
        "can_report": user.has_perm(REPORT) and evidence_rules.is_editable(task),
        "can_review": rectification.can_decide(task, user),
        "can_move_deadline": user.has_role(Role.ADMIN) and task.state != TaskState.ACCEPTED,
        "report": task.report if report is None else report,
        "errors": errors or [],
        "limits": {
            "file": evidence_rules.megabytes(evidence_rules.MAX_FILE_BYTES),
            "task": evidence_rules.megabytes(evidence_rules.MAX_TASK_BYTES),
            "used": evidence_rules.megabytes(sum(f.size for f in files)),
            "accept": evidence_rules.ACCEPT_ATTRIBUTE,
            "kinds": evidence_rules.ACCEPTED_TEXT,
        },
    }


def task_for(request, pk: int, permission: str) -> RectificationTask:
    """The task if the user's scope holds it (404 otherwise) and their role may act (403)."""
    task = get_object_or_404(scoped_tasks(request.user), pk=pk)
    if not request.user.has_perm(permission):
        raise PermissionDenied("您的角色不能进行此操作。")
    return task


def render_task(request, task: RectificationTask, report: str, errors: list[str]):
    """The task page again, with what was typed and what went wrong."""
    return render(request, "inspections/task_detail.html",
                  task_context(task, request.user, report=report, errors=errors), status=400)


@require_POST
def task_report(request, pk: int):
    """The liaison's one form: 整改情况 and evidence files; 上传 keeps them, 提交 sends them
    for review, files and submission together or not at all. A refused file leaves the typed
    text in place; 提交 without text keeps the files and asks for the text."""
    task = task_for(request, pk, REPORT)
    text = request.POST.get("report", "").strip()
    uploads = request.FILES.getlist("files")
    submitting = request.POST.get("action") == "submit"
    if not evidence_rules.is_editable(task):
        return render_task(request, task, text, [
            f"整改任务当前为“{task.get_state_display()}”，不能再修改或提交。"])
    missing_report = submitting and not text
    try:
        stored = rectification.save_report(task, request.user, text, uploads,
                                           submitting=submitting and not missing_report)
    except ValidationError as error:  # every problem at once; nothing was stored
        return render_task(request, task, text,
                           error.messages + ([rectification.MISSING_REPORT] if missing_report else []))
    except rectification.TransitionError as error:
        return render_task(request, task, text, [str(error)])
    if missing_report:
        # Redirected, not re-rendered: reloading the page must not upload the files twice.
        messages.error(request, f"文件已上传（{len(stored)} 个，见下方列表），请填写整改情况后再提交。"
                       if stored else rectification.MISSING_REPORT)
        return redirect(f"{task.get_absolute_url()}#report")
    if submitting:
        messages.success(request, "已提交整改情况，请等待审核。审核结果会通知您。")
    elif uploads:
        messages.success(request, f"已上传 {len(uploads)} 个文件。填写完整改情况后，请点击“提交整改情况”。")
    else:
        messages.info(request, "已保存整改情况（尚未提交）。")
    return redirect(task)


@require_POST
def evidence_remove(request, pk: int):
    item = get_object_or_404(
        Evidence.objects.filter(task__in=RectificationTask.objects.visible_to(request.user)), pk=pk
    )
    if not request.user.has_perm(REPORT):
        raise PermissionDenied("您的角色不能删除佐证材料。")
    try:
        evidence_rules.remove(item, request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已删除“{item.original_name}”。")
    return redirect("inspections:task", item.task_id)


def evidence_file(request, pk: int):
    """An evidence file, only for users whose scope holds its task; always a download."""
    item = get_object_or_404(
        Evidence.objects.filter(task__in=RectificationTask.objects.visible_to(request.user)), pk=pk
    )
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    return evidence_rules.protected_file_response(item.file, item.content_type,
                                                  evidence_rules.download_name(item))


@require_POST
def task_review(request, pk: int):
    """通过, or 退回 with a reason; the state machine refuses any other step, and a review
    of one's own submission."""
    task = task_for(request, pk, REVIEW)
    if not rectification.can_review(task, request.user):
        raise PermissionDenied("只有本次检查的检查员或管理员可以审核此整改任务。" if task.finding_id
                               else "专项排查整治的整改任务由管理员审核。")
    decision = request.POST.get("decision")
    try:
        if decision == "accept":
            rectification.accept(task, request.user)
            messages.success(request, "已审核通过，已通知责任单位。")
        elif decision == "return":
            rectification.send_back(task, request.user, request.POST.get("reason", ""))
            messages.success(request, "已退回，已通知责任单位重新整改。")
        else:
            messages.error(request, "请选择“通过”或“退回”。")
    except rectification.TransitionError as error:
        messages.error(request, str(error))
    return redirect(task)


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label="新的整改期限")


@require_POST
def task_deadline(request, pk: int):
    """Admins move a task's deadline (the history keeps the old one)."""
    task = task_for(request, pk, REVIEW)
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied("只有管理员可以调整整改期限。")
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的日期，如 2024-03-31。")
        return redirect(task)
    try:
        rectification.move_deadline(task, request.user, form.cleaned_data["deadline"])
    except rectification.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"整改期限已调整为 {task.deadline:%Y-%m-%d}。")
    return redirect(task)


urlpatterns = [
    path("tasks/", TaskListView.as_view(), name="task_list"),
    path("tasks/review/", TaskReviewListView.as_view(), name="task_review_list"),
    path("tasks/<int:pk>/", TaskView.as_view(), name="task"),
    path("tasks/<int:pk>/report/", task_report, name="task_report"),
    path("tasks/<int:pk>/review/", task_review, name="task_review"),
    path("tasks/<int:pk>/deadline/", task_deadline, name="task_deadline"),
    path("evidence/<int:pk>/", evidence_file, name="evidence"),
    path("evidence/<int:pk>/delete/", evidence_remove, name="evidence_remove"),
]
