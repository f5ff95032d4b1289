"""Every signed-in page, and the sign-in page, passes axe-core's WCAG 2.2 AA rules."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, open_page, sign_in

pytestmark = pytest.mark.browser

PAGES = [
    ("home", "/"),
    ("plan", "/strategies/sue/"),
    ("plan filtered", "/strategies/sue/?rag=not-in-key&theme=1&overdue=on"),
    ("plan with nothing matching", "/strategies/sue/?theme=6&status=complete"),
    ("action", "/strategies/sue/actions/1.2/"),
    ("commitments", "/strategies/sue/commitments/"),
    ("people and roles", "/strategies/sue/people/"),
    ("findings", "/strategies/sue/findings/?as_of=2017-03-08"),
    ("findings with an error", "/strategies/sue/findings/?as_of=2017-02-30"),
]


def test_the_signed_in_pages_have_no_accessibility_violations(page):
    sign_in(page)
    found = {}
    for name, path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert not found, "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)


def test_the_sign_in_page_has_no_accessibility_violations(page):
    page.goto("/sign-in/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []


def test_the_plan_and_action_pages_have_no_violations_on_a_narrow_screen(browser, live_server):
    page = open_page(browser, live_server, bypass_csp=True, viewport={"width": 390, "height": 844})
    sign_in(page)
    found = {}
    for path in ["/strategies/sue/", "/strategies/sue/actions/1.2/", "/strategies/sue/people/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        found[path] = axe_violations(page)
    assert not any(found.values()), found
