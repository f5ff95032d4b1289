"""Small Word templates for the papers' tests, as a trust might write one, and the
readers the tests open a Word paper with (python-docx, apart from the renderer)."""

import io
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

PLAN_HEADER = ["Area", "Ref", "Action and progress", "Target", "RAG", "Leads"]


def word_template(*paragraphs: str) -> bytes:
    """A tiny Word template of ``paragraphs``, made with python-docx."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The default template as it was before the paper had its front matter, the key of
# roles and people and the board's exceptions apart from the appendix's: a trust's
# template copied from it then must keep making its paper.
OLD_TEMPLATE = Path(__file__).with_name("old-board-paper.docx")


def word(data: bytes):
    return Document(io.BytesIO(data))


def plan_rows(document) -> dict:
    """The rows of every implementation-plan table, by action ref."""
    return {
        row.cells[1].text: row
        for table in document.tables
        if [cell.text for cell in table.rows[0].cells] == PLAN_HEADER
        for row in table.rows[1:]
    }


def fill(cell) -> str | None:
    shading = cell._tc.tcPr.find(qn("w:shd"))
    return None if shading is None else shading.get(qn("w:fill"))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def ink(cell) -> set[str | None]:
    """The text colours of a cell's runs (None: the style's, black)."""
    colours = set()
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            colour = run.font.color
            colours.add(str(colour.rgb) if colour.type is not None else None)
    return colours
