"""The paper's HTML (the web page, the HTML file and the PDF's source) as a board
expects it: the header block and title, the plan's own title, version and preface, the
key of roles and people, leads decoded under each theme, exceptions with their leads,
RAG as filled cells, and the checker's findings only when the cover sheet asks.
Read with the standard library's HTML parser (``html_reader``), not the templates."""

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from planboard.papers.formats.docx_check import sample_paper
from planboard.papers.paper import NOT_RATED, AreaGroup, Row, ThemeSection
from planboard.plans.models import TagColour
from tests.papers.html_reader import parse


def _html(paper):
    return parse(render(paper, "html", chart=False).decode())


def test_the_header_block_names_the_trust_meeting_date_reference_and_item(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    page = _html(paper)
    (masthead,) = page.all("dl", "pb-paper-masthead")
    pairs = {
        dt.text: dd.text for dt, dd in zip(masthead.all("dt"), masthead.all("dd"), strict=True)
    }
    assert pairs == {
        "Trust": "SHSC",
        "Meeting": "Board of Directors",
        "Date of meeting": "8 March 2017",
        "Reference": "BoD: 08.03.17",
        "Agenda item": "5",
    }
    (title,) = page.all("h1")
    assert title.text.endswith("Service User Engagement Strategy Implementation Plan")
    assert "Paper for 2016/17 Q3" in title.text
    # The header block comes first of all.
    first = [e for e in page.all("article")[0].iter() if e.tag in ("dl", "h1", "h2")]
    assert first[0] is masthead


def test_the_plan_section_gives_the_plans_title_version_and_preface(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    plan = _html(paper).section("paper-plan")
    assert "Service User Engagement Strategy - Implementation Plan (v2 - January 2017)" in (
        plan.text
    )
    (preface,) = plan.all("p", "pb-paper-preface")
    assert "the RAG rating should be interpreted with care" in preface.text


def test_the_key_names_each_person_with_role_and_abbreviation(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    plan = _html(paper).section("paper-plan")
    people = [li.text for li in plan.all("ul", "pb-paper-people")[0].all("li")]
    assert "Mike Hunter, Medical Director (MD)" in people
    assert "Mia Bajin, Engagement Manager (EM)" in people
    assert people == [person.line for person in paper.people_key.people]
    text = plan.text
    assert "Expert by Experience leads: " in text and "Richard Fletcher" in text
    assert "Roles in the key that nobody named holds: IT Department (IT)" in text


def test_each_themes_table_decodes_its_leads_in_its_footer(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    page = _html(paper)
    for theme in paper.themes:
        section = page.section(f"paper-theme-{theme.number}")
        notes = section.all("tfoot", "pb-paper-lead-key")
        if not theme.lead_key:
            assert notes == []
            continue
        (note,) = notes
        for role in theme.lead_key:
            assert f"{role.short}: {role.decoded}" in note.text
    assert any(
        "EM: Engagement Manager (Laura Di Bona, Mia Bajin)" in note.text
        for note in page.all("tfoot", "pb-paper-lead-key")
    )


def test_exceptions_print_each_items_leads_and_count_not_updated_per_lead(
    seed_strategy, closed_q3_with_exceptions
):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    page = _html(paper)
    exceptions = page.section("paper-exceptions")
    items = [li.text for li in exceptions.all("li")]
    assert any(
        text.startswith("1.1 ") and "Due by" in text and text.endswith("Lead: SUSEG Chairs")
        for text in items
    )
    assert any(text.startswith("2.1 ") and "Red" in text for text in items)
    # Not updated is a count per lead, not a list of the plan.
    assert not any("No update" in text for text in items)
    assert paper.exceptions.not_updated_heading in exceptions.text
    (table,) = exceptions.all("table", "pb-paper-by-lead")
    rows = [[cell.text for cell in tr.all() if cell.tag in ("th", "td")] for tr in table.all("tr")]
    assert rows[0] == ["Lead", "What it stands for", "Actions not updated"]
    assert rows[1:] == [
        [count.lead, count.decoded, str(count.count)]
        for count in paper.exceptions.not_updated_by_lead
    ]
    assert ["EM", "Engagement Manager (Laura Di Bona, Mia Bajin)"] in [row[:2] for row in rows]
    # The full list is in the appendix, each with its leads.
    appendix = page.section("paper-appendix")
    listed = [li.text for li in appendix.all("li")]
    assert len([text for text in listed if "No update" in text]) == len(
        paper.exceptions.not_updated
    )
    assert all("Lead: " in text for text in listed if "No update" in text and "/" in text)


def test_the_findings_are_listed_only_when_the_paper_asks_for_them(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    assert paper.data_findings and not paper.show_findings
    html = render(paper, "html", chart=False).decode()
    assert "Checker findings" not in html
    assert paper.data_findings[0].message not in html
    with_findings = _html(dataclasses.replace(paper, show_findings=True))
    section = with_findings.section("paper-findings")
    listed = [li.text for li in section.all("li")]
    assert listed == [" ".join(f.message.split()) for f in paper.data_findings]


def test_rag_cells_are_filled_with_the_word_inside(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    page = _html(paper)
    cells = {}
    for theme in paper.themes:
        (table,) = page.section(f"paper-theme-{theme.number}").all("table")
        rag = [td for td in table.all("td") if "pb-rag" in td.classes]
        assert len(rag) == len(theme.rows)
        for row, td in zip(theme.rows, rag, strict=True):
            cells[row.ref] = td
            assert td.text.startswith(row.rag)
    by_class = {ref: td.classes - {"nhsuk-table__cell", "pb-rag"} for ref, td in cells.items()}
    for row in paper.rows:
        if not row.rated:
            assert by_class[row.ref] == {"pb-rag--unrated"}, row.ref
        elif not row.in_key:
            assert by_class[row.ref] == {"pb-rag--unkeyed"}, row.ref
            assert cells[row.ref].text == f"{row.rag} (not in key)"
        else:
            assert by_class[row.ref] == {f"pb-rag--{row.rag_colour}"}, row.ref
    assert {"pb-rag--green", "pb-rag--unrated", "pb-rag--unkeyed"} <= set().union(
        *by_class.values()
    )
    # The key fills its levels the same way, and says what the other two cells mean.
    key = page.by_id("paper-key")
    key_cells = {td.text: td.classes for td in key.all("td") if "pb-rag" in td.classes}
    for level in paper.key:
        assert f"pb-rag--{level.colour}" in key_cells[level.label]
    assert "pb-rag--unrated" in key_cells["Not rated"]
    assert "pb-rag--unkeyed" in key_cells["Not in key"]


RATING = st.tuples(
    st.text(st.characters(codec="ascii", categories=("L", "N", "Zs")), min_size=1, max_size=12)
    .map(lambda text: " ".join(text.split()))
    .filter(bool),
    st.sampled_from(TagColour.values),
    st.booleans(),  # in the key
    st.booleans(),  # rated
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ratings=st.lists(RATING, min_size=1, max_size=8))
def test_any_rating_is_a_cell_with_its_word_and_a_fill_only_if_a_level(ratings):
    rows = []
    for number, (label, colour, in_key, rated) in enumerate(ratings, start=1):
        if not rated:
            label, colour, in_key = NOT_RATED, "white", True
        elif not in_key:
            colour = "grey"
        rows.append(
            Row(
                f"1.{number}",
                1,
                number,
                "Area",
                "",
                f"Action {number}",
                "",
                "Mar 17",
                label,
                colour,
                in_key,
                rated,
                "EM",
            )  # fmt: skip
        )
    theme = ThemeSection(1, "Theme", (), (AreaGroup("Area", "", tuple(rows)),))
    paper = dataclasses.replace(sample_paper(), themes=(theme,), front=None)
    (table,) = _html(paper).section("paper-theme-1").all("table")
    cells = [td for td in table.all("td") if "pb-rag" in td.classes]
    assert len(cells) == len(rows)
    for row, cell in zip(rows, cells, strict=True):
        fill = cell.classes - {"nhsuk-table__cell", "pb-rag"}
        if not row.rated:
            assert (fill, cell.text) == ({"pb-rag--unrated"}, NOT_RATED)
        elif not row.in_key:
            assert (fill, cell.text) == ({"pb-rag--unkeyed"}, f"{row.rag} (not in key)")
        else:
            assert (fill, cell.text) == ({f"pb-rag--{row.rag_colour}"}, row.rag)


def test_not_updated_actions_are_never_said_to_be_updated():
    """A paper made by hand (as the Word template check makes one) may list actions not
    updated without counting them per lead: it points to the list, not to "none"."""
    made = sample_paper()
    paper = dataclasses.replace(
        made, exceptions=dataclasses.replace(made.exceptions, not_updated_by_lead=())
    )
    assert paper.exceptions.not_updated
    exceptions = _html(paper).section("paper-exceptions")
    assert "Not updated this period (1) The actions are listed in the appendix." in (
        exceptions.text
    )
    assert "Every open action has an update." not in exceptions.text
    counted = dataclasses.replace(paper.exceptions, not_updated=())
    exceptions = _html(dataclasses.replace(paper, exceptions=counted)).section("paper-exceptions")
    assert "Not updated this period (0) Every open action has an update." in exceptions.text
