import datetime

import pytest

from inspections import workflow
from inspections.choices import CheckMode, CheckStatus, Target
from inspections.models import Inspection, Scheme
from sites.models import Region, User, Website


@pytest.fixture
def draft(demo):
    inspection = Inspection.objects.create(
        region=Region.objects.get(name="文山州"), year=2022, quarter=1, target=Target.WEBSITES,
        window_start=datetime.date(2022, 2, 1), window_end=datetime.date(2022, 3, 5),
        scheme=Scheme.objects.default_for("websites"),
    )
    inspection.inspectors.set(User.objects.filter(username__in=["inspector", "admin"]))
    return inspection


def test_a_full_check_covers_every_running_website_shared_among_inspectors(draft):
    assert workflow.populate(draft) == 10
    assert draft.population_size == 10
    by_inspector = {}
    for a in draft.assessments.select_related("assigned_to"):
        by_inspector.setdefault(a.assigned_to.username, 0)
        by_inspector[a.assigned_to.username] += 1
    assert by_inspector == {"admin": 5, "inspector": 5}


def test_a_spot_check_draws_its_sample(draft):
    draft.mode, draft.sample_size, draft.sample_seed = CheckMode.SAMPLE, 4, 99
    workflow.populate(draft)
    first = set(draft.assessments.values_list("website_id", flat=True))
    assert len(first) == 4
    workflow.populate(draft)
    assert set(draft.assessments.values_list("website_id", flat=True)) == first


def test_targets_are_added_and_removed_by_hand_until_scoring_starts(draft):
    draft.mode, draft.sample_size, draft.sample_seed = CheckMode.SAMPLE, 2, 5
    workflow.populate(draft)
    extra = workflow.candidates(draft)[0]
    workflow.add_target(draft, extra)
    assert draft.assessments.count() == 3
    workflow.remove_target(draft.assessments.get(website=extra))
    assert draft.assessments.count() == 2
    workflow.start_scoring(draft)
    with pytest.raises(workflow.WorkflowError):
        workflow.add_target(draft, workflow.candidates(draft)[0])
    with pytest.raises(workflow.WorkflowError):
        workflow.remove_target(draft.assessments.first())


def test_closing_needs_every_target_scored_and_locks_the_check(draft):
    workflow.populate(draft)
    workflow.start_scoring(draft)
    with pytest.raises(workflow.WorkflowError, match="还有 10 个检查对象未评分"):
        workflow.close(draft)
    draft.assessments.update(scored_at=datetime.datetime(2022, 3, 6, tzinfo=datetime.UTC))
    workflow.close(draft)
    assert draft.status == CheckStatus.CLOSED
    assert not draft.can_score(User.objects.get(username="admin"))
    assert draft.scheme.is_locked


def test_a_website_closed_before_the_windows_end_is_not_in_the_population(draft):
    site = Website.objects.get(name="富宁县人民政府")
    site.set_status("closed", datetime.date(2022, 2, 15))
    site.save()
    assert workflow.populate(draft) == 9


def test_the_previous_quarter_is_found(demo_inspections):
    assert demo_inspections[4].previous() == demo_inspections[3]
    assert demo_inspections[3].previous() is None
