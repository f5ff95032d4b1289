"""The plan on a phone: each row is a card whose essentials are on screen, nothing
scrolls sideways, and axe finds nothing to fix; one page load, checked at two widths.

"On screen" is across: an essential lies between the viewport's left and right edges
as the page opens, without scrolling any region sideways to reach it."""

import pytest

from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser

PHONES = (390, 320)

# Where an element's box lies against the viewport, and whether it shows at all.
PLACE = """e => {
  const box = e.getBoundingClientRect();
  const style = getComputedStyle(e);
  return {left: box.left, right: box.right, width: box.width, height: box.height,
          visible: style.visibility !== "hidden" && style.display !== "none"};
}"""


def on_screen(locator, width) -> str | None:
    """Why ``locator`` is not inside a viewport ``width`` pixels wide, if it is not."""
    place = locator.evaluate(PLACE)
    if not place["visible"] or place["width"] == 0 or place["height"] == 0:
        return "is not shown"
    if place["left"] < 0 or place["right"] > width:
        return f"lies from {place['left']:.0f} to {place['right']:.0f}px"
    return None


def test_the_first_row_of_the_plan_keeps_its_essentials_on_a_phone_screen(page):
    sign_in(page)
    page.set_viewport_size({"width": PHONES[0], "height": 800})
    page.goto("/strategies/sue/")
    row = page.locator("tr.pb-action-row").first
    # The first row's mark when it has one, and the first overdue row's either way.
    marks = [row.locator(".pb-overdue"), page.locator(".pb-overdue").first]
    assert marks[1].count(), "the seed plan, judged today, has overdue actions"
    assert marks[1].inner_text() == "Overdue"
    problems = []
    for width in PHONES:
        page.set_viewport_size({"width": width, "height": 800})
        essentials = {
            "the action's link": row.get_by_role("link").first,
            "the RAG": row.locator(".nhsuk-tag").first,
            "the target": row.locator("td").nth(2),
            "the latest progress": row.locator("td.pb-progress"),
            "the first row's overdue mark": marks[0],
            "an overdue mark": marks[1],
        }
        for name, locator in essentials.items():
            if not locator.count():
                continue
            where = on_screen(locator, width)
            if where:
                problems.append(f"at {width}px {name} {where}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            problems.append(f"at {width}px the page is {wide}px wide")
        problems += [f"at {width}px: {v}" for v in axe_violations(page)]
    assert problems == []
