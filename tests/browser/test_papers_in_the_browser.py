"""The Papers page in Chromium: a file made in the background and followed by the page's
script, downloaded and opened; the cover sheet edited with an error on the way; the chart
shown as an image; axe-core's WCAG 2.2 AA rules on each state."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import GOVERNANCE_USERNAME, axe_violations, in_a_thread, sign_in
from tests.worker_process import worker

pytestmark = pytest.mark.browser

PAPER = "/strategies/sue/papers/2016-17-q3/"


def report(found):
    return "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)


def test_a_pdf_is_made_in_the_background_and_the_page_shows_it_when_ready(
    cycle, page, settings, tmp_path
):
    settings.PAPERS_IN_BACKGROUND = True
    sign_in(page, GOVERNANCE_USERNAME)
    page.goto(PAPER)
    page.get_by_label("PDF").check()
    page.get_by_role("button", name="Make the file").click()
    expect(page.get_by_text("sue-2016-17-q3-paper.pdf is being made")).to_be_visible()
    # A worker started now makes it; the page's script follows the job and reloads the
    # page once it is done.
    download_link = page.get_by_role("link", name="sue-2016-17-q3-paper.pdf")
    with worker(tmp_path):
        expect(download_link).to_be_visible(timeout=90_000)
    found = {"paper page with a file": axe_violations(page)}
    with page.expect_download() as waiting:
        download_link.click()
    with open(waiting.value.path(), "rb") as file:
        pdf = PdfReader(io.BytesIO(file.read()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Service User Engagement Strategy" in text
    assert not any(found.values()), report(found)


def test_an_excel_file_is_made_downloaded_and_opened(cycle, page):
    sign_in(page, GOVERNANCE_USERNAME)
    page.goto(PAPER)
    page.get_by_label("Excel (XLSX)").check()
    page.get_by_role("button", name="Make the file").click()
    expect(page.get_by_text("sue-2016-17-q3-paper.xlsx is ready to download")).to_be_visible()
    with page.expect_download() as waiting:
        page.get_by_role("link", name="sue-2016-17-q3-paper.xlsx").click()
    assert waiting.value.suggested_filename == "sue-2016-17-q3-paper.xlsx"
    with open(waiting.value.path(), "rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    themes = [f"Theme {n}" for n in range(1, 7)]
    assert workbook.sheetnames == [
        "Cover",
        "Summary",
        "Exceptions",
        *themes,
        "All actions",
        "Appendix",
    ]


def test_the_chart_shows_as_an_image_beside_its_table(cycle, page):
    sign_in(page)
    page.goto(PAPER)
    chart = page.locator("figure img").first
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "table" in (chart.get_attribute("alt") or "")
    expect(page.get_by_role("table", name="RAG ratings by theme")).to_be_visible()


def test_the_cover_sheet_is_edited_with_an_error_on_the_way(cycle, page):
    sign_in(page, GOVERNANCE_USERNAME)
    page.goto(PAPER)
    page.get_by_role("link", name="Edit the cover sheet and summary report").click()
    found = {"cover sheet": axe_violations(page)}
    page.get_by_label("Meeting", exact=True).fill("Quality Assurance Committee")
    meeting_date = page.get_by_role("group", name="Meeting date")
    meeting_date.get_by_label("Day").fill("31")
    meeting_date.get_by_label("Month").fill("Feb")
    meeting_date.get_by_label("Year").fill("2017")
    page.get_by_role("button", name="Save the cover sheet").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    found["cover sheet with an error"] = axe_violations(page)
    page.get_by_role("link", name="The meeting date must be a real date").click()
    expect(meeting_date.get_by_label("Day")).to_be_focused()  # the box to fix
    meeting_date.get_by_label("Day").fill("27")
    meeting_date.get_by_label("Month").fill("April")
    page.get_by_role("button", name="Save the cover sheet").click()
    expect(page.get_by_text("The cover sheet of the paper for 2016/17 Q3 is saved")).to_be_visible()
    expect(page.get_by_text("27 April 2017").first).to_be_visible()
    assert not any(found.values()), report(found)

    def saved():
        from planboard.papers.models import CoverSheet

        return CoverSheet.objects.get(period__label="2016/17 Q3").meeting

    assert in_a_thread(saved) == "Quality Assurance Committee"


def test_every_format_is_made_at_once_then_marked_out_of_date_and_made_again_without_scripts(
    cycle, browser, live_server
):
    from tests.browser.conftest import open_page

    page = open_page(browser, live_server, java_script_enabled=False)
    sign_in(page, GOVERNANCE_USERNAME)
    page.goto(PAPER)
    page.get_by_role("button", name="Make all formats").click()
    expect(page.get_by_text("are ready to download")).to_be_visible()
    files = page.get_by_role("table", name="Files made of this paper, newest first")
    expect(files.get_by_text("Ready", exact=True)).to_have_count(4)

    page.get_by_role("link", name="Edit the cover sheet").click()
    page.get_by_label("Title", exact=True).fill("A title changed after the files were made")
    page.get_by_role("button", name="Save the cover sheet").click()
    expect(files.get_by_text("Out of date", exact=True)).to_have_count(4)
    expect(
        files.get_by_text("The cover sheet has changed since this file was made.")
    ).to_have_count(4)
    # (axe-core checks these states, with and without scripts, in test_every_page.py.)
    page.get_by_role("button", name="Make it again as PDF").click()
    expect(page.get_by_text("sue-2016-17-q3-paper.pdf is ready to download")).to_be_visible()
    expect(files.get_by_text("Ready", exact=True)).to_have_count(1)
    expect(files.get_by_role("button", name="Make it again as PDF")).to_have_count(0)
    expect(files.get_by_role("button", name="Make it again as Word (DOCX)")).to_have_count(1)
    with page.expect_download() as waiting:  # an out-of-date copy still downloads
        files.get_by_role("link", name="sue-2016-17-q3-paper.docx").click()
    assert waiting.value.suggested_filename == "sue-2016-17-q3-paper.docx"
