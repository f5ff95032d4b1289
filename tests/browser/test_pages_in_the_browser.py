"""The real stack in Chromium: sign-in form, stylesheets, scripts and the CSP."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, USERNAME, open_page, sign_in

pytestmark = pytest.mark.browser

NHS_BLUE = "rgb(0, 94, 184)"


def test_signing_in_through_the_form_returns_to_the_page_asked_for(page):
    page.goto("/strategies/sue/")
    assert "/sign-in/?next=/strategies/sue/" in page.url
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/strategies/sue/")
    expect(page.get_by_role("heading", name="Implementation Plan")).to_be_visible()
    expect(page.get_by_text("Jane Lyon")).to_be_visible()


def test_a_wrong_password_is_refused_with_an_error(page):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert "/sign-in/" in page.url


def test_the_stylesheets_load_and_apply(page):
    sign_in(page)
    page.goto("/strategies/sue/")
    header = page.locator("header.nhsuk-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == NHS_BLUE
    subnav = page.locator(".pb-subnav__list")
    assert subnav.evaluate("e => getComputedStyle(e).display") == "flex"


def test_the_scripts_run_and_enhance_the_page(page):
    sign_in(page)
    page.goto("/strategies/sue/")
    body_classes = page.locator("body").get_attribute("class")
    assert "js-enabled" in body_classes
    page.wait_for_selector("header[data-nhsuk-header-init]", state="attached")


def test_pages_break_no_rule_of_the_content_security_policy(browser, live_server):
    page = open_page(browser, live_server)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/sign-in/")
    sign_in(page)
    for path in [
        "/",
        "/strategies/sue/",
        "/strategies/sue/actions/1.2/",
        "/strategies/sue/commitments/",
        "/strategies/sue/people/",
        "/strategies/sue/findings/",
    ]:
        page.goto(path)
    assert violations == []


def test_the_plan_shows_all_actions_and_links_to_them(page):
    sign_in(page)
    page.goto("/strategies/sue/")
    expect(page.locator("tr.pb-action-row")).to_have_count(49)
    page.get_by_role("link", name="Action 1.2", exact=True).click()
    expect(page.get_by_role("heading", name="Action 1.2")).to_be_visible()
    expect(page.get_by_text("As written in the source: Yellow")).to_be_visible()


def test_signing_out_returns_to_sign_in(page):
    sign_in(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    page.goto("/")
    assert "/sign-in/" in page.url
