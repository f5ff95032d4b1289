"""The "you said, we did" section in every format the paper is made in, read back with
the real readers (the HTML parsed, pypdf, python-docx, openpyxl): its heading, the
figures worked by hand in ``feedback_fixture``, the chart and its data table, the
quarter's one published "you said, we did", nothing unpublished or staff-only, and no
such section for a strategy without feedback.

Each format is written once for this file (paper generation is slow), through the
worker's own ``write_paper``; the data behind it is rolled back afterwards.
"""

import io
import zipfile

import pytest
from django.db import transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from planboard.papers.content import build_paper
from planboard.papers.feedback_section import TITLE
from planboard.papers.formats import FORMATS, render
from planboard.papers.generation import write_paper
from planboard.progress.services import close_period, open_period
from tests.builders import make_action, make_strategy, make_theme
from tests.papers.feedback_fixture import (
    DRAFT,
    EARLIER,
    SECRET_TEXT,
    STAFF_ONLY,
    WE_DID,
    WITHDRAWN,
    YOU_SAID,
    make_feedback_strategy,
)
from tests.papers.html_reader import parse
from tests.papers.word import word
from tests.progress.cycle import Q4

# The database is set up for this file even when it runs alone.
pytestmark = pytest.mark.django_db

NEVER_PRINTED = (SECRET_TEXT, STAFF_ONLY, WITHDRAWN, DRAFT, EARLIER)
FIGURES = [
    ["Whole strategy", "4", "4", "75%", "2", "no data"],
    ["Adult services", "2", "3", "67%", "1", "no data"],
    ["Community services", "1", "10", "100%", "1", "no data"],
]
TREND = [
    ["2016/17 Q1", "0", "0"],
    ["2016/17 Q2", "0", "0"],
    ["2016/17 Q3", "1", "0"],
    ["2016/17 Q4", "4", "2"],
]


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker):
    """Every format of the Q4 paper of the feedback strategy, and of a strategy with none."""
    with django_db_blocker.unblock(), transaction.atomic():
        strategy, gail = make_feedback_strategy("fb-formats", "gail-formats")
        period = close_period(open_period(strategy, Q4, user=gail), user=gail)
        made = {name: write_paper(strategy, period, name).content for name in FORMATS}
        bare = make_strategy(slug="no-feedback-formats")
        make_action(make_theme(bare, commitments=1), "Do the thing.")
        paper = build_paper(bare)
        without = {name: render(paper, name) for name in FORMATS}
        transaction.set_rollback(True)
    return made, without


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def _texts(made) -> dict[str, str]:
    return {
        "html": made["html"].decode(),
        "pdf": _pdf_text(made["pdf"]),
        "docx": _zip_text(made["docx"]),
        "xlsx": _zip_text(made["xlsx"]),
    }


def test_every_format_is_tested_here(files):
    assert set(files[0]) == set(FORMATS) == {"html", "pdf", "docx", "xlsx"}


def test_the_html_section(files):
    page = parse(files[0]["html"].decode())
    section = page.section("paper-feedback")
    assert page.by_id("paper-feedback").text == TITLE
    tables = section.all("table")
    rows = [
        [cell.text for cell in row.all() if cell.tag in ("th", "td")] for row in tables[0].all("tr")
    ]
    assert rows[1:] == FIGURES
    assert tables[0].all("caption")[0].text == "Feedback figures for 2016/17 Q4"
    (chart,) = section.all("img")
    assert chart.attrs["src"].startswith("data:image/svg+xml;base64,")
    assert "2016/17 Q4: 4 received, 2 changes made" in chart.attrs["alt"]
    trend = [
        [cell.text for cell in row.all() if cell.tag in ("th", "td")] for row in tables[1].all("tr")
    ]
    assert trend == [["Quarter", "Items received", "Changes made"], *TREND]
    text = section.text
    assert YOU_SAID in text and WE_DID in text and "1.1 We will do thing 1." in text
    assert "20 February 2017" in text


def test_the_pdf_section(files):
    text = _pdf_text(files[0]["pdf"])
    assert TITLE in text
    assert "Whole strategy 4 4 75% 2 no data" in text
    assert "Adult services 2 3 67% 1 no data" in text
    assert "2016/17 Q3 1 0 2016/17 Q4 4 2" in text
    assert YOU_SAID in text and WE_DID in text


def test_the_word_section(files):
    document = word(files[0]["docx"])
    assert TITLE in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    tables = {table.rows[0].cells[0].text: table for table in document.tables}
    figures = [[c.text for c in row.cells] for row in tables["Directorate"].rows[1:]]
    assert figures == FIGURES
    trend = [[c.text for c in row.cells] for row in tables["Quarter"].rows[1:]]
    assert trend == TREND
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"You said: {YOU_SAID}" in body and f"We did: {WE_DID}" in body
    assert "Commitments served: 1.1 We will do thing 1." in body
    pictures = document.inline_shapes
    assert len(pictures) == 2  # the RAG chart and the feedback chart
    alt = pictures[1]._inline.docPr.get("descr")
    assert "2016/17 Q4: 4 received, 2 changes made" in alt


def test_the_excel_sheet(files):
    workbook = load_workbook(io.BytesIO(files[0]["xlsx"]))
    assert workbook.sheetnames[:4] == ["Cover", "Summary", "Exceptions", "Feedback"]
    sheet = workbook["Feedback"]
    assert sheet["A1"].value == TITLE
    rows = [list(row) for row in sheet.iter_rows(min_row=6, max_row=8, values_only=True)]
    assert rows[0] == ["Whole strategy", 4, 4, 0.75, 2, "no data"]
    assert rows[1][:5] == ["Adult services", 2, 3, pytest.approx(2 / 3), 1]
    assert sheet["D6"].number_format == "0%"
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    start = values.index("Quarter")
    assert values[start + 3 : start + 15] == [
        "2016/17 Q1",
        0,
        0,
        "2016/17 Q2",
        0,
        0,
        "2016/17 Q3",
        1,
        0,
        "2016/17 Q4",
        4,
        2,
    ]
    assert YOU_SAID in values and WE_DID in values and "20 February 2017" in values


@pytest.mark.parametrize("name", ["html", "pdf", "docx", "xlsx"])
def test_nothing_unpublished_or_staff_only_is_printed(files, name):
    text = _texts(files[0])[name]
    assert YOU_SAID in text
    for marker in NEVER_PRINTED:
        assert marker not in text


@pytest.mark.parametrize("name", ["html", "pdf", "docx", "xlsx"])
def test_a_strategy_without_feedback_has_no_section(files, name):
    text = _texts(files[1])[name]
    assert "Do the thing." in text
    assert TITLE not in text and "You said" not in text
