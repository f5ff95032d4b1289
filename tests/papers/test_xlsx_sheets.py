"""The workbook's Cover, Exceptions, All actions and Appendix sheets, its lead keys, dates
and RAG fills, read back with openpyxl."""

import datetime
import re
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass, replace
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from planboard.papers.formats.xlsx_cells import DAY_FORMAT, RAG_FILLS, day_of, target_format
from planboard.papers.formats.xlsx_sheets import ACTION_COLUMNS
from planboard.papers.models import CoverSheet
from planboard.papers.paper import NOT_IN_KEY, NOT_RATED, PeopleKey
from planboard.plans.targets import DatePrecision, end_of_span, format_target
from tests.builders import make_action, make_large_plan, make_strategy, make_theme
from tests.papers.test_xlsx import plan_table, theme_sheets

HEADINGS = [heading for heading, _, _ in ACTION_COLUMNS]


def workbook(paper):
    return load_workbook(BytesIO(render(paper, "xlsx")))


def pairs(sheet):
    """Column A's label and column B's value, for every row that has a label (the first
    with a value, when a caption has the label of a field)."""
    found = {}
    for a, b in sheet.iter_rows(max_col=2, values_only=True):
        if a and found.get(a) is None:
            found[a] = b
    return found


def texts(sheet):
    """Every value of the sheet, as text."""
    return [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def table_under(sheet, heading):
    """The rows under ``heading`` in column A (its header row first), to the next gap."""
    start = next(c.row for c in sheet["A"] if c.value == heading)
    rows = []
    for row in sheet.iter_rows(min_row=start + 1, values_only=True):
        if row[0] is None:
            break
        rows.append(tuple(v for v in row if v is not None))
    return rows


def all_actions(book):
    """The All actions sheet's rows as dicts keyed by heading, and its cells."""
    sheet = book["All actions"]
    cells = list(sheet.iter_rows(min_row=2, max_col=len(HEADINGS)))
    return [dict(zip(HEADINGS, (c.value for c in row), strict=True)) for row in cells], cells


def fill(cell):
    return cell.fill.fgColor.rgb[-6:]


def luminance(rgb: str) -> float:
    def channel(hex_pair):
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(rgb[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_cover_opens_with_the_header_block_the_title_and_the_preface(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    sheet = workbook(paper)["Cover"]
    header = [tuple(r) for r in sheet.iter_rows(max_row=5, max_col=2, values_only=True)]
    assert header == [
        ("Trust", "SHSC"),
        ("Meeting", "Board of Directors"),
        ("Date of meeting", datetime.datetime(2017, 3, 8)),
        ("Reference", "BoD: 08.03.17"),
        ("Item", "5"),
    ]
    assert sheet["B3"].is_date and sheet["B3"].number_format == "d mmmm yyyy"
    assert sheet["A7"].value == paper.front.title
    assert sheet["A7"].font.bold
    fields = pairs(sheet)
    assert fields["Plan"] == seed_strategy.plan_title
    assert fields["Version"] == "v2 - January 2017"
    assert "the RAG rating should be interpreted with care" in fields["Preface"]
    dates = 0
    for field in paper.cover + paper.summary:
        if day_of(field.value):
            dates += 1
            assert fields[field.label].date() == day_of(field.value)
        else:
            assert fields[field.label] == (field.value or None)
    assert dates >= 2
    ticks = [t.label for t in paper.framework_ticks + paper.purpose_ticks]
    assert ticks and all(fields[label] in ("Yes", "No") for label in ticks)


def test_the_cover_holds_the_key_of_roles_and_people(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    sheet = workbook(paper)["Cover"]
    people = table_under(sheet, "People")
    assert people[0] == ("Name", "Roles", "Note")
    assert ("Mike Hunter", "Medical Director (MD)") in people
    assert ("Mia Bajin", "Engagement Manager (EM)") in people
    ebe = [row[0] for row in table_under(sheet, "Expert by Experience leads")[1:]]
    assert ebe == [person.name for person in paper.people_key.ebe_leads]
    assert "Richard Fletcher" in ebe
    assert table_under(sheet, "Roles nobody named holds") == [
        ("Role", "Short name"),
        ("IT Department", "IT"),
    ]


def test_a_paper_with_no_front_matter_no_cover_sheet_and_no_key_still_has_a_cover(
    seed_strategy,
):
    paper = build_paper(seed_strategy)
    bare = replace(paper, front=None, cover=(), summary=(), people_key=PeopleKey())
    sheet = workbook(bare)["Cover"]
    fields = pairs(sheet)
    assert fields["Trust"] == paper.organisation
    assert fields["Period"] == "Plan as it stands"
    assert "Meeting" not in fields and "Preface" not in fields
    assert "The plan has no key of roles and people." in texts(sheet)


def test_exceptions_carry_their_leads_and_not_updated_is_counted_per_lead(
    seed_strategy, closed_q3_with_exceptions
):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    sheet = workbook(paper)["Exceptions"]
    overdue = table_under(sheet, "Overdue (1)")
    assert overdue == [
        ("Ref", "Action", "Note", "Leads"),
        ("1.1", *overdue[1][1:2], "Due by Nov 2016", "SUSEG Chairs"),
    ]
    rated = table_under(sheet, "Rated Amber or Red (2)")
    assert (
        "2.1",
        "A second EM (band 6) is starting in Feb 17",
        "Red",
        "CI Manager / Head of CG",
    ) in rated
    exceptions = paper.exceptions
    counts = table_under(sheet, exceptions.not_updated_heading)
    assert counts[0] == ("Lead", "What it stands for", "Count")
    by_lead = [
        (c.lead, c.decoded, c.count) if c.decoded else (c.lead, c.count)
        for c in exceptions.not_updated_by_lead
    ]
    assert counts[1:] == by_lead
    assert ("EM", "Engagement Manager (Laura Di Bona, Mia Bajin)", 20) in counts
    # The not-updated actions themselves are listed only in the appendix.
    listed = {row[0] for row in sheet.iter_rows(values_only=True)}
    only_not_updated = {e.ref for e in exceptions.not_updated} - {"1.1", "2.1"}
    assert only_not_updated and not listed & only_not_updated
    appendix = workbook(paper)["Appendix"]
    full = table_under(appendix, exceptions.not_updated_heading)
    assert [row[0] for row in full[1:]] == [e.ref for e in exceptions.not_updated]
    assert full[1][-1] == exceptions.not_updated[0].leads


def test_findings_are_in_the_appendix_only_when_the_paper_asks(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    assert paper.data_findings
    message = paper.data_findings[0].message
    default = texts(workbook(paper)["Appendix"])
    assert "Commitment coverage" in default
    assert not any(t.startswith("Checker findings") for t in default)
    assert message not in default
    every = [t for sheet in workbook(paper).worksheets for t in texts(sheet)]
    assert message not in every
    shown = workbook(replace(paper, show_findings=True))["Appendix"]
    findings = table_under(
        shown, f"Checker findings about the plan's records ({len(paper.data_findings)})"
    )
    assert findings[0] == ("Ref", "Finding")
    assert [row[-1] for row in findings[1:]] == [f.message for f in paper.data_findings]


def test_each_theme_sheet_has_its_lead_key_under_the_table(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    book = workbook(paper)
    for theme, sheet in zip(paper.themes, theme_sheets(book), strict=True):
        last = 2 + len(theme.rows)
        assert len(plan_table(sheet)) == len(theme.rows)
        assert sheet.auto_filter.ref.endswith(str(last))
        if not theme.lead_key:
            assert sheet.max_row == last
            continue
        assert sheet.cell(row=last + 2, column=1).value == "Key to leads"
        key = [sheet.cell(row=last + 3 + i, column=1).value for i in range(len(theme.lead_key))]
        assert key == [f"{role.short}: {role.decoded}" for role in theme.lead_key]
    first = [c.value for c in book["Theme 1"]["A"]]
    assert "EM: Engagement Manager (Laura Di Bona, Mia Bajin)" in first


def test_theme_targets_are_dates_shown_as_the_plan_writes_them(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    book = workbook(paper)
    cells = {row[0].value: row[5] for sheet in theme_sheets(book) for row in plan_table(sheet)}
    for row in paper.rows:
        cell = cells[row.ref]
        if row.target_date is None:
            assert (cell.value, cell.data_type) == (row.target, "s")
        else:
            assert cell.is_date and cell.value.date() == row.target_date
            assert cell.number_format == "mmm yyyy"  # the seed gives months


def show(number_format: str, date: datetime.date) -> str:
    """``date`` as Excel shows it with the formats planboard writes: a quoted literal,
    d, mmm, mmmm, yyyy and spaces."""
    tokens = re.findall(r'"[^"]*"|d|mmmm|mmm|yyyy| ', number_format)
    assert "".join(tokens) == number_format
    parts = {"d": str(date.day), "mmmm": f"{date:%B}", "mmm": f"{date:%b}", "yyyy": f"{date:%Y}"}
    return "".join(t.strip('"') if t.startswith('"') else parts.get(t, t) for t in tokens)


@given(
    st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2090, 12, 31)),
    st.sampled_from(list(DatePrecision)),
)
def test_every_target_format_shows_the_date_as_the_plan_writes_it(day, precision):
    target = end_of_span(day, precision)
    written = format_target(target, precision)
    assert show(target_format(target, written), target) == written
    assert target_format(target, "No target date") is None


def test_all_actions_is_one_row_per_action_ready_for_a_pivot_table(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    book = workbook(paper)
    sheet = book["All actions"]
    assert [c.value for c in sheet[1]] == HEADINGS
    rows, cells = all_actions(book)
    assert [r["Ref"] for r in rows] == [row.ref for row in paper.rows]
    titles = {theme.number: theme.title for theme in paper.themes}
    for row, written, cell_row in zip(paper.rows, rows, cells, strict=True):
        assert written["Theme"] == row.theme_number
        assert written["Theme title"] == titles[row.theme_number]
        assert written["Action"] == row.text
        assert written["Target"] == row.target
        assert written["Status"] == row.status
        assert written["RAG"] == row.rag
        assert written["Leads"] == (row.leads or None)
        assert written["Original target"] == (row.original_target or None)
        date = cell_row[HEADINGS.index("Target date")]
        if row.target_date is None:
            assert date.value is None
        else:
            assert date.is_date and date.value.date() == row.target_date
            assert date.number_format == DAY_FORMAT
    one_two = rows[1]
    assert one_two["Leads decoded"].startswith(
        "EM: Engagement Manager (Laura Di Bona, Mia Bajin); "
    )
    (table,) = sheet.tables.values()
    assert table.ref == f"A1:N{len(paper.rows) + 1}"
    assert [c.name for c in table.tableColumns] == HEADINGS
    assert table.autoFilter is not None and table.headerRowCount == 1
    assert sheet.freeze_panes == "A2"
    for each in book.worksheets:
        assert not each.merged_cells.ranges


def test_rag_cells_are_solid_with_readable_words_and_unrated_cells_stand_apart(
    seed_strategy, closed_q3_with_exceptions
):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    rows, cells = all_actions(workbook(paper))
    rag = {
        r["Ref"]: cell_row[HEADINGS.index("RAG")] for r, cell_row in zip(rows, cells, strict=True)
    }
    seen = set()
    for row in paper.rows:
        cell = rag[row.ref]
        assert cell.value == row.rag and cell.fill.fill_type == "solid"
        assert contrast(fill(cell), cell.font.color.rgb[-6:]) >= 4.5
        seen.add((row.rag, fill(cell)))
    assert ("Red", "D5281B") in seen and ("Green", "007F3B") in seen and ("Amber", "ED8B00") in seen
    unrated = next(rag[r.ref] for r in paper.rows if r.rag == NOT_RATED)
    off_key = next(rag[r.ref] for r in paper.rows if not r.in_key)
    assert fill(unrated) == "FFFFFF" and unrated.border.left.style == "thin"
    assert fill(off_key) != fill(unrated) and fill(off_key) not in {"D5281B", "007F3B", "ED8B00"}
    for background, text in RAG_FILLS.values():
        assert contrast(background, text) >= 4.5
    key = workbook(paper)["Summary"]
    labels = {c.value: fill(c) for c in key["A"] if c.value in (NOT_IN_KEY, NOT_RATED)}
    assert labels == {NOT_IN_KEY: RAG_FILLS["grey"][0], NOT_RATED: RAG_FILLS["white"][0]}


def test_the_workbook_survives_a_round_trip_through_openpyxl(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    book = workbook(paper)
    again = BytesIO()
    book.save(again)
    reread = load_workbook(BytesIO(again.getvalue()))
    assert reread.sheetnames == book.sheetnames
    assert list(reread["All actions"].tables) == ["AllActions"]
    for sheet in book.worksheets:
        assert list(reread[sheet.title].values) == list(sheet.values)


def test_typed_formulas_stay_text_on_the_new_sheets(seed_strategy, closed_q3):
    CoverSheet.objects.filter(period=closed_q3).update(meeting="=cmd|' /C calc'!A0")
    paper = build_paper(seed_strategy, closed_q3)
    paper = replace(paper, front=replace(paper.front, preface="+SUM(A1)"))
    book = workbook(paper)
    for value in ("=cmd|' /C calc'!A0", "+SUM(A1)"):
        cell = next(c for row in book["Cover"].iter_rows() for c in row if c.value == value)
        assert cell.data_type == "s" and cell.quotePrefix


def test_an_empty_plan_and_a_large_one_make_whole_workbooks(db):
    strategy = make_strategy()
    make_theme(strategy, title="Nothing yet")
    book = workbook(build_paper(strategy))
    assert book["All actions"].tables["AllActions"].ref == "A1:N2"
    assert book["All actions"].max_row <= 2

    large = make_large_plan(slug="xlsx-thousand", actions=1000, themes=5)
    paper = build_paper(large)
    rows, _ = all_actions(workbook(paper))
    assert [r["Ref"] for r in rows] == [row.ref for row in paper.rows]
    assert len(rows) == 1000


def test_one_theme_with_a_formula_title_reads_as_text_on_all_actions(db):
    strategy = make_strategy()
    theme = make_theme(strategy, title="=HYPERLINK(1)")
    make_action(theme, text="-1", rating="Green")
    rows, cells = all_actions(workbook(build_paper(strategy)))
    assert (rows[0]["Theme title"], rows[0]["Action"]) == ("=HYPERLINK(1)", "-1")
    assert cells[0][2].data_type == "s" and cells[0][5].quotePrefix


def poisoned(value, prefix: str):
    """``value`` with ``prefix`` before every text it holds, however deep."""
    if isinstance(value, str):
        return prefix + value
    if isinstance(value, tuple):
        return tuple(poisoned(item, prefix) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclass_fields(value)]
        return replace(value, **{name: poisoned(getattr(value, name), prefix) for name in names})
    return value


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t=", "\r="])
def test_no_typed_text_anywhere_in_the_workbook_becomes_a_formula(
    seed_strategy, closed_q3_with_exceptions, prefix
):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    paper = replace(poisoned(paper, prefix), show_findings=True)
    book = workbook(paper)
    typed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str) and cell.value.startswith(prefix):
                    typed += 1
                    assert cell.data_type == "s" and cell.quotePrefix
    # Every sheet's typed text was written: the people, the leads, the rows, the findings.
    assert typed > 10 * len(paper.rows)
    cover = texts(book["Cover"])
    assert f"{prefix}Mike Hunter" in cover and f"{prefix}SHSC" in cover
