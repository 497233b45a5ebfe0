"""Rectification (整改): tasks opened from findings and campaign items, the state machine,
who may review, who is told by mail, and what is overdue."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.testing import workbook_bytes
from inspections.assessments import Entry, save_entry
from inspections.choices import TaskAction, TaskState
from inspections.models import Campaign, CampaignItem, Finding, RectificationTask, TaskEvent
from inspections.rectification import (
    TransitionError,
    accept,
    awaiting_review,
    can_review,
    ensure_campaign_tasks,
    ensure_inspection_tasks,
    ensure_tasks,
    move_deadline,
    reviewable_by,
    send_back,
    step,
    submit,
)
from inspections.results_import import import_results
from inspections.scoring import SchemeTree
from newmedia.models import Account
from sites.models import Region, User
from sites.roles import Role


@pytest.fixture
def inspector(demo):
    return User.objects.get(username="inspector")


@pytest.fixture
def people(liaison, other_liaison, inspector, office_admin):
    """The demo's users with e-mail addresses (the demo gives them none)."""
    for user, email in ((liaison, "qiubei@example.cn"), (other_liaison, "xichou@example.cn"),
                        (inspector, "inspector@example.cn"), (office_admin, "admin@example.cn")):
        user.email = email
        user.save()
    return {"liaison": liaison, "other_liaison": other_liaison, "inspector": inspector,
            "admin": office_admin}


def new_finding(check, site="丘北县人民政府", description="“通知公告”栏目半年未更新") -> Finding:
    return Finding.objects.create(assessment=check.assessments.get(website__name=site),
                                  description=description)


@pytest.fixture
def task(scoring_check) -> RectificationTask:
    return ensure_tasks([new_finding(scoring_check)])[0]


def set_state(task, state) -> RectificationTask:
    RectificationTask.objects.filter(pk=task.pk).update(state=state)
    task.refresh_from_db()
    return task


def actions(task) -> list[tuple[str, str | None]]:
    return [(e.action, e.actor.username if e.actor else None)
            for e in TaskEvent.objects.filter(task=task).select_related("actor")]


# Opening tasks

def test_a_finding_opens_a_task_for_its_unit_due_after_the_checks_rectification_days(
        scoring_check):
    finding = new_finding(scoring_check)
    [task] = ensure_tasks([finding])
    assert task.finding == finding and task.unit == finding.assessment.unit
    assert task.state == TaskState.OPEN
    assert task.deadline == timezone.localdate(finding.created_at) + datetime.timedelta(days=30)
    assert actions(task) == [(TaskAction.OPENED, None)]


def test_the_deadline_follows_the_checks_own_rectification_days(scoring_check):
    scoring_check.rectification_days = 12
    scoring_check.save()
    finding = new_finding(scoring_check)
    [task] = ensure_tasks([finding])
    assert task.deadline == timezone.localdate(finding.created_at) + datetime.timedelta(days=12)


def test_opening_tasks_is_idempotent(scoring_check):
    findings = [new_finding(scoring_check), new_finding(scoring_check, "西畴县人民政府")]
    assert len(ensure_tasks(findings[:1])) == 1
    assert len(ensure_tasks(findings)) == 1  # only the second is new
    assert ensure_tasks(findings) == []
    assert ensure_inspection_tasks(scoring_check) == []
    assert RectificationTask.objects.count() == 2
    assert TaskEvent.objects.filter(action=TaskAction.OPENED).count() == 2


def test_a_check_opens_the_tasks_its_findings_still_lack(scoring_check):
    Finding.objects.bulk_create([
        Finding(assessment=a, description="首页不更新") for a in scoring_check.assessments.all()[:3]
    ])
    assert len(ensure_inspection_tasks(scoring_check)) == 3
    assert ensure_inspection_tasks(scoring_check) == []


def campaign_item(demo, name="华盖故里") -> CampaignItem:
    campaign = Campaign.objects.create(
        region=Region.objects.get(name="文山州"), name="未备案账号专项排查整治",
        started_on=datetime.date(2021, 5, 10), checked_on=datetime.date(2021, 12, 31),
        deadline=datetime.date(2022, 3, 31),
    )
    account = Account.objects.get(name=name)
    return CampaignItem.objects.create(campaign=campaign, account=account, unit=account.unit,
                                       result="未备案未注销")


def test_a_campaign_opens_one_task_per_item_due_on_its_deadline(demo):
    item = campaign_item(demo)
    [task] = ensure_campaign_tasks(item.campaign)
    assert (task.campaign_item, task.unit, task.deadline) == (item, item.unit, datetime.date(2022, 3, 31))
    assert ensure_campaign_tasks(item.campaign) == []


# Every finding, however it was made, opens a task.

def test_a_veto_ticked_on_the_entry_page_opens_a_task(scoring_check, inspector):
    tree = SchemeTree.of(scoring_check.scheme)
    assessment = scoring_check.assessments.get(website__name="丘北县人民政府")
    entry = Entry(vetoes={tree.by_name["首页不更新"]: "首页两周未更新"})
    save_entry(assessment, entry, tree, user=inspector, loaded_version=0)
    task = RectificationTask.objects.get(finding__assessment=assessment)
    assert task.finding.description == "首页两周未更新" and task.unit == assessment.unit
    # Saving again (text changed) keeps the one task.
    entry = Entry(vetoes={tree.by_name["首页不更新"]: "首页三周未更新"})
    save_entry(assessment, entry, tree, user=inspector, loaded_version=1)
    assert RectificationTask.objects.get(finding__assessment=assessment) == task


def test_a_finding_added_on_the_page_opens_a_task(client, scoring_check, inspector):
    assessment = scoring_check.assessments.get(website__name="丘北县人民政府")
    client.force_login(inspector)
    client.post(reverse("inspections:finding_add", args=[assessment.pk]),
                {"description": "政策解读未关联政策文件"})
    task = RectificationTask.objects.get(finding__assessment=assessment)
    assert task.state == TaskState.OPEN
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert task.get_absolute_url() in page and "待整改" in page


def test_imported_findings_open_tasks_once(demo):
    sheets = {"政府网站": [
        ["网站标识码", "发布解读", "单项否决", "存在问题"],
        ["5326260001", 30, "首页不更新", "首页两周未更新"],
        ["5326230001", 31, "", "政策解读未关联政策文件"],
    ]}
    import_results(io.BytesIO(workbook_bytes(sheets)), year=2022, quarter=1)
    tasks = RectificationTask.objects.select_related("finding")
    assert sorted(t.finding.description for t in tasks) == ["政策解读未关联政策文件", "首页两周未更新"]
    import_results(io.BytesIO(workbook_bytes(sheets)), year=2022, quarter=1)
    assert RectificationTask.objects.count() == 2


# The state machine

def test_submit_then_accept_records_every_step_with_who(task, liaison, inspector):
    submit(task, liaison, "已更新栏目")
    task.refresh_from_db()
    assert (task.state, task.report) == (TaskState.SUBMITTED, "已更新栏目")
    assert task.submitted_at is not None and task.reviewed_at is None
    accept(task, inspector)
    task.refresh_from_db()
    assert task.state == TaskState.ACCEPTED and task.reviewed_at is not None
    assert actions(task) == [(TaskAction.OPENED, None), (TaskAction.SUBMITTED, "liaison"),
                             (TaskAction.ACCEPTED, "inspector")]


def test_a_returned_task_keeps_the_reason_and_may_be_submitted_again(task, liaison, inspector):
    submit(task, liaison, "已更新栏目")
    send_back(task, inspector, "截图看不到更新日期")
    task.refresh_from_db()
    assert task.state == TaskState.RETURNED
    assert task.events.get(action=TaskAction.RETURNED).note == "截图看不到更新日期"
    submit(task, liaison)  # the earlier report stands when none is given
    task.refresh_from_db()
    assert (task.state, task.report) == (TaskState.SUBMITTED, "已更新栏目")
    assert [a for a, _ in actions(task)] == [TaskAction.OPENED, TaskAction.SUBMITTED,
                                             TaskAction.RETURNED, TaskAction.SUBMITTED]


REFUSED = [
    (TaskState.OPEN, TaskAction.ACCEPTED),
    (TaskState.OPEN, TaskAction.RETURNED),
    (TaskState.SUBMITTED, TaskAction.SUBMITTED),
    (TaskState.RETURNED, TaskAction.ACCEPTED),
    (TaskState.RETURNED, TaskAction.RETURNED),
    (TaskState.ACCEPTED, TaskAction.SUBMITTED),
    (TaskState.ACCEPTED, TaskAction.ACCEPTED),
    (TaskState.ACCEPTED, TaskAction.RETURNED),
]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_a_step_the_state_does_not_allow_is_refused_and_changes_nothing(task, inspector, state,
                                                                        action):
    task = set_state(task, state)
    with pytest.raises(TransitionError, match=f"当前为“{TaskState(state).label}”"):
        step(task, action, inspector, "说明")
    task.refresh_from_db()
    assert task.state == state
    assert actions(task) == [(TaskAction.OPENED, None)]


def test_every_refused_step_is_listed():
    allowed = {(TaskState.OPEN, TaskAction.SUBMITTED), (TaskState.RETURNED, TaskAction.SUBMITTED),
               (TaskState.SUBMITTED, TaskAction.ACCEPTED), (TaskState.SUBMITTED, TaskAction.RETURNED)}
    steps = {TaskAction.SUBMITTED, TaskAction.ACCEPTED, TaskAction.RETURNED}
    assert {(s, a) for s in TaskState for a in steps} - allowed == set(REFUSED)


def test_a_return_needs_a_reason_and_a_submission_a_report(task, liaison, inspector):
    with pytest.raises(TransitionError, match="请填写整改情况"):
        submit(task, liaison, "  ")
    submit(task, liaison, "已更新")
    with pytest.raises(TransitionError, match="请填写退回原因"):
        send_back(task, inspector, " ")
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED


# Nobody reviews their own submission

@pytest.fixture
def both_roles(make_user, region, scoring_check):
    """A 文山州 user who is a liaison and an inspector of the check (an office may do that)."""
    user = make_user(Role.LIAISON, region=region("文山州"))
    user.groups.add(Group.objects.get(name=Role.INSPECTOR.value))
    scoring_check.inspectors.add(user)
    return User.objects.get(pk=user.pk)  # fresh: no cached roles


@pytest.mark.parametrize("action", [TaskAction.ACCEPTED, TaskAction.RETURNED])
def test_the_submitter_may_not_accept_or_return_their_own_submission(task, both_roles, action):
    submit(task, both_roles, "已更新栏目")
    with pytest.raises(TransitionError, match="您本人提交的，不能由您审核"):
        step(task, action, both_roles, "理由")
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED and task.reviewed_at is None
    assert [a for a, _ in actions(task)] == [TaskAction.OPENED, TaskAction.SUBMITTED]


def test_only_the_last_submission_counts(task, both_roles, liaison, inspector):
    submit(task, both_roles, "已更新栏目")
    send_back(task, inspector, "截图不清楚")
    submit(task, liaison, "重新截图")
    accept(task, both_roles)  # someone else made this submission
    task.refresh_from_db()
    assert task.state == TaskState.ACCEPTED


def test_moving_the_deadline_is_recorded_and_refused_once_accepted(task, office_admin):
    old = task.deadline
    move_deadline(task, office_admin, datetime.date(2030, 1, 31))
    task.refresh_from_db()
    assert task.deadline == datetime.date(2030, 1, 31)
    event = task.events.get(action=TaskAction.DEADLINE)
    assert (event.actor, event.note) == (office_admin, f"{old:%Y-%m-%d} → 2030-01-31")
    task = set_state(task, TaskState.ACCEPTED)
    with pytest.raises(TransitionError):
        move_deadline(task, office_admin, datetime.date(2030, 2, 28))


# Who may review: an admin whose scope holds the task, or an inspector assigned to the
# finding's check; campaign tasks are the admins'.

@pytest.fixture
def reviewers(make_user, region, inspector, office_admin):
    return {
        "assigned inspector": inspector,  # the demo inspector, assigned to scoring_check
        "other inspector": make_user(Role.INSPECTOR, region=region("文山州")),
        "admin": office_admin,  # 文山州
        "西畴县 admin": make_user(Role.ADMIN, region=region("西畴县")),
        "丘北县 admin": make_user(Role.ADMIN, region=region("丘北县")),
        "liaison": make_user(Role.LIAISON, region=region("丘北县")),
        "leader": make_user(Role.LEADER, region=region("文山州")),
    }


@pytest.mark.parametrize(("who", "finding_task", "campaign_task"), [
    ("assigned inspector", True, False),
    ("other inspector", False, False),
    ("admin", True, True),
    ("丘北县 admin", True, False),  # the finding task is 丘北县's, the campaign's 西畴县's
    ("西畴县 admin", False, True),
    ("liaison", False, False),
    ("leader", False, False),
])
def test_who_may_review(demo, task, reviewers, who, finding_task, campaign_task):
    [other] = ensure_campaign_tasks(campaign_item(demo).campaign)  # 华盖故里, 西畴县's account
    user = reviewers[who]
    assert (can_review(task, user), can_review(other, user)) == (finding_task, campaign_task)
    expected = {t for t, allowed in ((task, finding_task), (other, campaign_task)) if allowed}
    assert set(reviewable_by(user)) == expected


def test_the_review_queue_holds_submitted_tasks_the_user_did_not_submit(
        scoring_check, both_roles, liaison, inspector):
    mine, theirs, waiting = (ensure_tasks([new_finding(scoring_check, description=d)])[0]
                             for d in ("自己提交的", "别人提交的", "尚未提交的"))
    submit(mine, both_roles, "已整改")
    submit(theirs, liaison, "已整改")
    assert set(awaiting_review(both_roles)) == {theirs}
    assert set(awaiting_review(inspector)) == {mine, theirs}
    assert waiting in reviewable_by(inspector)  # theirs to review once it is submitted


def test_a_submission_by_a_deleted_user_stays_in_the_queue(task, make_user, region, inspector):
    gone = make_user(Role.LIAISON, region=region("丘北县"))
    submit(task, gone, "已整改")
    gone.delete()
    assert list(awaiting_review(inspector)) == [task]


# Mail

def test_mail_goes_to_the_units_liaisons_and_the_checks_inspectors(
        scoring_check, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [task] = ensure_tasks([new_finding(scoring_check)])
    [opened] = mail.outbox
    assert opened.to == ["qiubei@example.cn"]  # not 西畴县's liaison
    assert "整改通知" in opened.subject and "半年未更新" in opened.body
    assert task.get_absolute_url() in opened.body

    with django_capture_on_commit_callbacks(execute=True):
        submit(task, people["liaison"], "已补发信息")
    submitted = mail.outbox[-1]
    assert submitted.to == ["inspector@example.cn"] and "已补发信息" in submitted.body

    with django_capture_on_commit_callbacks(execute=True):
        send_back(task, people["inspector"], "截图不清楚")
    returned = mail.outbox[-1]
    assert returned.to == ["qiubei@example.cn"] and "截图不清楚" in returned.body

    with django_capture_on_commit_callbacks(execute=True):
        submit(task, people["liaison"], "重新截图")
        accept(task, people["inspector"])
    accepted = mail.outbox[-1]
    assert accepted.to == ["qiubei@example.cn"] and "通过" in accepted.subject
    assert len(mail.outbox) == 5


def test_a_campaign_task_is_reviewed_by_the_regions_admins(demo, people,
                                                           django_capture_on_commit_callbacks):
    item = campaign_item(demo)  # 华盖故里, an account of 西畴县
    with django_capture_on_commit_callbacks(execute=True):
        [task] = ensure_campaign_tasks(item.campaign)
    assert mail.outbox[-1].to == ["xichou@example.cn"]
    with django_capture_on_commit_callbacks(execute=True):
        submit(task, people["other_liaison"], "已注销")
    assert mail.outbox[-1].to == ["admin@example.cn"]


def test_a_submitter_who_reviews_too_is_not_asked_to_review_their_own(
        task, both_roles, people, django_capture_on_commit_callbacks):
    both_roles.email = "both@example.cn"
    both_roles.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(task, both_roles, "已更新")
    assert mail.outbox[-1].to == ["inspector@example.cn"]


def test_nobody_without_an_address_is_mailed(task, liaison, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(task, liaison, "已更新")
    assert mail.outbox == []


# Overdue

TODAY = datetime.date(2022, 4, 15)


@pytest.mark.parametrize(("deadline", "state", "overdue"), [
    (TODAY - datetime.timedelta(days=1), TaskState.OPEN, True),
    (TODAY - datetime.timedelta(days=1), TaskState.SUBMITTED, True),
    (TODAY - datetime.timedelta(days=1), TaskState.RETURNED, True),
    (TODAY, TaskState.OPEN, False),
    (TODAY + datetime.timedelta(days=1), TaskState.OPEN, False),
    (TODAY - datetime.timedelta(days=1), TaskState.ACCEPTED, False),
    (TODAY - datetime.timedelta(days=90), TaskState.ACCEPTED, False),
])
def test_a_task_is_overdue_from_the_day_after_its_deadline_until_accepted(task, deadline, state,
                                                                         overdue):
    RectificationTask.objects.filter(pk=task.pk).update(deadline=deadline, state=state)
    task.refresh_from_db()
    assert task.is_overdue(TODAY) is overdue
    assert RectificationTask.objects.overdue(TODAY).filter(pk=task.pk).exists() is overdue


def test_a_task_turns_overdue_when_its_deadline_passes(task):
    assert not task.is_overdue(task.deadline)
    assert task.is_overdue(task.deadline + datetime.timedelta(days=1))
    assert not RectificationTask.objects.overdue(task.deadline).exists()
    assert RectificationTask.objects.overdue(task.deadline + datetime.timedelta(days=1)).get() == task


def test_roles_hold_the_rectification_permissions(liaison, inspector, office_admin, make_user,
                                                  region):
    leader = make_user(Role.LEADER, region=region("文山州"))
    assert liaison.has_perms(["inspections.view_rectificationtask", "inspections.add_evidence"])
    assert not liaison.has_perm("inspections.change_rectificationtask")
    assert inspector.has_perm("inspections.change_rectificationtask")
    assert not inspector.has_perm("inspections.add_evidence")
    assert office_admin.has_perm("inspections.change_rectificationtask")
    assert leader.has_perm("inspections.view_rectificationtask")
    assert not leader.has_perm("inspections.change_rectificationtask")


# Withdrawing a finding

def test_unticking_a_veto_drops_an_untouched_task(scoring_check, inspector):
    tree = SchemeTree.of(scoring_check.scheme)
    assessment = scoring_check.assessments.get(website__name="丘北县人民政府")
    save_entry(assessment, Entry(vetoes={tree.by_name["首页不更新"]: "首页两周未更新"}), tree,
               user=inspector, loaded_version=0)
    save_entry(assessment, Entry(), tree, user=inspector, loaded_version=1)
    assert not RectificationTask.objects.exists() and not assessment.findings.exists()


def test_a_finding_whose_task_is_under_way_cannot_be_withdrawn(scoring_check, inspector, liaison):
    tree = SchemeTree.of(scoring_check.scheme)
    assessment = scoring_check.assessments.get(website__name="丘北县人民政府")
    save_entry(assessment, Entry(vetoes={tree.by_name["首页不更新"]: "首页两周未更新"}), tree,
               user=inspector, loaded_version=0)
    submit(RectificationTask.objects.get(), liaison, "已更新首页")
    with pytest.raises(TransitionError, match="已在办理"):
        save_entry(assessment, Entry(), tree, user=inspector, loaded_version=1)
    assessment.refresh_from_db()
    assert assessment.vetoed and assessment.version == 1  # nothing of the save happened
    assert RectificationTask.objects.get().state == TaskState.SUBMITTED


def test_opening_many_tasks_sends_one_mail_per_liaison(scoring_check, people,
                                                       django_capture_on_commit_callbacks,
                                                       django_assert_max_num_queries):
    findings = [new_finding(scoring_check, description=f"问题{i}") for i in range(30)]
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(12):
        ensure_tasks(Finding.objects.filter(pk__in=[f.pk for f in findings])
                     .select_related("assessment__inspection"))
    [summary] = mail.outbox
    assert summary.to == ["qiubei@example.cn"] and "30项" in summary.subject
