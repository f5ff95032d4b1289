"""The page that refuses a request too large for its sender, in Chromium: it passes
axe-core, fits a 320 pixel screen, and keeps the public layout under /public/.

The limits are lowered for the test (the live server runs in this process), so an
ordinary upload and an ordinary form are over them.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import GOVERNANCE_USERNAME, axe_violations, open_page, sign_in

pytestmark = pytest.mark.browser

CSV = b"Workstream,Description,Owner,Due,Status\n" + b"Patient voice,Run an event.,EM,,\n" * 20


@pytest.fixture
def published(cycle, seed_strategy, django_user_model):
    from planboard.public.demo import ensure_demo_publication

    governor = django_user_model.objects.get(username=GOVERNANCE_USERNAME)
    ensure_demo_publication(seed_strategy, user=governor)
    return seed_strategy


def problems_of(page) -> list[str]:
    page.set_viewport_size({"width": 320, "height": 720})
    problems = axe_violations(page)
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > 320:
        problems.append(f"the page is {wide}px wide at 320px")
    return problems


def test_an_upload_too_large_is_refused_on_an_accessible_page(published, page, settings):
    sign_in(page, GOVERNANCE_USERNAME)
    page.goto("/strategies/sue/import/")
    settings.REQUEST_MAX_UPLOAD_BYTES, settings.REQUEST_MAX_FORM_BYTES = 500, 200

    page.get_by_label("Table of actions").set_input_files(
        {"name": "workplan.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What you sent is too large")
    expect(page.locator("main")).to_contain_text("the largest planboard accepts is 500 bytes.")
    expect(page.get_by_role("link", name="Go to the strategies")).to_be_visible()
    assert problems_of(page) == []


def test_a_public_form_too_large_keeps_the_public_layout(published, browser, live_server, settings):
    page = open_page(browser, live_server)
    page.goto("/public/sue/other-formats/")
    settings.REQUEST_MAX_FORM_BYTES = 50

    page.get_by_role("radio", name="Large print").check()
    page.get_by_label("Your name").fill("Sam Carer")
    page.get_by_label("How should we contact you?").fill("sam.carer@example.org")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What you sent is too large")
    expect(page.locator("main")).to_contain_text("only the governance team may send files.")
    expect(page.get_by_role("link", name="See all published strategies")).to_be_visible()
    assert problems_of(page) == []
