"""The "Service user engagement" section in every format the paper is made in, read back
with the real readers (the HTML parsed, pypdf, python-docx, openpyxl): its heading, the
figures worked by hand in ``engagement_fixture``, the chart and its data table, the
reward totals, nothing of the private register but those totals, and no such section
for a strategy without activities.

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
from planboard.papers.engagement_section import TITLE
from planboard.papers.formats import FORMATS, render
from planboard.papers.generation import write_paper
from planboard.progress.services import close_period, open_period
from tests.builders import make_action, make_strategy, make_theme
from tests.papers.engagement_fixture import (
    ACCESS_MARKER,
    CONTACT_MARKER,
    MAP,
    NAME_MARKER,
    RATE,
    TREND,
    make_engagement_strategy,
)
from tests.papers.html_reader import parse
from tests.papers.word import word
from tests.progress.cycle import Q4

pytestmark = pytest.mark.django_db

NEVER_PRINTED = (NAME_MARKER, CONTACT_MARKER, ACCESS_MARKER, RATE, "Registered-person")
GAPS = "No engagement in 2016/17 Q4: Community, Pharmacy."
SERVED = "Served by no activity in 2016/17 Q4: 1.3 We will do thing 3."
OUTCOMES = "3 activities ended in 2016/17 Q4: 2 recorded what changed because of it"


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker):
    """Every format of the Q4 paper of the engagement strategy, and of a strategy with none."""
    with django_db_blocker.unblock(), transaction.atomic():
        strategy, gail = make_engagement_strategy("eng-formats", "gail-eng-formats")
        period = close_period(open_period(strategy, Q4, user=gail), user=gail)
        made = {name: write_paper(strategy, period, name).content for name in FORMATS}
        bare = make_strategy(slug="no-engagement-formats")
        make_action(make_theme(bare, commitments=1), "Do the thing.")
        without = {name: render(build_paper(bare), name) for name in FORMATS}
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


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.all() if c.tag in ("th", "td")] for row in table.all("tr")]


def test_every_format_is_tested_here(files):
    assert set(files[0]) == set(FORMATS) == {"html", "pdf", "docx", "xlsx"}


def test_the_html_section(files):
    page = parse(files[0]["html"].decode())
    section = page.section("paper-engagement")
    assert page.by_id("paper-engagement").text == TITLE
    tables = section.all("table")
    assert _rows(tables[0])[1:] == MAP
    (tag,) = [t for t in tables[0].all("strong") if t.text == "Co-produce"][:1]
    assert "nhsuk-tag--purple" in tag.classes
    (chart,) = section.all("img")
    assert chart.attrs["src"].startswith("data:image/svg+xml;base64,")
    assert (
        "2016/17 Q4: 1 inform, 1 consult, 1 involve, 0 collaborate, 1 co-produce"
        in (chart.attrs["alt"])
    )
    assert _rows(tables[1])[1:] == TREND
    assert _rows(tables[2])[1:] == [
        ["Service users", "36"],
        ["Experts by Experience", "4"],
        ["Carers", "2"],
    ]
    assert _rows(tables[3])[1:] == [
        ["Due for involvement in 2016/17 Q4", "5", "£105.50"],
        ["Paid in 2016/17 Q4", "fewer than 5", "not shown"],
    ]
    text = section.text
    assert GAPS in text and SERVED in text and OUTCOMES in text


def test_the_pdf_section(files):
    text = _pdf_text(files[0]["pdf"])
    assert TITLE in text
    assert "Acute 1 1 0 0 1 3 Co-produce" in text
    assert "2016/17 Q3 1 0 1 0 0 2" in text and "2016/17 Q4 1 1 1 0 1 4" in text
    assert "Due for involvement in 2016/17 Q4 5 £105.50" in text
    assert "Paid in 2016/17 Q4 fewer than 5 not shown" in text
    assert GAPS in text and OUTCOMES in text


def test_the_word_section(files):
    document = word(files[0]["docx"])
    assert TITLE in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    tables = {table.rows[0].cells[0].text: table for table in document.tables}
    assert [[c.text for c in row.cells] for row in tables["Directorate"].rows[1:]] == MAP
    assert [[c.text for c in row.cells] for row in tables["Quarter"].rows[1:]] == TREND
    reward = [[c.text for c in row.cells] for row in tables["Reward"].rows[1:]]
    assert reward[1] == ["Paid in 2016/17 Q4", "fewer than 5", "not shown"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert GAPS in body and SERVED in body and OUTCOMES in body
    pictures = document.inline_shapes
    assert len(pictures) == 2  # the RAG chart and the engagement chart
    assert "2016/17 Q3: 1 inform" in pictures[1]._inline.docPr.get("descr")


def test_the_excel_sheet(files):
    workbook = load_workbook(io.BytesIO(files[0]["xlsx"]))
    assert workbook.sheetnames[:4] == ["Cover", "Summary", "Exceptions", "Engagement"]
    sheet = workbook["Engagement"]
    assert sheet["A1"].value == TITLE
    rows = [list(row[:8]) for row in sheet.iter_rows(min_row=6, max_row=10, values_only=True)]
    assert rows == [[r[0], *map(int, r[1:7]), r[7]] for r in MAP]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    start = values.index("Quarter")
    assert values[start + 7 : start + 35] == [
        v if i % 7 == 0 else int(v) for r in TREND for i, v in enumerate(r)
    ]
    assert GAPS in values and SERVED in values
    due = values.index("Due for involvement in 2016/17 Q4")
    assert values[due + 1 : due + 6] == [
        5,
        105.5,
        "Paid in 2016/17 Q4",
        "fewer than 5",
        "not shown",
    ]


@pytest.mark.parametrize("name", ["html", "pdf", "docx", "xlsx"])
def test_nothing_of_the_register_but_its_totals_is_printed(files, name):
    text = _texts(files[0])[name]
    assert "105.50" in text or "105.5" in text
    for marker in NEVER_PRINTED:
        assert marker not in text


@pytest.mark.parametrize("name", ["html", "pdf", "docx", "xlsx"])
def test_a_strategy_without_activities_has_no_section(files, name):
    text = _texts(files[1])[name]
    assert "Do the thing." in text
    assert TITLE not in text and "Reward for involvement" not in text
