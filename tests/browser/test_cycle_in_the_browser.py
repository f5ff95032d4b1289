"""The cycle's pages in Chromium: with and without JavaScript, and within the CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import GOVERNANCE_USERNAME, open_page, sign_in

pytestmark = pytest.mark.browser


def test_the_new_target_date_is_revealed_when_the_box_is_ticked(cycle, page):
    sign_in(page)
    page.goto(f"/strategies/sue/actions/{cycle}/update/")

    expect(page.get_by_label("Why does the target date change?")).to_be_hidden()
    page.get_by_label("Yes, the target date changes").check()
    expect(page.get_by_label("Why does the target date change?")).to_be_visible()
    page.get_by_label("What progress has been made?").fill("Twelve chars")
    expect(page.get_by_text(re.compile(r"You have 4,?988 characters remaining"))).to_be_visible()


def test_a_lead_gives_an_update_without_javascript(cycle, browser, live_server):
    page = open_page(browser, live_server, java_script_enabled=False)
    sign_in(page)
    page.goto(f"/strategies/sue/actions/{cycle}/update/")
    expect(page.get_by_text("You can enter up to 5000 characters")).to_be_visible()
    expect(page.get_by_label("Why does the target date change?")).to_be_visible()

    page.get_by_label("What progress has been made?").fill("Written without scripts.")
    page.get_by_label("Amber", exact=True).check()
    page.get_by_label("Yes, the target date changes").check()
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2017")
    page.get_by_label("Why does the target date change?").fill("Winter pressures.")
    page.get_by_role("button", name="Send for review").click()

    page.wait_for_url("**/my-actions/")
    expect(page.get_by_text(f"Your update on action {cycle} was sent for review.")).to_be_visible()


def test_the_cycle_pages_break_no_rule_of_the_content_security_policy(cycle, browser, live_server):
    violations = []
    for username in (None, GOVERNANCE_USERNAME):
        page = open_page(browser, live_server)
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        if username:
            sign_in(page, username)
        else:
            sign_in(page)
        for path in [
            "/my-actions/",
            f"/strategies/sue/actions/{cycle}/update/",
            "/strategies/sue/periods/",
            "/strategies/sue/periods/2016-17-q4/",
            "/strategies/sue/periods/2016-17-q3/",
            "/strategies/sue/periods/2016-17-q4/review/",
        ]:
            page.goto(path)
    assert violations == []
