"""A board paper's pasted text made into the Word document it was pasted from.

So tests can have the seed paper as a .docx without shipping a binary. Each line that
is not part of a table is a paragraph (a blank line an empty one); each run of
tab-separated lines is a Word table. Inside a cell, the paper's HTML is made into what
Word holds: block tags start new paragraphs, "•" items are bulleted list paragraphs,
tick boxes are checkbox content controls, other tags are dropped. An empty area cell
under an area is merged into it (a vertical merge), and a row shorter than its table
ends in a cell spanning the remaining columns. With ``numbered=True`` each run of
numbered lines ("1. We will ...") is a Word numbered list starting at its first number,
the numbers drawn by Word rather than typed.
"""

import html
import io
import re
import zipfile

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6])\b[^>]*>", re.IGNORECASE)
_BULLETS = re.compile(r"\s*[•▪●◦]\s*")
_BOX = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_NUMBERED = re.compile(r"^(?P<number>\d{1,3})\. (?P<text>\S.*)$")
_AREA_WITH_NUMBERS = re.compile(r"\d[\d,\s]*$")
_CHECKBOX = (
    '<w:sdt {ns}><w:sdtPr><w14:checkbox><w14:checked w14:val="{checked}"/>'
    '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
    '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
    "<w:sdtContent><w:r><w:t>{mark}</w:t></w:r></w:sdtContent></w:sdt>"
)
_W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def build_docx(text: str, *, numbered: bool = False) -> bytes:
    """The paper ``text`` as the bytes of a .docx file."""
    document = Document()
    lists = _Lists(document) if numbered else None
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if "\t" in lines[index]:
            end = index
            while end < len(lines) and "\t" in lines[end]:
                end += 1
            _add_table(document, [line.split("\t") for line in lines[index:end]])
            if lists:
                lists.end()
            index = end
            continue
        line = lines[index]
        match = _NUMBERED.match(line) if lists else None
        if match:
            paragraph = document.add_paragraph(match.group("text"), style="List Number")
            lists.number(paragraph, int(match.group("number")))
        else:
            document.add_paragraph(line)
            if lists:
                lists.end()
        index += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_table(document, rows: list[list[str]]) -> None:
    width = max(len(cells) for cells in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for at, cells in enumerate(rows):
        if len(cells) < width:
            table.cell(at, len(cells) - 1).merge(table.cell(at, width - 1))
        for column, value in enumerate(cells):
            _fill(table.cell(at, column), value)
    _merge_areas(table, rows)


def _merge_areas(table, rows: list[list[str]]) -> None:
    """Merge each empty first cell into the area named above it. A first row is an area
    only when it cites commitments ("SUEMU 1,2,3"): otherwise it is a header."""
    anchor = None
    for at, cells in enumerate(rows):
        first = cells[0].strip()
        if first:
            cites = _AREA_WITH_NUMBERS.search(first)
            anchor = at if at > 0 or cites else None
        elif anchor is not None and any(cell.strip() for cell in cells):
            table.cell(anchor, 0).merge(table.cell(at, 0))
        else:
            anchor = None


def _fill(cell, value: str) -> None:
    paragraphs = cell_paragraphs(value)
    for number, (text, bullet) in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if bullet:
            paragraph.style = "List Bullet"
        _add_text(paragraph, text)


def cell_paragraphs(value: str) -> list[tuple[str, bool]]:
    """A pasted cell as (text, is a bullet) paragraphs; tick boxes as ☐ and ☒."""
    value = _BOX.sub(lambda m: "☒" if "checked" in m.group().lower() else "☐", value)
    found = []
    for line in _BLOCK_TAG.sub("\n", value).splitlines():
        first, *items = _BULLETS.split(line)
        found += [(first, False), *((item, True) for item in items)]
    cleaned = ((" ".join(html.unescape(_TAG.sub("", t)).split()), b) for t, b in found)
    return [(text, bullet) for text, bullet in cleaned if text]


def _add_text(paragraph, text: str) -> None:
    """Text with each ☐ or ☒ as a Word checkbox content control."""
    for part in re.split(r"([☐☒])", text):
        if part in ("☐", "☒"):
            checked = "1" if part == "☒" else "0"
            xml = _CHECKBOX.format(ns=f"{nsdecls('w')} {_W14}", checked=checked, mark=part)
            paragraph._p.append(parse_xml(xml))
        elif part:
            paragraph.add_run(part)


class _Lists:
    """Numbered lists drawn by Word: a new numbering, restarted, for each run of items."""

    def __init__(self, document):
        self.numbering = document.part.part_related_by(RT.NUMBERING).element
        style_num = document.styles["List Number"].element.pPr.numPr.numId.val
        self.abstract = self.numbering.num_having_numId(style_num).abstractNumId.val
        self.current = None

    def number(self, paragraph, number: int) -> None:
        if self.current is None:
            num = self.numbering.add_num(self.abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(number)
            self.current = num.numId
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = self.current

    def end(self) -> None:
        self.current = None


def seed_docx(seed_path, *, numbered: bool = False) -> bytes:
    return build_docx(seed_path.read_text(encoding="utf-8"), numbered=numbered)


def word_part(docx: bytes, name: str = "word/document.xml") -> bytes:
    """One part of a .docx, for tests that tamper with it."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(name)
