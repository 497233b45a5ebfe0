"""Access rules written once and applied to every page: anonymous users go to the login
page; users of another region get 404 (or 403 where their role may not act at all)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from newmedia.models import Account
from sites.models import Region, Unit, User, Website
from sites.roles import Role


def portal_url_names(patterns=None, namespace=""):
    """Every named URL of the portal's own apps (the Django admin guards itself)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from portal_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)


PUBLIC = {"login"}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), [
    p for p in portal_url_names() if p[0] not in PUBLIC
], ids=lambda v: v if isinstance(v, str) else "")
def test_anonymous_users_are_sent_to_login(client, name, params):
    url = reverse(name, kwargs=dict.fromkeys(params, 1))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


# Objects of 西畴县, which the 丘北县 liaison must not reach.
def xichou_objects():
    return {
        "sites:region": lambda: Region.objects.get(name="西畴县"),
        "sites:unit": lambda: Unit.objects.get(name="西畴县人民政府办公室"),
        "sites:website": lambda: Website.objects.get(name="西畴县人民政府"),
        "newmedia:account": lambda: Account.objects.get(name="华盖故里"),
    }


DETAIL_NAMES = list(xichou_objects())
EDIT_NAMES = ["sites:region_edit", "sites:unit_edit", "sites:website_edit", "newmedia:account_edit"]
LIST_NAMES = ["sites:region_list", "sites:unit_list", "sites:website_list", "newmedia:account_list"]


@pytest.mark.parametrize("name", DETAIL_NAMES)
def test_another_regions_detail_page_is_not_found(client, liaison, name):
    obj = xichou_objects()[name]()
    client.force_login(liaison)
    assert client.get(reverse(name, args=[obj.pk])).status_code == 404


@pytest.mark.parametrize("name", DETAIL_NAMES)
def test_own_regions_detail_page_is_shown(client, other_liaison, name):
    obj = xichou_objects()[name]()
    client.force_login(other_liaison)
    response = client.get(reverse(name, args=[obj.pk]))
    assert response.status_code == 200
    assert str(obj.name) in response.content.decode()


@pytest.mark.parametrize(("detail", "edit"), list(zip(DETAIL_NAMES, EDIT_NAMES, strict=True)))
def test_another_regions_admin_cannot_edit(client, make_user, region, detail, edit):
    obj = xichou_objects()[detail]()
    qiubei_admin = make_user(Role.ADMIN, region=region("丘北县"))
    client.force_login(qiubei_admin)
    assert client.get(reverse(edit, args=[obj.pk])).status_code == 404
    assert client.post(reverse(edit, args=[obj.pk]), {"name": "改名"}).status_code == 404


@pytest.mark.parametrize("edit", EDIT_NAMES)
def test_liaisons_cannot_edit_even_in_their_own_region(client, other_liaison, edit):
    obj = xichou_objects()[DETAIL_NAMES[EDIT_NAMES.index(edit)]]()
    client.force_login(other_liaison)
    assert client.get(reverse(edit, args=[obj.pk])).status_code == 403


# Pages only admins open (others get 403), about a user: the same rule, checked with a 丘北县
# admin guessing the address of a 西畴县 user, and the 西畴县 admin who may open it.
ADMIN_USER_PAGES = ["sites:user", "sites:user_edit"]


@pytest.mark.parametrize("name", ADMIN_USER_PAGES)
def test_another_regions_admin_cannot_open_a_users_pages(client, make_user, region, name):
    url = reverse(name, args=[make_user(Role.LIAISON, region=region("西畴县")).pk])
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.ADMIN, region=region("西畴县")))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", LIST_NAMES)
def test_lists_and_exports_hold_only_the_users_scope(client, liaison, name):
    client.force_login(liaison)
    page = client.get(reverse(name)).content.decode()
    export = b"".join(client.get(reverse(name) + "?export=csv").streaming_content).decode()
    for text in (page, export):
        assert "丘北" in text
        assert "西畴" not in text and "华盖故里" not in text


@pytest.mark.parametrize("name", LIST_NAMES)
def test_filtering_or_exporting_another_region_is_not_found(client, liaison, name):
    xichou = Region.objects.get(name="西畴县")
    client.force_login(liaison)
    assert client.get(reverse(name), {"region": xichou.pk, "export": "xlsx"}).status_code == 404
    page = client.get(reverse(name), {"region": xichou.pk}).content.decode()
    assert "筛选条件有误" in page and "西畴" not in page


# The same rule for the pages of the later steps: a 丘北县 liaison guessing the address of a
# 西畴县 object gets 404, whatever the app.

@pytest.fixture
def everything(demo_inspections, demo):
    """The whole demo: checks, the campaign with its tasks, messages, annual work."""
    from assessment.demo import load_assessment
    from inspections.campaign_demo import load_campaigns
    from interaction.demo import load_messages

    load_campaigns(demo)
    load_messages()
    load_assessment(demo)


def later_xichou_objects():
    from assessment.models import AnnualReport
    from inspections.models import Assessment, RectificationTask
    from interaction.models import Message

    return {
        "inspections:assessment": lambda: Assessment.objects.filter(
            unit__region__name="西畴县").first(),
        "inspections:task": lambda: RectificationTask.objects.filter(
            unit__region__name="西畴县").first(),
        "interaction:message": lambda: Message.objects.filter(unit__region__name="西畴县").first(),
        "assessment:report": lambda: AnnualReport.objects.filter(region__name="西畴县").first(),
    }


@pytest.mark.parametrize("name", ["inspections:assessment", "inspections:task",
                                  "interaction:message", "assessment:report"])
def test_later_steps_hide_another_regions_objects(client, everything, liaison, other_liaison, name):
    obj = later_xichou_objects()[name]()
    assert obj is not None, f"the demo has no 西畴县 object for {name}"
    url = reverse(name, args=[obj.pk])
    client.force_login(liaison)
    assert client.get(url).status_code == 404
    client.force_login(other_liaison)
    assert client.get(url).status_code == 200


# A check's pages: a county's admin reaches only the checks of their own region. A check of
# 西畴县 is outside 丘北县 (siblings); so is 文山州's own check (above it).

@pytest.fixture
def xichou_check(demo):
    import datetime

    from inspections import workflow
    from inspections.models import Inspection, Scheme

    check = Inspection.objects.create(
        region=Region.objects.get(name="西畴县"), year=2022, quarter=1, target="websites",
        window_start=datetime.date(2022, 1, 1), window_end=datetime.date(2022, 3, 31),
        scheme=Scheme.objects.default_for("websites"),
    )
    workflow.populate(check)
    return check


CHECK_PAGES = ["inspections:inspection", "inspections:matrix", "inspections:inspection_assessments",
               "inspections:inspection_edit", "inspections:inspection_statistics"]
CHECK_ACTIONS = ["populate", "start", "close", "add", "remove"]


@pytest.mark.parametrize("where", ["西畴县", "文山州"])
def test_another_regions_check_is_not_found(client, make_user, region, xichou_check,
                                            demo_inspections, where):
    check = xichou_check if where == "西畴县" else demo_inspections[4]
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    for name in CHECK_PAGES:
        assert client.get(reverse(name, args=[check.pk])).status_code == 404, name
    assert client.post(reverse("inspections:inspection_edit", args=[check.pk]),
                       {"year": 2023}).status_code == 404
    for action in CHECK_ACTIONS:
        url = reverse("inspections:inspection_action", args=[check.pk, action])
        assert client.post(url, {"assessment": check.assessments.first().pk}).status_code == 404
    check.refresh_from_db()
    assert check.year in (2021, 2022) and check.assessments.exists()


def test_the_checks_own_regions_admin_reaches_it(client, make_user, region, xichou_check):
    client.force_login(make_user(Role.ADMIN, region=region("西畴县")))
    for name in CHECK_PAGES:
        assert client.get(reverse(name, args=[xichou_check.pk])).status_code == 200, name


@pytest.mark.parametrize("who", ["unassigned_inspector", "liaison"])
def test_only_the_checks_inspectors_add_findings(client, make_user, region, scoring_check, who):
    from inspections.models import Finding

    user = (make_user(Role.INSPECTOR, region=region("文山州")) if who == "unassigned_inspector"
            else User.objects.get(username="liaison"))
    assessment = scoring_check.assessments.get(website__name="丘北县人民政府")  # the liaison's own
    client.force_login(user)
    response = client.post(reverse("inspections:finding_add", args=[assessment.pk]),
                           {"description": "栏目空白", "post_dates_text": ""})
    assert response.status_code == 403
    assert not Finding.objects.exists()


# The holiday table (节假日调整) is one for every region: admins read it, and only the office
# that runs the portal (an admin of the top region) changes it, so a county's admin gets 403
# and a liaison cannot even read it.

def holiday_kwargs(name):
    from interaction.models import HolidayOverride, HolidayYear

    day = HolidayOverride.objects.get_or_create(day="2027-01-01", defaults={"is_working_day": False})[0]
    HolidayYear.objects.get_or_create(year=2027)
    return {"interaction:holiday": {"pk": day.pk}, "interaction:holiday_edit": {"pk": day.pk},
            "interaction:holiday_delete": {"pk": day.pk},
            "interaction:holiday_year_withdraw": {"year": 2027}}.get(name, {})


HOLIDAY_PAGES = ["interaction:holiday_list", "interaction:holiday"]
HOLIDAY_CHANGES = ["interaction:holiday_add", "interaction:holiday_edit",
                   "interaction:holiday_delete", "interaction:holiday_year_confirm",
                   "interaction:holiday_year_withdraw"]


@pytest.mark.parametrize("name", HOLIDAY_PAGES)
def test_the_holiday_table_is_read_by_admins_only(client, liaison, make_user, region, name):
    url = reverse(name, kwargs=holiday_kwargs(name))
    client.force_login(liaison)
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", HOLIDAY_CHANGES)
def test_a_county_admin_cannot_change_the_holiday_table(client, make_user, region, name):
    from interaction.models import HolidayOverride, HolidayYear

    url = reverse(name, kwargs=holiday_kwargs(name))
    client.force_login(make_user(Role.ADMIN, region=region("丘北县")))
    assert client.post(url, {"day": "2027-01-04", "is_working_day": "False", "year": 2027}
                       ).status_code == 403
    assert HolidayOverride.objects.count() == 1 and HolidayYear.objects.count() == 1
