"""The board paper as an Excel workbook, read back with openpyxl."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from planboard.papers.formats.xlsx import RAG_FILLS, sheet_name
from planboard.papers.paper import NOT_IN_KEY, NOT_RATED
from planboard.plans.models import Action, Area
from tests.builders import make_action, make_large_plan, make_strategy, make_theme

HEADER = ["Ref", "Area", "Commitments", "Action", "Progress", "Target", "RAG", "Leads"]


SHEETS_BEFORE = ["Cover", "Summary", "Exceptions"]
SHEETS_AFTER = ["All actions", "Appendix"]


def workbook(paper):
    return load_workbook(BytesIO(render(paper, "xlsx")))


def theme_sheets(book):
    """The per-theme sheets, in order."""
    return [book[name] for name in book.sheetnames if name.startswith("Theme ")]


def plan_table(sheet):
    """The plan table's rows of cells under the header, up to the first empty row."""
    rows = []
    for row in sheet.iter_rows(min_row=3, max_col=len(HEADER)):
        if row[0].value is None:
            break
        rows.append(row)
    return rows


def plan_rows(sheet):
    """The plan table's rows under the header, as dicts keyed by column heading."""
    return [
        dict(zip(HEADER, (cell.value for cell in row), strict=True)) for row in plan_table(sheet)
    ]


def rag_cells(book):
    """Every RAG cell of every theme sheet, keyed by the action's ref."""
    return {row[0].value: row[6] for sheet in theme_sheets(book) for row in plan_table(sheet)}


def as_written(row):
    """What a theme sheet holds as an action's target: its date, else the text."""
    if row.target_date is None:
        return row.target
    return datetime.datetime.combine(row.target_date, datetime.time())


def fill(cell):
    return cell.fill.fgColor.rgb[-6:]


def summary_table(sheet, heading):
    """The rows of the summary table under ``heading``, up to the next empty row."""
    start = next(c.row for c in sheet["A"] if c.value == heading)
    rows = []
    for row in sheet.iter_rows(min_row=start + 1, values_only=True):
        if row[0] is None:
            break
        rows.append(row)
    return rows


def test_the_workbook_has_a_cover_a_summary_a_sheet_per_theme_and_all_actions(
    seed_strategy, closed_q3
):
    paper = build_paper(seed_strategy, closed_q3)
    book = workbook(paper)
    themes = [f"Theme {n}" for n in range(1, 7)]
    assert book.sheetnames == SHEETS_BEFORE + themes + SHEETS_AFTER
    assert book.properties.creator == "planboard"
    assert book.properties.title == f"{paper.strategy}: {paper.period}"


def test_every_action_is_one_row_with_its_ref_text_and_area(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    book = workbook(paper)
    written = []
    for theme, sheet in zip(paper.themes, theme_sheets(book), strict=True):
        assert sheet["A1"].value == f"Theme {theme.number}: {theme.title}"
        assert [c.value for c in sheet[2]] == HEADER
        written += plan_rows(sheet)
    assert len(written) == 49
    expected = [
        {
            "Ref": r.ref,
            "Area": r.area or None,
            "Commitments": r.cited or None,
            "Action": r.text,
            "Progress": r.progress or None,
            "Target": as_written(r),
            "RAG": r.rag,
            "Leads": r.leads or None,
        }
        for r in paper.rows
    ]
    assert written == expected


def test_the_header_is_frozen_and_the_filter_covers_the_table(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    book = workbook(paper)
    for theme, sheet in zip(paper.themes, theme_sheets(book), strict=True):
        assert sheet.freeze_panes == "A3"
        assert sheet.auto_filter.ref == f"A2:H{2 + len(theme.rows)}"
        assert sheet["A2"].font.bold
        assert sheet["D3"].alignment.wrap_text
        assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width


def test_rag_cells_carry_the_rating_text_and_its_fill(seed_strategy, closed_q3_with_exceptions):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    cells = rag_cells(workbook(paper))
    rows = {r.ref: r for r in paper.rows}
    green = next(ref for ref, r in rows.items() if r.rag == "Green")
    assert cells["2.1"].value == "Red"
    assert fill(cells["2.1"]) == RAG_FILLS["red"][0]
    assert cells[green].value == "Green"
    assert fill(cells[green]) == RAG_FILLS["green"][0]
    assert cells["1.1"].value == "Amber"
    assert fill(cells["1.1"]) == RAG_FILLS["orange"][0]
    assert cells["2.1"].fill.fill_type == "solid"
    assert cells["2.1"].font.color.rgb[-6:] == RAG_FILLS["red"][1]


def test_ratings_not_in_the_key_keep_their_text_on_a_grey_fill(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    cells = rag_cells(workbook(paper))
    yellow = [r.ref for r in paper.rows if r.rag == "Yellow"]
    assert len(yellow) == 4
    for ref in yellow:
        assert cells[ref].value == "Yellow"
        assert fill(cells[ref]) == RAG_FILLS["grey"][0]
    unrated = [r.ref for r in paper.rows if not r.rated]
    assert unrated
    assert {cells[ref].value for ref in unrated} == {NOT_RATED}
    assert {fill(cells[ref]) for ref in unrated} == {RAG_FILLS["white"][0]}


def test_the_summary_counts_match_the_paper_at_a_glance(seed_strategy, closed_q3_with_exceptions):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    sheet = workbook(paper)["Summary"]
    assert sheet["A1"].value == paper.strategy
    details = {row[0]: row[1] for row in sheet.iter_rows(max_col=2, values_only=True)}
    assert details["Plan version"] == paper.plan_version
    assert details["Period"] == paper.period
    assert details["As of"].date() == paper.as_of == datetime.date(2016, 12, 31)
    assert details["Overdue actions"] == paper.glance.overdue >= 1
    assert details["Actions whose target has moved"] == paper.glance.slipped
    assert details["Update completion"] == pytest.approx(paper.glance.completion)

    table = summary_table(sheet, "RAG ratings by theme")
    labels = [c.label for c in paper.glance.counts]
    assert table[0] == ("Theme", *labels, "Total")
    for theme, row in zip(paper.glance.by_theme, table[1:-1], strict=True):
        assert row == (
            f"{theme.number}. {theme.title}",
            *(c.count for c in theme.counts),
            sum(c.count for c in theme.counts),
        )
    assert table[-1] == ("All themes", *(c.count for c in paper.glance.counts), 49)


def test_the_summary_key_shows_each_level_in_its_fill_with_its_definition(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    sheet = workbook(paper)["Summary"]
    key = summary_table(sheet, "RAG key")
    assert key[0][:2] == ("Rating", "Definition")
    labels = [k.label for k in paper.key]
    assert [row[:2] for row in key[1 : len(labels) + 1]] == [
        (k.label, k.definition) for k in paper.key
    ]
    assert [row[0] for row in key[len(labels) + 1 :]] == [NOT_IN_KEY, NOT_RATED]
    red = next(c for c in sheet["A"] if c.value == "Red")
    assert fill(red) == RAG_FILLS["red"][0]


def test_the_live_plan_summary_says_it_is_the_plan_as_it_stands(seed_strategy):
    paper = build_paper(seed_strategy)
    book = workbook(paper)
    details = {row[0]: row[1] for row in book["Summary"].iter_rows(max_col=2, values_only=True)}
    assert details["Period"] == "Plan as it stands"
    assert details["Update completion"] == "Not measured"
    assert book.properties.title == f"{paper.strategy}: plan as it stands"


@pytest.mark.parametrize("typed", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x", "\r=x", "#N/A"])
def test_text_that_looks_like_a_formula_is_written_as_text(seed_strategy, typed):
    action = Action.objects.for_strategy(seed_strategy).in_plan_order().first()
    action.text = typed
    action.progress = typed
    action.lead_text = typed
    action.area = Area.objects.create(strategy=seed_strategy, name=f"{typed} area")
    action.save()
    action.leads.clear()
    sheet = workbook(build_paper(seed_strategy))["Theme 1"]
    row = sheet[3]
    assert row[0].value == action.ref
    for cell in (row[1], row[3], row[4], row[7]):
        assert cell.data_type == "s"
        assert cell.value.startswith(typed)
    assert row[3].value == row[4].value == row[7].value == typed
    assert row[1].value == f"{typed} area"
    if typed[0] in "=+-@\t\r":
        assert row[3].quotePrefix


def test_a_formula_in_a_theme_title_stays_text(db):
    strategy = make_strategy(title='=HYPERLINK("http://example.com")')
    theme = make_theme(strategy, title="@SUM(1)")
    make_action(theme, text="=A1", rating="Green")
    book = workbook(build_paper(strategy))
    assert book["Summary"]["A1"].value == strategy.title
    assert book["Summary"]["A1"].data_type == "s"
    assert book["Theme 1"]["A1"].value == "Theme 1: @SUM(1)"
    counts = summary_table(book["Summary"], "RAG ratings by theme")
    assert counts[1][0] == "1. @SUM(1)"


def test_long_theme_titles_and_forbidden_characters_keep_valid_sheet_names(db):
    strategy = make_strategy()
    long_title = "Partnership working: innovation [phase 2] / digital * services? " * 3
    first = make_theme(strategy, title=long_title)
    second = make_theme(strategy, title="Carers\\families: 'what next'?")
    make_action(first, text="Long titled.")
    make_action(second, text="Forbidden characters.")
    book = workbook(build_paper(strategy))
    assert book.sheetnames == [*SHEETS_BEFORE, "Theme 1", "Theme 2", *SHEETS_AFTER]
    assert book["Theme 1"]["A1"].value == f"Theme 1: {long_title}"
    assert book["Theme 2"]["A1"].value == "Theme 2: Carers\\families: 'what next'?"
    assert book["Theme 2"]["D3"].value == "Forbidden characters."


def test_sheet_names_are_sanitised_shortened_and_unique():
    name = sheet_name("Partnership [working]: a/b\\c * d? and a great deal more", [])
    assert len(name) <= 31
    assert not set(name) & set("[]:*?/\\")
    assert name == "Partnership working a b c d and"
    assert sheet_name("Summary", ["Summary"]) == "Summary (2)"
    assert sheet_name("summary", ["Summary", "summary (2)"]) == "summary (3)"
    taken = ["x" * 31]
    assert sheet_name("x" * 40, taken) == "x" * 27 + " (2)"
    assert sheet_name("History", []) == "History (2)"
    assert sheet_name("'quoted'", []) == "quoted"
    assert sheet_name("???", []) == "Sheet"


def test_a_large_synthetic_plan_writes_every_action(db):
    strategy = make_large_plan(slug="xlsx-large", actions=300, themes=4)
    paper = build_paper(strategy)
    book = workbook(paper)
    themes = ["Theme 1", "Theme 2", "Theme 3", "Theme 4"]
    assert book.sheetnames == SHEETS_BEFORE + themes + SHEETS_AFTER
    refs = [row["Ref"] for sheet in theme_sheets(book) for row in plan_rows(sheet)]
    assert refs == [r.ref for r in paper.rows]
    assert len(refs) == 300
    cells = rag_cells(book)
    for row in paper.rows:
        colour = row.rag_colour if row.rag_colour in RAG_FILLS else "grey"
        assert cells[row.ref].value == row.rag
        assert fill(cells[row.ref]) == RAG_FILLS[colour][0]


def test_unknown_options_are_ignored(seed_strategy):
    paper = build_paper(seed_strategy)
    data = render(paper, "xlsx", template="board", language="en")
    assert data[:2] == b"PK"
