"""The home page's 待办 from the checks and the rectification: each role sees its own work."""

import datetime

import pytest
from django.urls import reverse

from common.todo import todos_for
from inspections import rectification
from inspections.models import Finding
from sites.models import User


def labels(user) -> dict[str, int]:
    return {todo.label: todo.count for todo in todos_for(user)}


@pytest.fixture
def tasks(scoring_check):
    """Two findings on 丘北县's portal and one on 西畴县's, with their tasks."""
    found = [("丘北县人民政府", "栏目空白"), ("丘北县人民政府", "首页不更新"), ("西畴县人民政府", "链接失效")]
    findings = [Finding.objects.create(assessment=scoring_check.assessments.get(website__name=site),
                                       description=text) for site, text in found]
    return rectification.ensure_tasks(findings)


def test_a_liaison_sees_their_own_tasks_to_do(liaison, tasks):
    assert labels(liaison) == {"待整改": 2}
    rectification.submit(tasks[0], liaison, "已补充栏目内容")
    assert labels(liaison) == {"待整改": 1}


def test_a_returned_and_an_overdue_task_are_named(liaison, office_admin, tasks):
    rectification.send_back(rectification.submit(tasks[0], liaison, "已补充"), office_admin, "截图不清楚")
    tasks[1].deadline = datetime.date(2022, 1, 1)
    tasks[1].save()
    found = todos_for(liaison)
    assert [(t.label, t.count, t.urgent) for t in found] == [
        ("已逾期的整改任务", 1, True), ("待整改", 1, False), ("被退回的整改", 1, False)]
    assert found[0].url == reverse("inspections:task_list") + "?overdue=yes"


def test_an_inspector_sees_the_review_queue_and_the_targets_to_score(liaison, tasks):
    inspector = User.objects.get(username="inspector")
    check = tasks[0].finding.assessment.inspection
    unscored = check.assessments.filter(scored_at__isnull=True).count()
    assert labels(inspector) == {f"{check}待评分": unscored}
    rectification.submit(tasks[0], liaison, "已补充")
    assert labels(inspector) == {"待审核的整改": 1, f"{check}待评分": unscored}


def test_an_unassigned_inspector_has_nothing_to_score(make_user, region, scoring_check):
    from sites.roles import Role

    assert labels(make_user(Role.INSPECTOR, region=region("文山州"))) == {}


def test_the_home_page_lists_the_todos_in_a_bounded_number_of_queries(
        client, liaison, tasks, django_assert_max_num_queries):
    client.force_login(liaison)
    page = client.get(reverse("home")).content.decode()
    assert "待办事项" in page and "待整改" in page
    with django_assert_max_num_queries(20):
        client.get(reverse("home"))


def test_nothing_waiting_says_so(client, liaison):
    client.force_login(liaison)
    assert "目前没有需要您处理的事项。" in client.get(reverse("home")).content.decode()


def test_an_admin_sees_the_overdue_tasks_of_the_scope_but_not_the_liaisons_work(office_admin, tasks):
    tasks[2].deadline = datetime.date(2022, 1, 1)  # 西畴县's
    tasks[2].save()
    assert labels(office_admin) == {"已逾期的整改任务": 1}
