"""Editing a scheme's indicators in a real browser: the "添加一行" button of the formset."""

import pytest

from inspections.choices import IndicatorKind, Target
from inspections.models import Scheme
from inspections.scheme_import import copy_scheme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_adds_rows_to_a_copied_scheme(page, live_server, demo, sign_in):
    national = Scheme.objects.get(target=Target.NEWMEDIA, is_default=True)
    scheme = copy_scheme(national, "文山州政务新媒体检查指标（试行）")
    before = scheme.indicators.count()
    sign_in("admin", "wenshan-admin")
    page.goto(f"{live_server.url}/inspections/schemes/{scheme.pk}/edit/")

    rows = page.locator("#indicator-rows tbody tr")
    shown = rows.count()
    page.get_by_role("button", name="添加一行").click()
    page.get_by_role("button", name="添加一行").click()
    assert rows.count() == shown + 2
    # The new row's name box has the focus: type straight into it.
    page.keyboard.type("发布违法违规信息")
    new_row = rows.last
    assert new_row.locator("input[name$='-name']").input_value() == "发布违法违规信息"
    new_row.locator("select[name$='-kind']").select_option(label="单项否决")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".messages")

    assert scheme.indicators.count() == before + 1
    added = scheme.indicators.get(name="发布违法违规信息")
    assert added.kind == IndicatorKind.VETO and added.parent is None
