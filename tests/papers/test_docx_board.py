"""The Word paper as a board expects it: the header block and the plan's own front
matter, the key of roles and people, each theme's leads decoded under its table, the
exceptions with their leads, not-updated counted per lead, the findings only when the
paper asks for them, no forced page breaks; and a template written for the variables
of before still makes its paper. Each is read back from the file with python-docx."""

import dataclasses
import re

import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from planboard.papers.content import build_paper
from planboard.papers.formats.docx import render
from planboard.papers.formats.docx_check import TemplateProblem, check_template, sample_paper
from planboard.papers.formats.docx_context import WHITE_INK, context
from planboard.papers.formats.docx_template import TEMPLATE_PATH
from planboard.papers.paper import AreaGroup, FrontMatter
from tests.builders import make_action, make_role, make_strategy, make_theme
from tests.papers.word import OLD_TEMPLATE, fill, headings, ink, plan_rows, word, word_template


@pytest.fixture
def paper(seed_strategy, closed_q3_with_exceptions):
    return build_paper(seed_strategy, closed_q3_with_exceptions)


@pytest.fixture
def document(paper):
    return word(render(paper))


def blocks(document) -> list:
    """The body's paragraphs and tables, in order."""
    out = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            out.append(Paragraph(element, document))
        elif element.tag == qn("w:tbl"):
            out.append(Table(element, document))
    return out


def text_after(document, heading: str, level: int | None = None) -> list[str]:
    """The paragraphs after ``heading`` (of ``level``, if given) up to the next heading."""
    found, lines = False, []
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            if found:
                break
            found = paragraph.text == heading and paragraph.style.name.endswith(str(level or ""))
        elif found:
            lines.append(paragraph.text)
    return lines


def test_the_header_block_names_the_trust_the_meeting_and_the_item_above_the_title(document, paper):
    header, title, subtitle = blocks(document)[:3]
    assert isinstance(header, Table)
    assert {row.cells[0].text: row.cells[1].text for row in header.rows} == {
        "Trust": "SHSC",
        "Meeting": "Board of Directors",
        "Date": "8 March 2017",
        "Reference": "BoD: 08.03.17",
        "Item": "5",
    }
    assert (title.style.name, title.text) == ("Title", paper.front.title)
    assert title.text == "Service User Engagement Strategy Implementation Plan"
    assert (subtitle.style.name, subtitle.text) == ("Subtitle", "Paper for 2016/17 Q3")


def test_the_plans_title_version_and_preface_lead_into_its_key_of_roles(document):
    plan, preface = text_after(document, "About the plan", level=1)
    assert plan == "Service User Engagement Strategy - Implementation Plan, v2 - January 2017"
    assert "the RAG rating should be interpreted with care" in preface
    assert preface.endswith("Key individuals and roles include:")
    assert headings(document, 2)[0] == "Key of roles and people"
    assert headings(document, 1).index("About the plan") + 1 == headings(document, 1).index(
        "At a glance"
    )


def test_a_paper_built_without_front_matter_takes_its_header_from_the_cover_sheet():
    paper = dataclasses.replace(sample_paper(), front=None)
    header, title = blocks(word(render(paper)))[:2]
    lines = {row.cells[0].text: row.cells[1].text for row in header.rows}
    assert lines == {
        "Trust": "Sample NHS Trust",
        "Meeting": "Sample meeting",
        "Date": "Sample meeting_date",
        "Reference": "Sample reference",
        "Item": "Sample item",
    }
    assert title.text == "Sample title"


def test_the_key_of_roles_names_the_people_their_roles_and_the_roles_nobody_holds(document):
    assert "Key of roles and people" in headings(document, 2)
    ebe = text_after(document, "Expert by Experience leads")
    assert "Richard Fletcher" in ebe and "Tammy Raines Sue Sibbald" in ebe
    people = text_after(document, "People and their roles")
    assert "Mike Hunter, Medical Director (MD)" in people
    assert "Mia Bajin, Engagement Manager (EM)" in people
    assert not set(ebe) & set(people)
    assert text_after(document, "Roles no one named holds") == ["IT Department (IT)"]


def test_each_themes_table_is_followed_by_the_key_to_its_leads(document, paper):
    tables = [b for b in blocks(document) if isinstance(b, Table)]
    plan_tables = [t for t in tables if t.rows[0].cells[0].text == "Area"]
    assert len(plan_tables) == len(paper.themes)
    for table, theme in zip(plan_tables, paper.themes, strict=True):
        element, lines = table._tbl.getnext(), []
        while element is not None and element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            if paragraph.style.name.startswith("Heading"):
                break
            lines.append(paragraph.text)
            element = element.getnext()
        assert lines == [f"{role.short}: {role.decoded}" for role in theme.lead_key]
    assert "EM: Engagement Manager (Laura Di Bona, Mia Bajin)" in [
        p.text for p in document.paragraphs
    ]


def test_exceptions_print_each_actions_lead(document, paper):
    board = text_after(document, f"Rated Amber or Red ({len(paper.exceptions.rated)})")
    red = next(line for line in board if line.startswith("2.1 "))
    assert red.endswith("– Red – Lead: CI Manager / Head of CG")
    (overdue,) = text_after(document, "Overdue (1)")
    assert overdue.startswith("1.1 ") and overdue.endswith("– Lead: SUSEG Chairs")


def test_not_updated_is_a_count_per_lead_and_the_list_is_only_in_the_appendix(document, paper):
    exceptions = paper.exceptions
    heading = exceptions.not_updated_heading
    assert headings(document, 3).count(heading) == 1
    assert headings(document, 2).count(heading) == 1
    assert headings(document, 1).index("Exceptions") < headings(document, 1).index("Appendix")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Lead")
    assert [c.text for c in table.rows[0].cells] == ["Lead", "Stands for", "Not updated"]
    counted = [(r.cells[0].text, r.cells[1].text, int(r.cells[2].text)) for r in table.rows[1:]]
    assert counted == [(c.lead, c.decoded, c.count) for c in exceptions.not_updated_by_lead]
    assert ("EM", "Engagement Manager (Laura Di Bona, Mia Bajin)") in [c[:2] for c in counted]
    # Under the heading in Exceptions: the table and a pointer, no list of actions.
    assert text_after(document, heading)[0] == "The appendix lists each of these actions."
    listed = text_after(document, heading, level=2)
    assert len(listed) == len(exceptions.not_updated) == 42
    for line, item in zip(listed, exceptions.not_updated, strict=True):
        assert line.startswith(f"{item.ref} {item.text} – No update")


def test_the_findings_are_listed_only_when_the_paper_asks_for_them(paper):
    assert paper.data_findings
    messages = {finding.message for finding in paper.data_findings}
    for shown in (False, True):
        document = word(render(dataclasses.replace(paper, show_findings=shown)))
        text = {p.text for p in document.paragraphs}
        title = f"Checker findings about the plan's records ({len(paper.data_findings)})"
        assert (title in headings(document, 2)) is shown
        assert (messages <= text) is shown
        assert not (messages & text) or shown


def test_no_page_is_forced_except_to_turn_the_plan_landscape(document):
    body = document.element.body
    assert not body.findall(".//" + qn("w:pageBreakBefore"))
    assert not [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    breaks = body.findall(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:sectPr')}")
    assert len(breaks) == 1
    for style in document.styles:
        paragraph_format = getattr(style, "paragraph_format", None)
        assert not (paragraph_format and paragraph_format.page_break_before), style.name
    # No empty paragraph is left in the body but the one that holds the section break.
    empty = [
        p for p in document.paragraphs if not p.text and not p._p.findall(".//" + qn("w:drawing"))
    ]
    assert [p._p.pPr.find(qn("w:sectPr")) is not None for p in empty] == [True]


def test_every_cell_filled_with_a_dark_colour_has_white_text(document, paper):
    dark = [
        cell
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        if (fill(cell) or "") in WHITE_INK
    ]
    # The Green and Red actions, and their columns of the glance table and the RAG key.
    assert len(dark) == sum(row.rag in ("Green", "Red") for row in paper.rows) + 2 + 2
    assert all(ink(cell) == {"FFFFFF"} for cell in dark)


def test_the_rating_cells_of_a_glance_and_the_key_are_filled_too(document):
    glance = next(t for t in document.tables if t.rows[0].cells[0].text == "Theme")
    assert [fill(c) for c in glance.rows[0].cells[1:]] == [
        "007F3B",
        "ED8B00",
        "D5281B",
        "D8DDE0",
        "FFFFFF",
    ]
    key = next(t for t in document.tables if t.rows[0].cells[0].text == "Rating")
    assert [(r.cells[0].text, fill(r.cells[0])) for r in key.rows[1:]] == [
        ("Green", "007F3B"),
        ("Amber", "ED8B00"),
        ("Red", "D5281B"),
    ]


def test_a_template_written_for_the_variables_of_before_still_makes_its_paper(paper):
    check_template(OLD_TEMPLATE.read_bytes())
    document = word(render(paper, template=OLD_TEMPLATE.read_bytes()))
    # Every exception list, in the order it always had, and the findings as before.
    lists = [heading for heading in headings(document, 3) if heading.endswith(")")]
    assert lists == [
        "Rated Amber or Red (2)",
        "Overdue (1)",
        "Target moved (1)",
        "Not updated this period (42)",
    ]
    findings = f"Checker findings about the plan's records ({len(paper.data_findings)})"
    assert findings in headings(document, 2)
    assert headings(document, 1)[0] == "Cover sheet"
    assert document.paragraphs[0].text == f"{paper.strategy} ({paper.plan_version})"
    rows = plan_rows(document)
    assert len(rows) == 49
    assert (rows["2.1"].cells[4].text, fill(rows["2.1"].cells[4])) == ("Red", "D5281B")
    assert ink(rows["2.1"].cells[4]) == {"FFFFFF"}
    assert [g["heading"] for g in context(paper)["exceptions"]] == lists
    # With an earlier period to compare with, the ratings that moved come last, as before.
    assert [g["title"] for g in context(sample_paper())["exceptions"]] == [
        "Rated Amber or Red",
        "Overdue",
        "Target moved",
        "Not updated this period",
        "Rating improved since 2016/17 Q2",
        "Rating worsened since 2016/17 Q2",
    ]


def test_the_template_check_tries_every_new_variable(paper):
    uses = [
        "{{ front.organisation }} {{ front.meeting }} {{ front.meeting_date }}",
        "{{ front.reference }} {{ front.item }} {{ front.title }} {{ plan_line }}",
        "{{ front.plan_title }} {{ front.plan_version }} {{ front.preface }}",
        "{% for line in header %}{{ line.label }}: {{ line.value }}{% endfor %}",
        "{% for g in board_exceptions %}{{ g.heading }}{% for i in g.actions %}"
        "{{ i.ref }} {{ i.note }} {{ i.leads }}{% endfor %}{% endfor %}",
        "{{ not_updated.heading }} {{ not_updated.shown }} {{ not_updated.empty }}"
        "{% for c in not_updated.leads %}{{ c.lead }} {{ c.decoded }} {{ c.count }}{% endfor %}",
        "{% for g in appendix_exceptions %}{{ g.title }} {{ g.empty }}{% endfor %}",
        "{{ people_key.shown }}{% for p in people_key.ebe_leads %}{{ p.name }} {{ p.note }}"
        "{% endfor %}{% for p in people_key.people %}{{ p.line }} {{ p.roles | join(', ') }}"
        "{% endfor %}{% for r in people_key.unheld %}{{ r.line }} {{ r.short }}{% endfor %}",
        "{% for t in themes %}{% for r in t.lead_key %}{{ r.short }} {{ r.title }} {{ r.decoded }}"
        " {{ r.line }} {{ r.people | join(', ') }}{% endfor %}{% for a in t.areas %}"
        "{% for row in a.rows %}{{ row.lead_roles | join(', ') }} {{ row.status }} "
        "{{ row.target_date }} {{ row.original_target }} {{ row.ink }}{% endfor %}{% endfor %}"
        "{% endfor %}",
        "{% if show_findings %}{{ findings | length }}{% endif %}",
    ]
    check_template(word_template(*uses))
    text = [p.text for p in word(render(sample_paper(), template=word_template(*uses))).paragraphs]
    assert text[0] == "Sample NHS Trust Board of Directors 8 March 2017"
    assert "EM: Engagement Manager (Ann Lee, Bo Ng)" in text[8]
    assert text[-1] == "1"
    with pytest.raises(TemplateProblem, match="fails with a sample paper"):
        check_template(word_template("{{ front.titel }}"))


def test_every_variable_a_template_sees_is_documented():
    """The README's variable tables name every variable and every field of one, so a
    trust writing a template finds each; a new variable must be added there."""
    readme = (TEMPLATE_PATH.parent / "README.md").read_text()
    documented = set(re.findall(r"`([a-z_][a-z_.]*)`", readme))
    # "glance.overdue" documents "glance"; "row.leads" documents "leads" of a row.
    names = documented | {name.rsplit(".", 1)[-1] for name in documented}
    names |= {name.split(".", 1)[0] for name in documented}
    variables = context(sample_paper())
    fields = {name for name, value in variables.items() if isinstance(value, dict)}
    fields |= {f"{name}.{key}" for name in fields for key in variables[name]}
    fields |= set(variables)
    theme = variables["themes"][0]
    fields |= {f"theme.{key}" for key in theme}
    fields |= {f"row.{key}" for key in theme["areas"][0]["rows"][0]}
    fields |= {f"role.{key}" for key in theme["lead_key"][0]}
    fields |= {f"front.{field.name}" for field in dataclasses.fields(FrontMatter)}
    missing = sorted(
        name for name in fields if name not in documented and name.rsplit(".", 1)[-1] not in names
    )
    assert not missing
    assert {"front.preface", "people_key.unheld", "theme.lead_key", "show_findings"} <= documented


def test_a_bare_plan_opens_with_its_title_and_leaves_no_empty_parts(db):
    """No cover sheet, key, preface, version or period: no header lines but the trust,
    no plan line, no key of roles, no not-updated count, and no empty paragraph."""
    strategy = make_strategy(title="Estates plan", organisation="Any NHS Trust")
    estates = make_role(strategy, "Estates", in_key=False)
    make_action(make_theme(strategy, title="Buildings"), text="Fix the roof.", leads=[estates])
    paper = build_paper(strategy)
    assert not paper.people_key and paper.rows[0].leads == "Estates"
    document = word(render(paper))
    header, title, subtitle, basis = blocks(document)[:4]
    assert [(r.cells[0].text, r.cells[1].text) for r in header.rows] == [("Trust", "Any NHS Trust")]
    assert [title.text, subtitle.text] == ["Estates plan", "Paper"]
    assert basis.text.startswith("The plan as it stands now.")
    assert "About the plan" not in headings(document, 1)
    assert "Key of roles and people" not in headings(document, 2)
    assert not any(h.startswith("Not updated") for h in headings(document, 3))
    assert not [t for t in document.tables if t.rows[0].cells[0].text == "Lead"]
    (row,) = plan_rows(document).values()
    assert row.cells[5].text == "Estates"
    empty = [p for p in document.paragraphs if not p.text]
    assert [p._p.pPr.find(qn("w:sectPr")) is not None for p in empty] == [True]


def test_a_thousand_actions_in_one_theme_come_out_in_one_table_with_their_lead_key():
    sample = sample_paper()
    template_row = sample.themes[0].areas[0].rows[0]
    rows = tuple(
        dataclasses.replace(template_row, ref=f"1.{n}", number=n, text=f"Action {n}.")
        for n in range(1, 1001)
    )
    theme = dataclasses.replace(
        sample.themes[0],
        areas=tuple(AreaGroup(f"Area {a}", "", rows[a * 100 : a * 100 + 100]) for a in range(10)),
    )
    paper = dataclasses.replace(sample, themes=(theme,))
    document = word(render(paper))
    assert list(plan_rows(document)) == [f"1.{n}" for n in range(1, 1001)]
    assert "EM: Engagement Manager (Ann Lee, Bo Ng)" in [p.text for p in document.paragraphs]
