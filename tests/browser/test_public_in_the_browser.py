"""The public pages and governance's publishing pages in Chromium.

Every page, with realistic data and in its error states, passes axe-core's WCAG 2.2
A and AA rules, fits a 320 CSS pixel screen without scrolling sideways, and works
with JavaScript turned off. A member of the public asks for another format with the
keyboard alone.
"""

import datetime

import pytest
from playwright.sync_api import expect

from planboard.public.urls import public_patterns, publishing_patterns
from tests.browser.conftest import (
    GOVERNANCE_USERNAME,
    PASSWORD,
    axe_violations,
    open_page,
    sign_in,
)

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 720}
DESKTOP = {"width": 1280, "height": 800}

# Public pages: (name, path, what the page's h1 says).
PUBLIC_PAGES = [
    ("public_index", "/public/", "Progress of our strategies"),
    ("public_strategy", "/public/sue/", "Service User Engagement Strategy"),
    ("public_other_formats", "/public/sue/other-formats/", "Ask for this information"),
    ("public_other_formats_sent", "/public/sue/other-formats/sent/", "Request sent"),
    ("public_accessibility", "/public/accessibility/", "Accessibility statement"),
    ("public_you_said_we_did", "/public/sue/you-said-we-did/", "You said, we did"),
    ("public_engagement", "/public/sue/engagement/", "How we involve people"),
]
GOVERNANCE_PAGES = [
    ("publishing", "/strategies/sue/public/", "Public page"),
    ("publish_strategy", "/strategies/sue/public/strategy/", "What the strategy is for"),
    ("publish_theme", "/strategies/sue/public/themes/1/", "Theme 1"),
    ("publish_action", "/strategies/sue/public/actions/1.2/", "Action 1.2"),
    ("public_requests", "/strategies/sue/public/requests/", "Requests for another format"),
    ("publish_engagement", "/strategies/sue/public/engagement/", "How we involve people"),
    (
        "publish_engagement_introduction",
        "/strategies/sue/public/engagement/introduction/",
        "How we involve people: the introduction",
    ),
]
# Not HTML pages: the feeds are data, and marking a request answered or publishing new
# wording is a POST that redirects (pressed on the requests and publishing pages below).
NOT_PAGES = {
    "public_json",
    "public_csv",
    "public_you_said_we_did_json",
    "public_you_said_we_did_csv",
    "answer_request",
    "publish_theme_wording",
    "publish_commitment",
    "public_engagement_json",
    "public_engagement_csv",
    "withdraw_engagement_outcome",
    # Its address holds an activity's id: checked by its own test below.
    "publish_engagement_outcome",
}


def test_every_public_and_publishing_page_is_checked():
    names = {p.name for p in public_patterns} | {p.name for p in publishing_patterns}
    checked = {name for name, _, _ in PUBLIC_PAGES + GOVERNANCE_PAGES}
    assert names == checked | NOT_PAGES


@pytest.fixture
def public_cycle(cycle, seed_strategy, django_user_model):
    """The seed published as in the demo, with two closed quarters, so "What changed
    this quarter" has something completed and something delayed with a reason."""
    from planboard.plans import structure
    from planboard.plans.models import Action
    from planboard.progress.models import ReportingPeriod
    from planboard.progress.services import accept_update, close_period, submit_update
    from planboard.public.demo import ensure_demo_publication
    from planboard.public.demo_feedback import ensure_demo_feedback
    from planboard.public.models import InformationRequest
    from tests.cast import reviewer
    from tests.public.engagement_public import plant_engagement

    governor = django_user_model.objects.get(username=GOVERNANCE_USERNAME)
    ensure_demo_publication(seed_strategy, user=governor)
    ensure_demo_feedback(seed_strategy, user=governor)
    theme_one = Action.objects.for_strategy(seed_strategy).filter(theme__number=1)
    late = theme_one.get(number=4)
    done = theme_one.get(number=5)
    update = submit_update(
        late,
        user=governor,
        narrative="The intranet team is busy.",
        new_target_date=datetime.date(2017, 9, 30),
        reason="The website team has a new system to finish first.",
    )
    accept_update(update, user=reviewer(), expected_version=update.version)
    update = submit_update(done, user=governor, narrative="Held in March.", complete=True)
    accept_update(update, user=reviewer(), expected_version=update.version)
    close_period(
        ReportingPeriod.objects.get(strategy=seed_strategy, status="open"),
        user=governor,
        confirm_not_accepted=True,
    )
    # Plan changes waiting for governance to publish them on the publishing page.
    theme = seed_strategy.themes.get(number=1)
    structure.change_theme(
        theme, title="Listening to carers", number=1, version=theme.version, user=governor
    )
    structure.add_commitment(theme, text="We will ask carers first.", user=governor)
    plant_engagement(seed_strategy, governor)
    InformationRequest.objects.create(
        strategy=seed_strategy,
        format="language",
        language="Urdu",
        name="Sam Carer",
        contact="sam.carer@example.org",
        received_at=datetime.datetime(2017, 3, 1, tzinfo=datetime.UTC),
    )
    return seed_strategy


def _check(page, path, heading):
    """axe at 320 pixels and on a desktop screen, and how wide the page is at 320."""
    page.set_viewport_size(NARROW)
    response = page.goto(path)
    assert response.status == 200, path
    expect(page.locator("h1")).to_contain_text(heading)
    problems = axe_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    problems += [f"at {DESKTOP['width']}px: {v}" for v in axe_violations(page)]
    return problems, width


def test_the_public_pages_pass_axe_narrow_and_wide(public_cycle, browser, live_server):
    page = open_page(browser, live_server, viewport=NARROW)
    found = {}
    for name, path, heading in PUBLIC_PAGES:
        problems, width = _check(page, path, heading)
        if problems or width > NARROW["width"]:
            found[name] = (problems, width)
    assert not found, found
    page.goto("/public/sue/")
    changed = page.locator("#what-changed")
    expect(changed).to_contain_text("Changes in 2016/17 Q4, compared with 2016/17 Q3")
    expect(changed).to_contain_text("The website team has a new system to finish first.")
    expect(changed.get_by_role("heading", name="Completed")).to_be_visible()


def test_a_public_page_that_is_not_there_passes_axe(public_cycle, browser, live_server):
    page = open_page(browser, live_server, viewport=NARROW)
    assert page.goto("/public/no-such-strategy/").status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    page.get_by_role("link", name="See all published strategies").click()
    expect(page.locator("h1")).to_contain_text("Progress of our strategies")


def test_the_publishing_pages_pass_axe_narrow_and_wide(public_cycle, browser, live_server):
    page = open_page(browser, live_server, viewport=NARROW)
    sign_in(page, GOVERNANCE_USERNAME, PASSWORD)
    found = {}
    for name, path, heading in GOVERNANCE_PAGES:
        problems, width = _check(page, path, heading)
        if problems or width > NARROW["width"]:
            found[name] = (problems, width)
    assert not found, found


def test_an_outcome_publishes_or_shows_its_error_and_passes_axe(public_cycle, browser, live_server):
    page = open_page(browser, live_server, viewport=NARROW)
    sign_in(page, GOVERNANCE_USERNAME, PASSWORD)
    page.goto("/strategies/sue/public/engagement/")
    page.get_by_role("link", name="Pharmacy survey").click()
    expect(page.locator("h1")).to_contain_text("What Pharmacy survey changed")
    problems, width = _check(page, page.url, "What Pharmacy survey changed")
    assert not problems and width <= NARROW["width"], (problems, width)
    page.get_by_label("What it changed, for the public").fill("Call 0114 496 0000 to help.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("What it changed, for the public").fill("We made the leaflets shorter.")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#published")).to_contain_text("What it changed: published (3)")


def test_the_error_states_pass_axe(public_cycle, page):
    page.goto("/public/sue/other-formats/")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(
        "Error: Ask for this information in another format – "
        "Service User Engagement Strategy 2016-2021 – planboard"
    )
    assert axe_violations(page) == []
    sign_in(page, GOVERNANCE_USERNAME, PASSWORD)
    page.goto("/strategies/sue/public/actions/2.1/")
    page.get_by_label("Publish action 2.1 on the public page").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Write a public summary of action 2.1")).to_be_visible()
    assert axe_violations(page) == []


def test_the_pages_work_without_javascript(public_cycle, browser, live_server):
    page = open_page(browser, live_server, java_script_enabled=False, viewport=NARROW)
    for _, path, heading in PUBLIC_PAGES:
        page.goto(path)
        expect(page.locator("h1")).to_contain_text(heading)
    # The request form, including the language that JavaScript would reveal.
    page.goto("/public/sue/other-formats/")
    page.get_by_role("radio", name="Another language").check()
    page.get_by_label("If you need another language, which one?").fill("Polish")
    page.get_by_label("Your name").fill("Ola")
    page.get_by_label("How should we contact you?").fill("ola@example.org")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    # Governance checks a draft's reading ease, saves it and marks a request answered.
    sign_in(page, GOVERNANCE_USERNAME, PASSWORD)
    page.goto("/strategies/sue/public/actions/2.1/")
    page.get_by_label("Public summary").fill("We will train staff to listen. It starts in May.")
    page.get_by_role("button", name="Check reading ease").click()
    expect(page.locator("#reading-ease")).to_contain_text("Easy to read")
    page.get_by_label("Publish action 2.1 on the public page").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The public summary of action 2.1 is saved.")).to_be_visible()
    page.goto("/strategies/sue/public/requests/")
    page.get_by_role("button", name="Polish for Ola").click()
    expect(page.get_by_role("heading", name="Answered (1)")).to_be_visible()
    page.goto("/public/sue/")
    expect(page.get_by_text("We will train staff to listen.")).to_be_visible()
    expect(page.get_by_text("Listening to carers")).to_have_count(0)
    # Governance publishes the theme's new title.
    page.goto("/strategies/sue/public/")
    page.get_by_role("button", name="Publish the new wording").click()
    expect(page.get_by_text("The public page shows the new title of theme 1.")).to_be_visible()
    page.goto("/public/sue/")
    expect(page.get_by_text("Listening to carers").first).to_be_visible()


def test_someone_asks_for_easy_read_with_the_keyboard_alone(public_cycle, page):
    page.goto("/public/sue/")
    link = page.get_by_role("link", name="ask for this page in another format").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the link to ask for another format")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Ask for this information in another format")
    page.keyboard.press("Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.id") == "format":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first radio: Easy read
    for field, text in (("name", "Kim"), ("contact", "01234 567890")):
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == field:
                break
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
