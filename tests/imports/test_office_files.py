"""Every Word document and workbook is checked by the parts its reader will parse, not by
what their names suggest, and a zip that lies about its sizes is not unpacked past them:
through the table import (the function, the web page, the command) and the paper import
(the function, the command), each hostile file is refused in one line naming it, within
the time and memory limits, leaving the database as it was.

The files are built by tests/imports/hostile/packages.py; its README.md lists them.
"""

import functools
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from planboard.imports.docx_paper import docx_to_text
from planboard.imports.errors import PaperError
from planboard.imports.services import import_paper
from planboard.imports.tables import read_table_bytes
from planboard.lib import office
from tests.bounds import cost_of, database_fingerprint, refused_within_limits
from tests.imports.docx_builder import build_docx
from tests.imports.hostile import builders, packages

PAPER = (
    "Plan - v1\n\nTheme: One\n\n1. We will.\n\n"
    "Area\tAction\tDue\tRAG\tLead\nA 1\tDo it.\tMar 17\t\tEM\n"
)
NUMBERED_PARAGRAPH = "<w:p><w:r><w:t>Action {}</w:t></w:r></w:p>"
DOCUMENT = "word/document.xml"
IN_MEDIA = "word/media/document.xml"


def table_docx() -> bytes:
    return builders.save_docx(builders.docx_table([["Ref", "Action"], ["1.1", "Do it"]]))


def workbook() -> bytes:
    return packages.with_shared_strings(
        builders.xlsx(("Plan", [["Ref", "Action"], ["1.1", "Do it"]]))
    )


def strings_in_media(data: bytes) -> bytes:
    return packages.moved(data, {"xl/sharedStrings.xml": "xl/media/sharedStrings.xml"})


@functools.cache
def hostile(case: str) -> tuple[bytes, str, str]:
    """The file, its name, and what its refusal says after the name."""
    paper = build_docx(PAPER)
    cases = {
        "main document in media, too large": (
            lambda: packages.numbered(
                packages.moved(paper, {DOCUMENT: IN_MEDIA}),
                IN_MEDIA,
                b"<w:sectPr",
                NUMBERED_PARAGRAPH,
                20,
            ),
            "paper.docx",
            "the file holds 20 MB of XML to read at once, more than the 16 MB allowed",
        ),
        "styles in media with entities": (
            lambda: packages.with_doctype(
                packages.moved(paper, {"word/styles.xml": "word/media/styles.xml"}),
                "word/media/styles.xml",
            ),
            "paper.docx",
            "the part word/media/styles.xml holds a document type declaration (DTD)",
        ),
        "a zip that lies about its sizes": (
            lambda: packages.lying(paper, DOCUMENT, b"<w:sectPr", packages.PARAGRAPH, 1000),
            "paper.docx",
            "the Word document is damaged and cannot be read (BadZipFile)",
        ),
        "shared strings in media, too large": (
            lambda: packages.numbered(
                strings_in_media(workbook()),
                "xl/media/sharedStrings.xml",
                b"</sst>",
                "<si><t>Action {}</t></si>",
                20,
            ),
            "plan.xlsx",
            "the file holds 19 MB of XML to read at once, more than the 16 MB allowed",
        ),
        "shared strings in media with entities": (
            lambda: packages.with_doctype(
                strings_in_media(workbook()), "xl/media/sharedStrings.xml"
            ),
            "plan.xlsx",
            "the file contains XML entity definitions (in xl/media/sharedStrings.xml), "
            "which are not allowed",
        ),
        "a workbook that lies about its sizes": (
            lambda: packages.lying(
                workbook(), "xl/sharedStrings.xml", b"</sst>", b"<si><t>x</t></si>", 1000
            ),
            "plan.xlsx",
            "the zip is damaged (Bad CRC-32 for file 'xl/sharedStrings.xml')",
        ),
        "styles of a table in media with entities": (
            lambda: packages.with_doctype(
                packages.moved(table_docx(), {"word/styles.xml": "word/media/styles.xml"}),
                "word/media/styles.xml",
            ),
            "plan.docx",
            "the file contains XML entity definitions (in word/media/styles.xml), "
            "which are not allowed",
        ),
    }
    make, name, says = cases[case]
    return make(), name, says


PAPER_CASES = [
    "main document in media, too large",
    "styles in media with entities",
    "a zip that lies about its sizes",
]
TABLE_CASES = [
    "shared strings in media, too large",
    "shared strings in media with entities",
    "a workbook that lies about its sizes",
    "styles of a table in media with entities",
]


# The paper import ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", PAPER_CASES)
def test_the_paper_import_refuses_a_hostile_word_document_within_limits(case, tmp_path):
    data, name, says = hostile(case)
    path = tmp_path / name
    path.write_bytes(data)
    before = database_fingerprint()
    cost = refused_within_limits(import_paper, path, expect=PaperError)
    assert str(cost.error).startswith(f"{name}: {says}"), cost.error
    assert database_fingerprint() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", PAPER_CASES)
def test_the_import_paper_command_refuses_it_in_one_line(case, tmp_path):
    data, name, says = hostile(case)
    path = tmp_path / name
    path.write_bytes(data)
    before = database_fingerprint()
    cost = refused_within_limits(call_command, "import_paper", str(path), expect=CommandError)
    message = str(cost.error)
    assert message.startswith(f"{name}: {says}") and "\n" not in message
    assert database_fingerprint() == before


def test_a_small_paper_whose_main_document_is_in_media_reads_as_it_would_elsewhere():
    """Safe to accept: its XML was counted and searched wherever it lives."""
    paper = build_docx(PAPER)
    moved = packages.moved(paper, {DOCUMENT: IN_MEDIA})
    assert docx_to_text(moved, "paper.docx") == docx_to_text(paper, "paper.docx")


# The table import ---------------------------------------------------------------------


@pytest.mark.parametrize("case", TABLE_CASES)
def test_the_table_reader_refuses_a_hostile_file_within_limits(case):
    data, name, says = hostile(case)
    cost = refused_within_limits(read_table_bytes, data, name, expect=PaperError)
    assert str(cost.error) == f"{name}: {says}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", TABLE_CASES)
def test_the_import_table_command_refuses_it_in_one_line(case, tmp_path):
    data, name, says = hostile(case)
    path = tmp_path / name
    path.write_bytes(data)
    before = database_fingerprint()
    cost = refused_within_limits(
        call_command, "import_table", str(path), strategy="plan", expect=CommandError
    )
    assert str(cost.error) == f"{name}: {says}"
    assert database_fingerprint() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", TABLE_CASES)
def test_the_import_page_refuses_it_naming_the_file(case, client, cast):
    from planboard.plans.models import Strategy

    Strategy.objects.create(slug="demo", title="Demo")
    client.force_login(cast.gail)
    assert client.get("/strategies/demo/import/").status_code == 200  # the first page costs
    data, name, says = hostile(case)
    before = database_fingerprint()
    upload = SimpleUploadedFile(name, data)
    cost = cost_of(client.post, "/strategies/demo/import/", {"file": upload})
    assert cost.within_limits(), cost
    assert cost.result.status_code == 400
    assert says.split(" (")[0] in cost.result.content.decode()
    assert database_fingerprint() == before


def test_a_workbook_whose_shared_strings_are_in_media_reads_as_it_would_elsewhere():
    table = read_table_bytes(strings_in_media(workbook()), "plan.xlsx")
    assert [row.cells for row in table.rows] == [("Ref", "Action"), ("1.1", "Do it")]


def test_shared_strings_among_the_sheets_still_count_as_xml_held_in_memory(settings):
    """Only a part that is a worksheet, and nothing else, is streamed by openpyxl."""
    data = packages.moved(workbook(), {"xl/sharedStrings.xml": "xl/worksheets/strings.xml"})
    contents = packages.parts(data)
    settings.OFFICE_MAX_XML_BYTES = sum(map(len, contents.values())) - len(
        contents["xl/worksheets/sheet1.xml"]
    )
    assert len(read_table_bytes(data, "plan.xlsx").rows) == 2
    contents["xl/worksheets/strings.xml"] = contents["xl/worksheets/strings.xml"].replace(
        b"</sst>", b"<si><t>One more</t></si></sst>"
    )
    bigger = packages.zipped(contents)
    with pytest.raises(PaperError, match="of XML to read at once"):
        read_table_bytes(bigger, "plan.xlsx")


# What is searched ---------------------------------------------------------------------


def with_picture(data: bytes, relationship: str, content_type: str = "image/svg+xml") -> bytes:
    """``data`` with an SVG picture holding a DOCTYPE at word/media/image9.svg, pointed
    at from the document by a relationship of type ``relationship``."""
    contents = packages.parts(data)
    contents["word/media/image9.svg"] = (
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"><svg xmlns="http://www.w3.org/2000/svg"/>'
    )
    contents["[Content_Types].xml"] = contents["[Content_Types].xml"].replace(
        b"</Types>", f'<Default Extension="svg" ContentType="{content_type}"/></Types>'.encode()
    )
    rels = "word/_rels/document.xml.rels"
    contents[rels] = contents[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        + relationship.encode()
        + b'" Target="media/image9.svg"/></Relationships>',
    )
    return packages.zipped(contents)


def test_a_picture_with_a_doctype_is_accepted_when_only_a_picture_points_at_it():
    data = with_picture(table_docx(), "2006/relationships/image")
    assert office.open_office(data, office.WORD).xml_parts
    assert len(read_table_bytes(data, "plan.docx").rows) == 2


@pytest.mark.parametrize(
    ("relationship", "content_type"),
    [
        ("2006/relationships/styles", "image/svg+xml"),
        ("2006/relationships/image", "application/xml"),
    ],
    ids=["read-as-styles", "typed-as-xml"],
)
def test_a_part_in_media_is_searched_when_a_reader_may_parse_it(relationship, content_type):
    data = with_picture(table_docx(), relationship, content_type)
    with pytest.raises(office.Declared) as refused:
        office.open_office(data, office.WORD)
    assert refused.value.part == "word/media/image9.svg"


def test_the_relationships_of_a_picture_are_searched():
    contents = packages.parts(table_docx())
    contents["word/media/_rels/image1.png.rels"] = packages.LAUGHS.encode() + b"<Relationships/>"
    with pytest.raises(office.Declared, match=r"in word/media/_rels/image1.png.rels"):
        office.open_office(packages.zipped(contents), office.WORD)


def test_a_part_that_unpacks_past_its_declared_size_is_stopped_there():
    """zipfile stops at the declared size itself; this is the check that would catch a
    reader or a Python that did not."""

    class Archive:
        def open(self, member):
            return io.BytesIO(b"<a>" + b"x" * 5000 + b"</a>")

    member = zipfile.ZipInfo(DOCUMENT)
    member.file_size = 100
    part = office._Unpacking(Archive(), member)
    with pytest.raises(office.Refused, match="unpacks to more than the 100 bytes"):
        part.read(4096)
