"""The parser's parts on small inputs: ticks, the key, the RAG key, themes, committees."""

import pytest

from planboard.imports.cover import read_tick_table
from planboard.imports.errors import PaperError
from planboard.imports.governance import find_committees, read_plan_heading
from planboard.imports.key import parse_key
from planboard.imports.paper import parse_paper
from planboard.imports.parsed import CoverSheetInfo, StrategyInfo
from planboard.imports.ragkey import find_rag_key
from planboard.imports.text import split_ticks, strip_html


def test_it_strips_html_and_turns_bullets_into_lines():
    assert strip_html('Asked to: <ul style="x"> • Receive; • Note <i>this</i>.</ul>') == (
        "Asked to:\nReceive;\nNote this."
    )
    assert strip_html("<p>One &amp; two</p> <p>£5</p>") == "One & two\n£5"


def test_it_reads_checkboxes_after_their_labels():
    text, ticks = split_ticks(
        'Frameworks (see above) HSE <input type="checkbox"/> MH Act <input type="checkbox" '
        "checked/> Equality ☒ Values ☐"
    )
    assert text == "Frameworks (see above)"
    assert ticks == [
        {"label": "HSE", "ticked": False},
        {"label": "MH Act", "ticked": True},
        {"label": "Equality", "ticked": True},
        {"label": "Values", "ticked": False},
    ]


def test_it_reads_a_purpose_tick_table():
    ticks, rest = read_tick_table(["<i>Approve</i>\t<i>Note</i>", "", "\t✓", "To note."])
    assert ticks == [{"label": "Approve", "ticked": False}, {"label": "Note", "ticked": True}]
    assert rest == ["", "To note."]


def test_it_reads_roles_with_abbreviations_inside_and_at_the_end():
    key = parse_key(
        [
            "Jo Evans, Continuous Improvement (CI) Manager",
            "Dianne Crookes, Organisational Development (OD) Programme Manager",
            "Karen Dickinson, Head of Education, Training and Development (ETD)",
            "Jane Lyon, Head of SUEMU",
            "IT Department (IT)",
            "Sam Hill, Finance Director (FD) (chair of Audit Committee)",
        ]
    )
    assert [(role.title, role.abbreviation) for role in key.roles] == [
        ("Continuous Improvement Manager", "CI Manager"),
        ("Organisational Development Programme Manager", "OD Programme Manager"),
        ("Head of Education, Training and Development", "ETD"),
        ("Head of SUEMU", ""),
        ("IT Department", "IT"),
        ("Finance Director", "FD"),
        ("Chair of Audit Committee", "Audit Committee Chairs"),
    ]
    assert [person.name for person in key.people] == [
        "Jo Evans",
        "Dianne Crookes",
        "Karen Dickinson",
        "Jane Lyon",
        "Sam Hill",
    ]
    assert key.people[-1].note == "chair of Audit Committee"


def test_it_reads_a_group_of_people_holding_one_role():
    key = parse_key(["Carer Representatives: Ann Bell (co-chair CPG), Raj Singh"])
    assert [(r.title, r.abbreviation) for r in key.roles] == [
        ("Carer Representative", ""),
        ("Chair of CPG", "CPG Chairs"),
    ]
    assert [p.is_ebe_lead for p in key.people] == [False, False]


@pytest.mark.parametrize(
    "heading", ["Key to RAG rating:", "RAG key", "BRAG key:", "Key to status ratings"]
)
def test_it_finds_a_rag_key_by_its_heading(heading):
    levels, used = find_rag_key(["x", heading, "", "- Blue: Done", "Green = On track", "", "Next"])
    assert [(level.label, level.definition) for level in levels] == [
        ("Blue", "Done"),
        ("Green", "On track"),
    ]
    assert used == {1, 3, 4}


def test_it_splits_the_plan_heading_into_title_and_version():
    strategy = StrategyInfo()
    read_plan_heading("People Strategy – Delivery Plan Version 3.1 — May 2019", strategy)
    assert (strategy.plan_title, strategy.plan_version) == (
        "People Strategy - Delivery Plan",
        "Version 3.1 - May 2019",
    )


def test_it_finds_committees_named_in_the_summary():
    cover = CoverSheetInfo(
        meeting="Trust Board",
        report_to="Audit and Risk Committee",
        monitoring="Progress will be reported to the People Committee (PC) and to OMG.",
    )
    text = "The Operational Management Group meets monthly."
    names = [(c.name, c.abbreviation) for c in find_committees(text, cover)]
    assert names == [
        ("People Committee", "PC"),
        ("Operational Management Group", "OMG"),
        ("Audit and Risk Committee", ""),
        ("Trust Board", ""),
    ]


PLAN = "Plan heading - v1\n\nTheme: One\n\n{commitments}\n\nArea\tAction\tDue\nA 1\tDo.\tMar 17\n"


def test_it_joins_a_commitment_wrapped_onto_a_second_line():
    paper = parse_paper(PLAN.format(commitments="1. We will do\nthe first thing."), "p.txt")
    assert paper.themes[0].commitments[0].text == "We will do the first thing."


def test_it_refuses_a_commitment_number_written_twice():
    with pytest.raises(PaperError, match="p.txt, line 6: commitment 1 appears twice"):
        parse_paper(PLAN.format(commitments="1. We will.\n1. We will again."), "p.txt")


def test_it_numbers_themes_in_order_and_starts_one_at_a_heading_over_a_table():
    text = (
        PLAN.format(commitments="1. We will.")
        + "\nCorporate areas\n\nArea\tAction\tDue\nB\tGo.\t2018\n"
    )
    paper = parse_paper(text, "p.txt")
    assert [(t.number, t.title, len(t.commitments)) for t in paper.themes] == [
        (1, "One", 1),
        (2, "Corporate areas", 0),
    ]
    assert paper.themes[1].actions[0].area == "B"


def test_it_refuses_a_rag_key_that_defines_a_level_twice():
    with pytest.raises(PaperError, match='line 3: the RAG key defines "green" twice'):
        find_rag_key(["RAG key:", "- Green: on track", "- green: fine"])


def test_it_refuses_a_header_with_no_action_column():
    text = PLAN.format(commitments="1. We will.").replace("Area\tAction\tDue", "Area\tDue\tLead")
    with pytest.raises(PaperError, match="line 7: the table header has no column for the action"):
        parse_paper(text, "p.txt")


def test_it_does_not_take_a_sentence_for_an_entry_of_the_key():
    from planboard.imports.key import is_key_line

    assert is_key_line("Mike Hunter, Medical Director (MD)")
    assert is_key_line("Regular Expert By Experience (EbE) Leads: Brendan Stone, Adam Butcher")
    assert not is_key_line("Jane Smith, our new director, will lead the work.")
    assert not is_key_line("For more information, contact: jane.lyon@shsc.nhs.uk")
