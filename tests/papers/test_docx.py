"""The Word board paper: real tables, shaded RAG cells, headings, trusts' templates."""

import io
import struct
import zipfile
import zlib

import pytest
from docx.oxml.ns import qn

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from planboard.papers.formats.docx import render as render_docx
from planboard.papers.formats.docx_check import TemplateProblem, check_template
from planboard.papers.formats.docx_context import FILLS, shade
from planboard.papers.formats.docx_template import TEMPLATE_PATH, build_default_template
from planboard.plans.models import Action
from tests.builders import make_action, make_strategy, make_theme
from tests.papers.word import fill, headings, ink, plan_rows, word, word_template

SECTIONS = [
    "Cover sheet",
    "Summary report",
    "About the plan",
    "At a glance",
    "Exceptions",
    "RAG key",
    "Implementation plan",
    "Appendix",
]


def png(width=4, height=3) -> bytes:
    """A small valid PNG (red pixels), standing in for the chart."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixels = b"".join(b"\x00" + b"\xd5\x28\x1b" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def seed_docx(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    return paper, word(render(paper, "docx"))


def test_the_cover_sheet_is_a_table_of_labelled_fields(seed_docx):
    _, document = seed_docx
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Meeting")
    cover = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert cover["Title"] == "Service User Engagement Strategy Implementation Plan"
    assert cover["Presented by"] == "Mike Hunter, Medical Director"
    assert cover["Author"] == "Tania Baxter"
    assert cover["Meeting date"] == "8 March 2017"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "☑\u00a0To report progress" in text
    assert "☐\u00a0For Approval" in text


def test_sections_and_themes_are_built_in_headings_the_navigation_pane_shows(seed_docx):
    paper, document = seed_docx
    assert headings(document, 1) == SECTIONS
    themes = [f"Theme {t.number}: {t.title}" for t in paper.themes]
    assert len(themes) == 6
    appendix = [group.heading for group in paper.exceptions.appendix_groups]
    assert appendix == ["Not updated this period (42)"]
    key = "Key of roles and people"
    assert headings(document, 2) == [key, *themes, *appendix, "Commitment coverage"]
    for level in (1, 2):
        style = document.styles[f"Heading {level}"]
        outline = style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val"))
        assert (style.style_id, style.builtin, outline) == (f"Heading{level}", True, str(level - 1))


def test_all_49_actions_are_rows_of_word_tables_with_their_refs_and_texts(seed_docx):
    paper, document = seed_docx
    rows = plan_rows(document)
    assert list(rows) == [row.ref for row in paper.rows]
    assert len(rows) == 49
    for action in paper.rows:
        cell = rows[action.ref].cells[2]
        assert cell.paragraphs[0].text == action.text
        assert rows[action.ref].cells[3].text == action.target


def test_an_area_cell_is_merged_down_the_actions_of_its_area(seed_docx):
    paper, document = seed_docx
    first_area = paper.themes[0].areas[0]
    rows = plan_rows(document)
    merges = [
        rows[r.ref]._tr.tc_lst[0].tcPr.find(qn("w:vMerge")).get(qn("w:val"))
        for r in first_area.rows
    ]
    assert merges == ["restart"] + ["continue"] * (len(first_area.rows) - 1)
    assert rows[first_area.rows[0].ref].cells[0].text.startswith(first_area.area)


def test_rag_cells_are_filled_with_the_rating_colour_and_say_the_rating_in_readable_ink(
    seed_strategy, closed_q3_with_exceptions
):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    rows = plan_rows(word(render_docx(paper)))
    red = rows["2.1"].cells[4]
    assert (red.text, fill(red), ink(red)) == ("Red", "D5281B", {"FFFFFF"})
    amber = rows["1.1"].cells[4]
    assert (amber.text, fill(amber), ink(amber)) == ("Amber", "ED8B00", {None})
    green = next(rows[r.ref].cells[4] for r in paper.rows if r.rag == "Green")
    assert (green.text, fill(green), ink(green)) == ("Green", "007F3B", {"FFFFFF"})
    # "Not in key" and "Not rated" are pale grey and white, unlike every rated cell.
    yellow = next(rows[r.ref].cells[4] for r in paper.rows if r.rag == "Yellow")
    assert (yellow.text, fill(yellow), ink(yellow)) == ("Yellow (not in key)", "D8DDE0", {None})
    unrated = next(rows[r.ref].cells[4] for r in paper.rows if not r.rated)
    assert (unrated.text, fill(unrated), ink(unrated)) == ("Not rated", "FFFFFF", {None})
    assert all(fill(row.cells[4]) for row in rows.values())
    assert all(row.cells[4].text for row in rows.values())


def test_colours_outside_the_nhs_set_are_filled_grey():
    assert shade("mauve") == shade("") == shade("grey") == "D8DDE0"
    assert shade("white") == "FFFFFF"


def contrast(fill: str, text: str) -> float:
    """WCAG 2 contrast ratio of two colours given as six hex digits."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(fill), luminance(text)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("colour", sorted(FILLS))
def test_every_rating_fill_has_ink_with_a_contrast_of_at_least_4_5(colour):
    fill_colour, text = FILLS[colour]
    assert contrast(fill_colour, text) >= 4.5
    # The ink is the better of black and white, so the rule holds by choice, not luck.
    other = "000000" if text == "FFFFFF" else "FFFFFF"
    assert contrast(fill_colour, text) > contrast(fill_colour, other)


def test_exceptions_list_the_overdue_and_red_actions(seed_strategy, closed_q3_with_exceptions):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    document = word(render_docx(paper))
    lists = headings(document, 3)
    assert "Overdue (1)" in lists
    assert f"Rated Amber or Red ({len(paper.exceptions.rated)})" in lists
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any(text.startswith("2.1 ") for text in bullets)


def test_table_header_rows_repeat_on_each_page(seed_docx):
    _, document = seed_docx
    firsts = {"Area", "Theme", "Rating", "Commitment", "Lead"}
    headed = [t for t in document.tables if t.rows[0].cells[0].text in firsts]
    assert len(headed) == 6 + 4
    for table in headed:
        flag = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert flag is not None and flag.get(qn("w:val")) == "true"


def test_at_a_glance_counts_every_rating_by_theme_in_a_table(seed_docx):
    paper, document = seed_docx
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Theme")
    labels = [c.label for c in paper.glance.counts]
    assert [cell.text for cell in table.rows[0].cells] == ["Theme", *labels]
    assert len(table.rows) == 1 + 6 + 1
    total = table.rows[-1].cells
    assert total[0].text == "All themes"
    assert sum(int(cell.text) for cell in total[1:]) == 49
    assert len(table._tbl.tblGrid.findall(qn("w:gridCol"))) == 1 + len(labels)


def test_the_chart_is_an_image_with_alt_text_above_the_counts(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    document = word(render_docx(paper, chart_png=png()))
    assert len(document.inline_shapes) == 1
    description = document.element.body.find(".//" + qn("wp:docPr")).get("descr")
    assert description.startswith("Chart of the RAG ratings of the 49 actions by theme")
    assert len(word(render_docx(paper)).inline_shapes) == 0


def test_text_with_special_characters_and_newlines_comes_out_as_written(seed_strategy):
    action = Action.objects.for_strategy(seed_strategy).in_plan_order().first()
    action.text = "Fish & chips <b>not bold</b> \"quoted\" 'single' {{ not a tag }}"
    action.progress = "First line\r\nSecond line\x07 & more"
    action.save()
    paper = build_paper(seed_strategy)
    cell = plan_rows(word(render_docx(paper)))[action.ref].cells[2]
    assert cell.paragraphs[0].text == action.text
    assert cell.paragraphs[1].text == "First line\nSecond line & more"


def test_a_strategy_without_a_cover_sheet_gets_a_paper_without_one(db):
    strategy = make_strategy(title="Estates & facilities")
    theme = make_theme(strategy, title="Buildings")
    make_action(theme, text="Fix the roof.", rating="Green")
    document = word(render(build_paper(strategy), "docx"))
    # Nor a part about the plan, as it has no version, preface or key of roles.
    assert headings(document, 1) == [s for s in SECTIONS[2:] if s != "About the plan"]
    row = plan_rows(document)["1.1"]
    assert [row.cells[0].text, row.cells[4].text] == ["No area", "Green"]
    assert document.core_properties.title == "Estates & facilities – Paper"


def test_a_trusts_own_template_is_used(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    own = word_template("Our trust's paper: {{ paper.strategy }}", "Author: {{ field.author }}")
    document = word(render_docx(paper, template=own))
    assert [p.text for p in document.paragraphs] == [
        f"Our trust's paper: {seed_strategy.title}",
        "Author: Tania Baxter",
    ]


def test_check_template_accepts_the_default_and_a_small_template():
    check_template(TEMPLATE_PATH.read_bytes())
    check_template(word_template("{{ paper.strategy }} for {{ field.meeting }}"))


def zip_of(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "not Word")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"%PDF-1.7 a PDF, not a template", "not a Word document"),
        (zip_of("notes.txt"), "zip archive but not a Word document"),
        (word_template("Hello {{ paper.strategy "), "broken tag"),
        (word_template("{% if paper.period %}never closed"), "broken tag"),
        (word_template("{{ paper.strategi }}"), "fails with a sample paper"),
    ],
    ids=["not-a-zip", "zip-not-docx", "unclosed-tag", "unclosed-block", "unknown-variable"],
)
def test_check_template_refuses_a_bad_upload_with_a_one_line_reason(data, says):
    with pytest.raises(TemplateProblem) as refused:
        check_template(data)
    message = str(refused.value)
    assert says in message
    assert "\n" not in message
    assert message.endswith(".")


def test_the_shipped_template_is_what_the_code_builds():
    """Rebuild with ``python -m planboard.papers.formats.docx_template`` if this fails."""

    def members(data):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    assert members(TEMPLATE_PATH.read_bytes()) == members(build_default_template())
