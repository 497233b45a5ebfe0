"""Fixtures shared by every app's tests: the demo directory and one user per role; and every
test fails whose PDF rendering made WeasyPrint warn."""

import pytest

from sites.roles import Role


@pytest.fixture(scope="session", autouse=True)
def font_warnings():
    """Every WARNING the weasyprint and fontTools loggers emit during the run: a missing glyph
    prints a blank box, a font that cannot be embedded prints nothing."""
    from reports.renderers.pdf import captured_warnings

    with captured_warnings() as messages:
        yield messages


@pytest.fixture(autouse=True)
def fail_on_font_warnings(font_warnings):
    """Fail the test during which a PDF rendering warned; a module-scoped render counts for the
    first test that uses it. A test that expects a warning clears `font_warnings` itself."""
    yield
    found = list(font_warnings)
    font_warnings.clear()
    if found:
        pytest.fail(f"WeasyPrint warned while rendering a PDF: {found}")


@pytest.fixture
def demo(db):
    """文山州: regions, units, websites and accounts of the demo, and its four users."""
    from sites import demo as demo_module

    data = demo_module.demo_data()
    demo_module.load_directory(data)
    demo_module.load_users(data)
    return data


@pytest.fixture
def make_user(db, django_user_model):
    """make_user(role, region=None, unit=None) → a user with that role and scope."""
    from django.contrib.auth.models import Group

    counter = iter(range(1, 10_000))

    def make(role: Role | None = None, *, region=None, unit=None, **extra):
        user = django_user_model.objects.create_user(
            username=f"user{next(counter)}", password="pw", region=region, unit=unit, **extra
        )
        if role is not None:
            user.groups.add(Group.objects.get(name=role.value))
        return user

    return make


@pytest.fixture
def region(demo):
    """Look up a demo region by name: region("丘北县")."""
    from sites.models import Region

    return lambda name: Region.objects.get(name=name)


@pytest.fixture
def office_admin(demo, django_user_model):
    return django_user_model.objects.get(username="admin")


@pytest.fixture
def liaison(demo, django_user_model):
    """The demo liaison, scoped to 丘北县."""
    return django_user_model.objects.get(username="liaison")


@pytest.fixture
def other_liaison(demo, make_user, region):
    """A liaison of 西畴县, who must not see 丘北县's data."""
    return make_user(Role.LIAISON, region=region("西畴县"))


@pytest.fixture
def demo_inspections(demo):
    """The demo's checks: 文山州's 2021 Q3 and Q4 website checks with annex 1's group scores
    (returned by quarter), and its all-passing Q4 new-media check."""
    from inspections.demo import load_inspections
    from inspections.models import Inspection

    load_inspections(demo)
    return {i.quarter: i for i in Inspection.objects.filter(year=2021, target="websites")}


@pytest.fixture
def draft_check(demo):
    """A 2022 Q1 website check of 文山州 with its targets drawn, still a draft, assigned to
    the demo inspector."""
    import datetime

    from inspections import workflow
    from inspections.models import Inspection, Scheme
    from sites.models import Region, User

    inspection = Inspection.objects.create(
        region=Region.objects.get(name="文山州"), year=2022, quarter=1, target="websites",
        window_start=datetime.date(2022, 2, 1), window_end=datetime.date(2022, 3, 5),
        scheme=Scheme.objects.default_for("websites"),
    )
    inspection.inspectors.set([User.objects.get(username="inspector")])
    workflow.populate(inspection)
    return inspection


@pytest.fixture
def scoring_check(draft_check):
    """The same check in scoring (评分中)."""
    from inspections import workflow

    workflow.start_scoring(draft_check)
    return draft_check
