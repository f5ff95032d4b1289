"""The plan's filters work with JavaScript turned off."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page, sign_in

pytestmark = pytest.mark.browser


def test_the_filter_form_filters_without_javascript(browser, live_server):
    page = open_page(browser, live_server, java_script_enabled=False)
    sign_in(page)
    page.goto("/strategies/sue/")
    expect(page.locator("tr.pb-action-row")).to_have_count(49)
    page.get_by_label("RAG rating").select_option(label="Rating not in key")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**rag=not-in-key**")
    expect(page.locator("tr.pb-action-row")).to_have_count(4)
    expect(page.get_by_text("Showing 4 of 49 actions")).to_be_visible()
    page.get_by_label("RAG rating").select_option(label="Not rated")
    page.get_by_label("Only actions overdue today").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**overdue=on**")
    assert page.locator("tr.pb-action-row").count() > 0
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
