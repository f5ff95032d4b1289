"""A board paper given as a Word document imports exactly as its pasted text does, and a
hostile or mistaken file is refused in one line naming it, leaving the database alone."""

import io
import json
import struct
import time
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from planboard.imports.docx_paper import docx_to_text
from planboard.imports.errors import PaperError
from planboard.imports.services import import_paper
from planboard.papers.models import CoverSheet
from planboard.people.models import Person, Role
from planboard.plans.models import Action, Commitment, Committee, RagLevel, Strategy, Theme
from tests.imports.docx_builder import build_docx, seed_docx, word_part

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def snapshot(strategy: Strategy) -> dict:
    """Everything an import writes, by natural keys (no ids, no file name)."""
    actions = Action.objects.for_strategy(strategy).in_plan_order().with_plan_relations()
    cover = model_to_dict(
        CoverSheet.objects.get(strategy=strategy), exclude=["id", "strategy", "period"]
    )
    return {
        "strategy": model_to_dict(strategy, exclude=["id", "slug", "source_name"]),
        "rag_levels": [
            model_to_dict(level, exclude=["id", "strategy"])
            for level in RagLevel.objects.filter(strategy=strategy).order_by("position")
        ],
        "committees": [
            model_to_dict(committee, exclude=["id", "strategy"])
            for committee in Committee.objects.filter(strategy=strategy).order_by("position")
        ],
        "themes": list(
            Theme.objects.filter(strategy=strategy)
            .order_by("number")
            .values_list("number", "title")
        ),
        "commitments": list(
            Commitment.objects.filter(theme__strategy=strategy)
            .order_by("theme__number", "number")
            .values_list("theme__number", "number", "text")
        ),
        "roles": sorted(
            (role.title, role.abbreviation, tuple(role.aliases), role.in_key)
            for role in Role.objects.filter(strategy=strategy)
        ),
        "people": sorted(
            (
                person.name,
                person.is_ebe_lead,
                person.note,
                sorted(r.title for r in person.roles.all()),
            )
            for person in Person.objects.filter(strategy=strategy)
        ),
        "actions": [
            {
                "ref": action.ref,
                "area": action.area.name if action.area else "",
                "text": action.text,
                "progress": action.progress,
                "target": (action.target_text, action.target_date, action.target_precision),
                "status": action.status,
                "rag_text": action.rag_text,
                "rag_level": action.rag_level.label if action.rag_level else None,
                "lead_text": action.lead_text,
                "leads": sorted(role.title for role in action.leads.all()),
                "commitments": sorted(c.number for c in action.commitments.all()),
                "cited": action.cited_commitments,
                "source_line": action.source_line,
            }
            for action in actions
        ],
        "cover": cover,
    }


def row_counts() -> dict:
    models = [Strategy, Theme, Commitment, Action, Role, Person, RagLevel, Committee, CoverSheet]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seed_as_text(db, seed_path):
    summary = import_paper(seed_path, slug="from-text")
    return summary, snapshot(Strategy.objects.get(slug="from-text"))


def without_slug(summary: dict) -> dict:
    return {name: value for name, value in summary.items() if name != "strategy"}


# -- the seed paper as a Word document ---------------------------------------------------


@pytest.mark.parametrize("numbered", [False, True], ids=["typed-numbers", "word-lists"])
def test_the_seed_as_a_word_document_imports_exactly_as_its_text(
    seed_as_text, seed_path, tmp_path, numbered
):
    path = tmp_path / "sus-engagement-board-paper-2017-03.docx"
    path.write_bytes(seed_docx(seed_path, numbered=numbered))
    summary = import_paper(path, slug="from-word")
    text_summary, text_snapshot = seed_as_text
    assert without_slug(summary) == without_slug(text_summary)
    assert summary["actions"] == 49
    strategy = Strategy.objects.get(slug="from-word")
    assert snapshot(strategy) == text_snapshot
    assert strategy.source_name == path.name


def test_the_seed_as_a_word_document_reads_line_for_line_as_its_text(seed_path):
    """Every paragraph and row is one line, so lines (and actions' source lines) agree."""
    text = docx_to_text(seed_docx(seed_path), "seed.docx")
    pasted = seed_path.read_text(encoding="utf-8").splitlines()
    lines = text.splitlines()
    assert len(lines) == len(pasted)
    assert lines[106] == pasted[106]  # the row naming an area, merged down the rows below
    assert lines[107].startswith("\tEMs are liaising")
    assert lines[10].startswith("ACTION REQUIRED\tThe Board of Directors is asked to:<br>• ")


@pytest.mark.django_db
def test_the_command_imports_a_word_document_and_prints_the_same_summary(seed_path, tmp_path):
    path = tmp_path / "paper.docx"
    path.write_bytes(seed_docx(seed_path))
    out = io.StringIO()
    call_command("import_paper", str(path), "--slug", "sue", stdout=out)
    text_out = io.StringIO()
    call_command("import_paper", str(seed_path), "--slug", "sue-text", stdout=text_out)
    assert without_slug(json.loads(out.getvalue())) == without_slug(json.loads(text_out.getvalue()))
    assert json.loads(out.getvalue())["strategy"] == "sue"


# -- files that are refused ----------------------------------------------------------------


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Area", "Action", "Target date", "RAG", "Lead"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("paper.txt", "Theme: One\n")
    return out.getvalue()


def with_part(docx: bytes, name: str, data: bytes) -> bytes:
    """``docx`` with the part ``name`` replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member), zipfile.ZIP_DEFLATED)
        target.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zeros_member(docx: bytes, megabytes: int, level: int = 6) -> bytes:
    """``docx`` with a part of ``megabytes`` of zeros, streamed so the test stays fast."""
    out = io.BytesIO(docx)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as part:
            block = bytes(1024 * 1024)
            for _ in range(megabytes):
                part.write(block)
    return out.getvalue()


def claiming_size(docx: bytes, name: str, size: int) -> bytes:
    """``docx`` whose zip index claims that ``name`` unpacks to ``size`` bytes."""
    data = bytearray(docx)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)


def bad_crc(docx: bytes) -> bytes:
    """``docx`` with its document stored unpacked and one byte of it changed."""
    xml = word_part(docx)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            if member.filename != "word/document.xml":
                target.writestr(member, source.read(member), zipfile.ZIP_DEFLATED)
        target.writestr("word/document.xml", xml, zipfile.ZIP_STORED)
    data = bytearray(out.getvalue())
    at = data.index(b"Theme: One")
    data[at] = ord("t")
    return bytes(data)


def as_template(docx: bytes) -> bytes:
    """``docx`` labelled as a Word template (.dotx), which python-docx does not open."""
    types = word_part(docx, "[Content_Types].xml").replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
    )
    return with_part(docx, "[Content_Types].xml", types)


LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
    + "]>"
)


def with_doctype(docx: bytes, doctype: str, entity: str) -> bytes:
    xml = word_part(docx).decode("utf-8")
    prolog_end = xml.index("?>") + 2
    xml = xml[:prolog_end] + doctype + xml[prolog_end:]
    xml = xml.replace("<w:t>Theme: One</w:t>", f"<w:t>Theme: One &{entity};</w:t>", 1)
    return with_part(docx, "word/document.xml", xml.encode("utf-8"))


SMALL_PAPER = (
    "Plan - v1\n\nTheme: One\n\n1. We will.\n\n"
    "Area\tAction\tDue\tRAG\tLead\nA 1\tDo it.\tMar 17\t\tEM\n"
)


def hostile(case: str, seed_path) -> tuple[bytes, str]:
    """The file's bytes and the start of the message it must give, after the file's name."""

    def small():
        return build_docx(SMALL_PAPER)

    def seed():
        return seed_docx(seed_path)

    def truncated():
        whole = seed()
        return whole[: len(whole) // 2]

    laughs, external = LAUGHS, '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    dtd = "the part word/document.xml holds a document type declaration (DTD)"
    broken = b"<w:document " + W_NS.encode() + b"><w:body>"
    cases = {
        "xlsx renamed": (xlsx, "this is an Excel workbook (.xlsx), not a Word document (.docx)"),
        "plain zip": (plain_zip, "this is a zip archive, not a Word document (.docx)"),
        "truncated": (truncated, "this is not a Word document (.docx): the zip is damaged"),
        "bomb of 250 MB": (
            lambda: zeros_member(small(), 250, level=1),
            "the file would unpack to 25",
        ),
        "bomb of 20 MB": (
            lambda: zeros_member(small(), 20),
            "the part word/media/zeros.bin is packed",
        ),
        "index claims 4 GB": (
            lambda: claiming_size(seed(), "word/document.xml", 0xFFFF_FFF0),
            "the file would unpack to 409",
        ),
        "billion laughs": (lambda: with_doctype(small(), laughs, "i"), dtd),
        "external entity": (lambda: with_doctype(small(), external, "x"), dtd),
        "broken xml": (
            lambda: with_part(small(), "word/document.xml", broken),
            "the Word document is damaged and cannot be read (XMLSyntaxError)",
        ),
        "bad crc": (
            lambda: bad_crc(small()),
            "the Word document is damaged and cannot be read (BadZipFile)",
        ),
        "template": (
            lambda: as_template(small()),
            "this is not a Word document (.docx) (its content is "
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml)",
        ),
        "old word": (
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "this is an old-style Word document (.doc) or a password-protected one",
        ),
        "no text": (lambda: build_docx("\n\n"), "the Word document has no text in it"),
    }
    make, expected = cases[case]
    return make(), expected


CASES = [
    "xlsx renamed",
    "plain zip",
    "truncated",
    "bomb of 250 MB",
    "bomb of 20 MB",
    "index claims 4 GB",
    "billion laughs",
    "external entity",
    "broken xml",
    "bad crc",
    "template",
    "old word",
    "no text",
]


@pytest.mark.parametrize("case", CASES)
def test_it_refuses_a_bad_word_document_in_one_line_leaving_the_database_alone(
    seed_strategy, seed_path, tmp_path, case
):
    data, expected = hostile(case, seed_path)
    path = tmp_path / "paper.docx"
    path.write_bytes(data)
    before = row_counts()
    started = time.perf_counter()
    with pytest.raises(PaperError) as caught:
        import_paper(path, slug="hostile")
    assert time.perf_counter() - started < 2
    message = str(caught.value)
    assert message.startswith(f"paper.docx: {expected}"), message
    assert "\n" not in message
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["xlsx renamed", "billion laughs"])
def test_the_command_refuses_a_bad_word_document_in_one_line(seed_path, tmp_path, case):
    data, expected = hostile(case, seed_path)
    path = tmp_path / "paper.docx"
    path.write_bytes(data)
    with pytest.raises(CommandError) as caught:
        call_command("import_paper", str(path))
    assert str(caught.value).startswith(f"paper.docx: {expected}")
    assert Strategy.objects.count() == 0


@pytest.mark.django_db
def test_a_word_document_without_a_plan_names_the_line_as_the_text_would(tmp_path):
    path = tmp_path / "cover-only.docx"
    path.write_bytes(build_docx("BOARD OF DIRECTORS\n\nTITLE OF PAPER\tA plan\n"))
    with pytest.raises(PaperError, match=r"^cover-only.docx, line 3: reached the end"):
        import_paper(path)


# -- how Word's structures read as pasted text ---------------------------------------------


def body_docx(xml: str, numbering: str = "") -> bytes:
    """A .docx whose body is ``xml`` (WordprocessingML without the namespace declarations),
    with ``numbering`` (abstractNum and num elements) added to the default numbering."""
    document = Document()
    body = document.element.body
    for element in parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>"):
        body.insert(len(body) - 1, element)
    if numbering:
        part = document.part.part_related_by(RT.NUMBERING).element
        for element in parse_xml(f"<w:numbering {nsdecls('w')}>{numbering}</w:numbering>"):
            part.append(element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def p(text: str = "", ppr: str = "") -> str:
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{run}</w:p>"


def tc(*content: str, tcpr: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{tcpr}</w:tcPr>' if tcpr else ''}{''.join(content) or p()}</w:tc>"


def tbl(*rows: str, columns: int = 3) -> str:
    grid = "<w:gridCol/>" * columns
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def lines_of(docx: bytes) -> list[str]:
    return docx_to_text(docx, "t.docx").splitlines()


def test_merged_cells_keep_each_row_as_wide_as_its_table():
    docx = body_docx(
        tbl(
            f"<w:tr>{tc(p('Area'))}{tc(p('Action'))}{tc(p('Lead'))}</w:tr>",
            "<w:tr>"
            + tc(p("A 1"), tcpr='<w:vMerge w:val="restart"/>')
            + tc(p("Spans two"), tcpr='<w:gridSpan w:val="2"/>')
            + "</w:tr>",
            f"<w:tr>{tc(p('left over'), tcpr='<w:vMerge/>')}{tc(p('Do'))}{tc(p('EM'))}</w:tr>",
            f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{tc(p("x"))}{tc(p("y"))}</w:tr>',
        )
    )
    assert lines_of(docx) == ["Area\tAction\tLead", "A 1\tSpans two\t", "\tDo\tEM", "\tx\ty"]


def test_a_row_of_one_cell_reads_as_the_paragraphs_in_it():
    banner = tc(p("Theme: Banner"), p("1. We will."), tcpr='<w:gridSpan w:val="3"/>')
    docx = body_docx(tbl(f"<w:tr>{banner}</w:tr>", f"<w:tr>{tc(p('a'))}{tc()}{tc()}</w:tr>"))
    assert lines_of(docx) == ["Theme: Banner", "1. We will.", "a\t\t"]


def test_a_cell_of_several_paragraphs_stays_on_its_rows_line():
    nested = tbl(
        f"<w:tr>{tc(p('a'))}{tc(p('b'))}</w:tr>",
        f"<w:tr>{tc(p('c'))}{tc(p('d'))}</w:tr>",
        columns=2,
    )
    tabbed = "<w:p><w:r><w:t>two</w:t><w:tab/><w:t>three</w:t><w:br/><w:t>four</w:t></w:r></w:p>"
    cell = tc(p("one"), p(), tabbed, nested, p("  five  "))
    docx = body_docx(tbl(f"<w:tr>{tc(p('Area'))}{cell}{tc(p('Lead'))}</w:tr>"))
    assert lines_of(docx) == ["Area\tone<br>two three<br>four<br>a b<br>c d<br>five\tLead"]


def level(ilvl: int, number_format: str, text: str) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


NUMBERING = (
    '<w:abstractNum w:abstractNumId="90">'
    + level(0, "decimal", "%1.")
    + level(1, "lowerLetter", "%1.%2)")
    + level(2, "upperRoman", "(%3)")
    + "</w:abstractNum>"
    '<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
    '<w:num w:numId="91"><w:abstractNumId w:val="90"/></w:num>'
    '<w:num w:numId="92"><w:abstractNumId w:val="90"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
)


def numbered(text: str, num_id: int, level: int = 0) -> str:
    return p(text, f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')


def test_list_numbers_and_bullets_drawn_by_word_are_written_out():
    docx = body_docx(
        numbered("First", 90)
        + numbered("Sub", 90, 1)
        + numbered("Sub two", 90, 1)
        + numbered("Deep", 90, 2)
        + numbered("Second", 90)
        + numbered("Sub again", 90, 1)
        + numbered("Continued by another numbering of the list", 91)
        + numbered("Restarted", 92)
        + p(
            "Numbering switched off",
            '<w:pStyle w:val="ListNumber"/><w:numPr><w:numId w:val="0"/></w:numPr>',
        )
        + p("A bullet", '<w:pStyle w:val="ListBullet"/>'),
        NUMBERING,
    )
    assert lines_of(docx) == [
        "1. First",
        "1.a) Sub",
        "1.b) Sub two",
        "(I) Deep",
        "2. Second",
        "2.a) Sub again",
        "3. Continued by another numbering of the list",
        "1. Restarted",
        "Numbering switched off",
        "• A bullet",
    ]


def test_text_is_read_through_links_fields_controls_and_tracked_changes():
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'.format
    paragraph = (
        "<w:p>"
        + run("See ")
        + f'<w:hyperlink w:anchor="x">{run("the link")}</w:hyperlink>'
        + f"<w:ins>{run(', added')}</w:ins>"
        + '<w:del><w:r><w:delText xml:space="preserve">, deleted</w:delText></w:r></w:del>'
        + f'<w:fldSimple w:instr=" DATE ">{run(", 8 March 2017")}</w:fldSimple>'
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{run(', in a control')}</w:sdtContent></w:sdt>"
        + run(", ticked ")
        + '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'
        + "</w:p>"
    )
    block_control = (
        f"<w:sdt><w:sdtPr/><w:sdtContent>{p('In a block control')}</w:sdtContent></w:sdt>"
    )
    docx = body_docx(paragraph + block_control + p() + p("Last"))
    assert lines_of(docx) == [
        "See the link, added, 8 March 2017, in a control, ticked ✓",
        "In a block control",
        "",
        "Last",
    ]


def test_the_seed_word_document_has_merged_areas_lists_and_tick_boxes(seed_path):
    """So the exact-import test above reads Word's structures, not just Word's text."""
    xml = word_part(seed_docx(seed_path, numbered=True)).decode("utf-8")
    assert xml.count('<w:vMerge w:val="restart"/>') == 11  # every area of more than one row
    assert xml.count("<w14:checkbox>") == 10
    assert xml.count('<w:pStyle w:val="ListBullet"/>') == 4
    assert xml.count('<w:pStyle w:val="ListNumber"/>') == 12 + 7 + 8 + 7 + 6
