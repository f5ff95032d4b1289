"""Each role's day from sign-in, in Chromium, on a desktop and on a phone.

A lead, the governance team and a board member each sign in, land on their home page
and do their part from it; every state is checked with axe at 1280 and 390 pixels wide,
where the page must not scroll sideways nor cut a tag off.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    GOVERNANCE_USERNAME,
    PASSWORD,
    axe_violations,
    sign_in,
)

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
BOARD_USERNAME = "board"

# Tags, links and buttons cut off by the edge of the screen (or by a box too narrow).
CUT_OFF = """() => [...document.querySelectorAll('main .nhsuk-tag, main a, main button')]
  .filter(element => element.getClientRects().length)
  .filter(element => {
    const box = element.getBoundingClientRect();
    return box.right > document.documentElement.clientWidth + 1 || box.left < -1
      || (element.classList.contains('nhsuk-tag') && element.scrollWidth > element.clientWidth + 1);
  })
  .map(element => element.textContent.trim().slice(0, 40))"""


def problems(page, home=True) -> list[str]:
    """What is wrong with the page at each width: axe's violations, a page wider than
    the screen, and, on the home page, anything cut off. Ends at desktop width."""
    found = []
    for width in reversed(WIDTHS):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        found += [f"at {width}px: {v}" for v in axe_violations(page)]
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            found.append(f"at {width}px the page is {wide}px wide")
        if home:
            found += [f"at {width}px cut off: {text!r}" for text in page.evaluate(CUT_OFF)]
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return found


@pytest.fixture
def board(cycle, django_user_model, seed_strategy):
    """A board member, and the closed 2016/17 Q3's paper made as a web page."""
    from django.contrib.auth.models import Group

    from planboard.papers.generation import request_paper
    from planboard.people.access import BOARD_MEMBER

    member = django_user_model.objects.create_user(
        BOARD_USERNAME, password=PASSWORD, first_name="Bob", last_name="Reader"
    )
    member.groups.add(Group.objects.get(name=BOARD_MEMBER))
    governor = django_user_model.objects.get(username=GOVERNANCE_USERNAME)
    q3 = seed_strategy.periods.get(label="2016/17 Q3")
    return request_paper(seed_strategy, q3, "html", user=governor)


def test_a_lead_lands_on_what_they_owe_and_gives_an_update(cycle, page):
    sign_in(page)
    expect(page.get_by_role("heading", level=1, name="Home")).to_be_visible()
    mine = page.locator("#your-actions")
    expect(mine.get_by_role("heading", name="Your actions")).to_be_visible()
    assert problems(page) == []

    for width in WIDTHS:  # the link is on the screen at both widths
        page.set_viewport_size({"width": width, "height": 900})
        link = mine.get_by_role("link", name=f"Give update on action {cycle}")
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= width, (width, box)
    page.set_viewport_size({"width": 390, "height": 900})
    mine.get_by_role("link", name=f"Give update on action {cycle}").click()
    page.wait_for_url(f"**/actions/{cycle}/update/")
    assert problems(page, home=False) == []

    page.get_by_label("What progress has been made?").fill("Met the directorate leads.")
    page.get_by_label("Green", exact=True).check()
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/my-actions/")
    expect(page.get_by_text(f"Your update on action {cycle} was sent for review.")).to_be_visible()

    page.goto("/")
    expect(mine.get_by_role("link", name=f"Give update on action {cycle}")).to_have_count(0)
    assert problems(page) == []


def test_governance_follows_the_waiting_updates_to_the_queue_and_accepts_one(cycle, page):
    sign_in(page, GOVERNANCE_USERNAME)
    ours = page.locator("#for-governance")
    waiting = ours.get_by_role("link", name="2 updates waiting for review")
    expect(waiting).to_be_visible()
    expect(ours.get_by_text("Leads not yet updated")).to_be_visible()
    assert problems(page) == []

    page.set_viewport_size({"width": 390, "height": 900})
    waiting.click()
    page.wait_for_url("**/periods/2016-17-q4/review/")
    assert problems(page, home=False) == []
    accept = page.get_by_role("button", name=re.compile(r"^Accept the update on action")).first
    with page.expect_navigation():
        accept.click()
    assert problems(page, home=False) == []

    page.goto("/")
    expect(ours.get_by_role("link", name="1 update waiting for review")).to_be_visible()


def test_a_board_member_sees_the_latest_paper_and_the_rag_mix(board, page):
    sign_in(page, BOARD_USERNAME)
    ours = page.locator("#for-the-board")
    expect(ours.get_by_role("heading", name="For the board")).to_be_visible()
    expect(ours.get_by_role("link", name="2016/17 Q3 paper", exact=True)).to_be_visible()
    expect(ours.get_by_role("link", name=re.compile(r"^Web page \(HTML\)"))).to_be_visible()
    expect(ours.locator(".nhsuk-tag", has_text=re.compile(r"^Green: \d+$"))).to_be_visible()
    expect(ours.get_by_text("Exceptions", exact=True)).to_be_visible()
    expect(page.locator("#your-actions")).to_have_count(0)
    expect(page.locator("#for-governance")).to_have_count(0)
    assert problems(page) == []

    ours.get_by_role("link", name="2016/17 Q3 paper", exact=True).click()
    page.wait_for_url("**/papers/2016-17-q3/")
