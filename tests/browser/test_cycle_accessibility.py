"""The quarterly cycle's pages pass axe-core's WCAG 2.2 AA rules, errors and conflicts too."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    GOVERNANCE_USERNAME,
    axe_violations,
    open_page,
    sign_in,
)

pytestmark = pytest.mark.browser


def report(found):
    return "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)


def test_a_leads_pages_have_no_accessibility_violations(cycle, page):
    sign_in(page)
    found = {}
    for name, path in [
        ("my actions", "/my-actions/"),
        ("update form", f"/strategies/sue/actions/{cycle}/update/"),
        ("action with updates", f"/strategies/sue/actions/{cycle}/"),
    ]:
        assert page.goto(path).status == 200, path
        found[name] = axe_violations(page)

    page.goto(f"/strategies/sue/actions/{cycle}/update/")
    page.get_by_label("Yes, the target date changes").check()
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    found["update form with errors"] = axe_violations(page)

    assert not any(found.values()), report(found)


def test_the_governance_pages_have_no_accessibility_violations(cycle, page):
    sign_in(page, GOVERNANCE_USERNAME)
    found = {}
    for name, path in [
        ("periods", "/strategies/sue/periods/"),
        ("review queue", "/strategies/sue/periods/2016-17-q4/review/"),
        ("open period", "/strategies/sue/periods/2016-17-q4/"),
        ("closed period", "/strategies/sue/periods/2016-17-q3/"),
        ("close a period", "/strategies/sue/periods/2016-17-q4/close/"),
    ]:
        assert page.goto(path).status == 200, path
        found[name] = axe_violations(page)

    page.goto("/strategies/sue/periods/2016-17-q4/review/")
    page.get_by_role("button", name="Return to the lead").first.click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    found["review queue with an error"] = axe_violations(page)

    page.get_by_role("button", name="Accept").first.click()
    expect(page.get_by_text("You accepted the update on action")).to_be_visible()
    found["review queue with a banner"] = axe_violations(page)

    assert not any(found.values()), report(found)


def test_the_papers_pages_have_no_accessibility_violations(cycle, page):
    sign_in(page, GOVERNANCE_USERNAME)
    found = {}
    for name, path in [
        ("papers", "/strategies/sue/papers/"),
        ("closed period paper", "/strategies/sue/papers/2016-17-q3/"),
        ("open period paper", "/strategies/sue/papers/2016-17-q4/"),
    ]:
        assert page.goto(path).status == 200, path
        found[name] = axe_violations(page)

    assert not any(found.values()), report(found)


def test_the_conflict_page_has_no_accessibility_violations(cycle, browser, live_server):
    lead = open_page(browser, live_server, bypass_csp=True)
    governance = open_page(browser, live_server, bypass_csp=True)
    sign_in(lead)
    sign_in(governance, GOVERNANCE_USERNAME)
    form = f"/strategies/sue/actions/{cycle}/update/"
    lead.goto(form)
    governance.goto(form)
    governance.get_by_label("What progress has been made?").fill("Entered from the minutes.")
    governance.get_by_label("Amber", exact=True).check()
    governance.get_by_role("button", name="Send for review").click()
    governance.wait_for_url(f"**/strategies/sue/actions/{cycle}/")

    lead.get_by_label("What progress has been made?").fill("Jane's own words.")
    lead.get_by_label("Green", exact=True).check()
    lead.get_by_role("button", name="Send for review").click()

    expect(lead.get_by_role("heading", name="Your update was not saved")).to_be_visible()
    expect(lead.get_by_text("Entered from the minutes.")).to_be_visible()
    expect(lead.get_by_label("What progress has been made?")).to_have_value("Jane's own words.")
    assert axe_violations(lead) == []
