"""The cycle's pages in Chromium: with and without JavaScript, and within the CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import GOVERNANCE_USERNAME, axe_violations, open_page, sign_in

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


PHONE = {"width": 390, "height": 844}


def test_the_review_queue_works_on_a_phone(full_cycle, browser, live_server):
    """At 390 pixels the first update a reviewer may decide on shows its proposed RAG,
    its Accept and Return buttons and its checkbox on the screen, the page does not
    scroll sideways, and axe finds nothing, before and after a change without a reason."""
    page = open_page(browser, live_server, viewport=PHONE)
    sign_in(page, GOVERNANCE_USERNAME)
    page.goto("/strategies/sue/periods/2016-17-q4/review/")

    def check(section):
        for part in (
            section.locator(".nhsuk-tag").first,
            section.locator("button[value=accept]"),
            section.locator("button[value=return]"),
            section.locator("input[name=selected]"),
        ):
            part.scroll_into_view_if_needed()
            box = part.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert axe_violations(page) == []

    first = page.locator("section.pb-review").filter(has=page.locator("button[value=accept]"))
    check(first.first)
    ref = first.first.locator("h3 a").inner_text().removeprefix("Action ")

    first.first.get_by_text("Change the rating or target date, then accept").click()
    first.first.get_by_label(f"RAG rating you accept for action {ref}").select_option("Red")
    with page.expect_navigation():
        first.first.locator("button[value=adjust]").click()

    message = f"Action {ref}: give the reason you changed the lead's rating or target date"
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(message)
    expect(page.locator(".nhsuk-error-message")).to_contain_text(message)
    check(page.locator("section.pb-review").filter(has=page.locator("button[value=accept]")).first)
