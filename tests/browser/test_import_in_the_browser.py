"""The import page in a browser: each step passes axe-core, and an import goes through."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import GOVERNANCE_USERNAME, axe_violations, sign_in

pytestmark = pytest.mark.browser

CSV = (
    b"Workstream,Description,Owner,Due,Status,Notes\n"
    b"Patient voice,Run a listening event in each directorate.,EM,31/03/2017,In progress,Booked\n"
    b",Write a leaflet on giving feedback.,Head of SUEMU,June 2017,Not started,\n"
)
BAD_DATE = CSV + b"Training,Train two more facilitators.,EM,sometime soon,Not started,\n"


def choose(page, data, name="workplan.csv"):
    page.get_by_label("Table of actions").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Upload and preview").click()


def test_the_import_pages_have_no_accessibility_violations(cycle, page):
    sign_in(page, GOVERNANCE_USERNAME)
    found = {}
    assert page.goto("/strategies/sue/import/").status == 200
    found["upload"] = axe_violations(page)

    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    found["upload with an error"] = axe_violations(page)

    choose(page, BAD_DATE)
    expect(page.get_by_role("heading", name="Rows that cannot be read (1)")).to_be_visible()
    found["preview with a problem row"] = axe_violations(page)

    page.get_by_label("Field for the column Notes").select_option("lead")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    found["preview with a mapping error"] = axe_violations(page)

    assert not any(found.values()), "\n".join(
        f"{name}: {v}" for name, vs in found.items() for v in vs
    )


def test_governance_imports_a_table_from_the_plan_page(cycle, page):
    sign_in(page, GOVERNANCE_USERNAME)
    page.goto("/strategies/sue/")
    page.get_by_role("link", name="Import a table of actions").click()

    choose(page, CSV)
    page.get_by_label("Field for the column Notes").select_option("progress")
    page.get_by_role("button", name="Update the preview").click()
    page.get_by_role("button", name="Import 2 actions").click()

    expect(page.get_by_text("workplan.csv is imported")).to_be_visible()
    assert page.url.endswith("/strategies/sue/")
