"""A lead gives a quarterly update with the keyboard alone: Tab, Shift+Tab, Space, Enter, typing."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, USERNAME, in_a_thread

pytestmark = pytest.mark.browser


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          return {
            id: e.id, name: e.name || "", tag: e.tagName,
            text: (e.innerText || "").trim(), href: e.getAttribute("href") || "",
          };
        }"""
    )


def tab_to(page, matches, *, key="Tab", limit=200):
    """Press Tab (or Shift+Tab) until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press(key)
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError(f"{key} never reached the element; last focused {focused(page)}")


def test_a_lead_gives_an_update_with_only_the_keyboard(cycle, page):
    ref = cycle
    page.goto("/sign-in/")
    tab_to(page, lambda e: e["id"] == "id_username")
    page.keyboard.type(USERNAME)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)

    tab_to(page, lambda e: e["tag"] == "A" and e["text"] == "My actions")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-actions/")
    tab_to(page, lambda e: e["href"] == f"/strategies/sue/actions/{ref}/update/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/actions/{ref}/update/")

    tab_to(page, lambda e: e["id"] == "narrative")
    page.keyboard.type("Met the directorate leads; the map is half done.")
    # Tab enters the RAG radios at the first level (none is chosen yet); Space chooses it.
    assert tab_to(page, lambda e: e["name"] == "rag")["id"] == "rag"
    page.keyboard.press("Space")
    expect(page.get_by_label("Green", exact=True)).to_be_checked()
    tab_to(page, lambda e: e["name"] == "target_moves")
    page.keyboard.press("Space")  # reveals the new date and its reason
    tab_to(page, lambda e: e["id"] == "target-date-month")
    page.keyboard.type("9")
    page.keyboard.press("Tab")
    page.keyboard.type("2071")  # a slip of the fingers ...
    tab_to(page, lambda e: e["id"] == "target-reason")
    page.keyboard.type("The directorate leads changed in March.")
    tab_to(page, lambda e: e["id"] == "target-date-year", key="Shift+Tab")
    page.keyboard.type("2017")  # ... put right: tabbing into a field selects what it holds
    expect(page.get_by_label("Year")).to_have_value("2017")
    tab_to(page, lambda e: e["tag"] == "BUTTON" and e["text"] == "Send for review")
    page.keyboard.press("Enter")

    page.wait_for_url("**/my-actions/")
    expect(page.get_by_text(f"Your update on action {ref} was sent for review.")).to_be_visible()
    row = page.locator(f"#my-action-sue-{ref.replace('.', '-')}")
    expect(row.get_by_text("Waiting for review")).to_be_visible()

    def saved():
        from planboard.progress.models import Update

        theme, number = (int(part) for part in ref.split("."))
        update = Update.objects.select_related("proposed_rag", "submitted_by").get(
            action__theme__strategy__slug="sue",
            action__theme__number=theme,
            action__number=number,
        )
        return {
            "narrative": update.narrative,
            "rag": update.proposed_rag.label,
            "target": update.new_target_display,
            "reason": update.target_change_reason,
            "by": update.submitted_by.username,
            "status": update.status,
        }

    assert in_a_thread(saved) == {
        "narrative": "Met the directorate leads; the map is half done.",
        "rag": "Green",
        "target": "Sep 2017",
        "reason": "The directorate leads changed in March.",
        "by": USERNAME,
        "status": "submitted",
    }
