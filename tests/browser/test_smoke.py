"""Proves the browser harness: live server + Playwright + system chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_has_password_field(live_server, page):
    response = page.goto(live_server.url + "/login/")
    assert response is not None and response.ok, response and response.status
    password = page.locator('input[name="password"]')
    expect(password).to_have_count(1)
    expect(password).to_have_attribute("type", "password")
