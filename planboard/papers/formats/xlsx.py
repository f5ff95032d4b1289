"""The board paper as an Excel workbook, for people who sort, filter and annotate the plan.

A "Summary" sheet comes first (the paper's heading, the figures at a glance, RAG counts
by theme and the RAG key), then one sheet per theme holding its plan table: one row per
action, the area repeated on every row so a filter never loses it, a frozen header and
an autofilter. A RAG cell always carries the rating's text as well as its fill, so the
rating never rests on colour alone.

Every text in the paper was typed by someone, so none of it is trusted as a formula: a
string that begins with = + - @, a tab or a carriage return is stored as a plain text
cell (with Excel's quote prefix, which shows it as text without changing the value).

Styles are named styles registered once per workbook; cells refer to them by name, so a
plan of thousands of actions costs no more style lookups than a plan of fifty.
"""

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from planboard.lib.spreadsheets import FORMULA_STARTS
from planboard.papers.paper import NOT_IN_KEY, NOT_RATED

# Background and text colours of the NHS.UK tag component (nhsuk-frontend 10), so a RAG
# cell looks like the tag on the web page: a pale tint with dark text of the same hue.
TAG_COLOURS = {
    "green": ("CCE5D8", "004C23"),
    "yellow": ("FFF59D", "4D4712"),
    "orange": ("FFDC8E", "4D3708"),
    "red": ("F7D4D1", "6B140E"),
    "blue": ("CCDFF1", "004281"),
    "aqua-green": ("CCEDEB", "00524D"),
    "purple": ("D6CCE3", "240050"),
    "pink": ("EFD3E3", "57133A"),
    "grey": ("DBE0E3", "354550"),
    "white": ("FFFFFF", "212B32"),
}
UNKNOWN_COLOUR = "grey"

# Excel's rules for sheet names: at most 31 characters, none of []:*?/\, not "History".
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = {"history"}

# The plan table's columns: heading, width in characters, whether long text wraps.
PLAN_COLUMNS = (
    ("Ref", 7, False),
    ("Area", 22, True),
    ("Commitments", 14, True),
    ("Action", 50, True),
    ("Progress", 60, True),
    ("Target", 12, False),
    ("RAG", 12, True),
    ("Leads", 26, True),
)
RAG_COLUMN = 7

KEY_NOTES = (
    (NOT_IN_KEY, "grey", "A rating written in the plan that is not on this scale."),
    (NOT_RATED, "white", "No rating given."),
)

TITLE = "planboard title"
HEADING = "planboard heading"
TABLE_HEADING = "planboard table heading"
TEXT = "planboard text"
WRAPPED = "planboard wrapped text"
TOTAL = "planboard total"


def render(paper, **options) -> bytes:
    """``paper`` as an XLSX workbook; options other formats take are ignored."""
    workbook = Workbook()
    workbook.properties.title = paper_title(paper)
    workbook.properties.creator = "planboard"
    add_styles(workbook)
    summary = workbook.active
    summary.title = "Summary"
    write_summary(summary, paper)
    taken = [summary.title]
    for theme in paper.themes:
        sheet = workbook.create_sheet(sheet_name(f"Theme {theme.number}", taken))
        taken.append(sheet.title)
        write_theme(sheet, theme)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def paper_title(paper) -> str:
    """The document title: the strategy and the period, or the live plan."""
    return f"{paper.strategy}: {paper.period or 'plan as it stands'}"


def rag_style(colour: str) -> str:
    """The named style of a RAG cell for an NHS.UK tag colour (grey when unknown)."""
    return f"planboard RAG {colour if colour in TAG_COLOURS else UNKNOWN_COLOUR}"


def add_styles(workbook) -> None:
    """Register the named styles every cell of the paper uses, once per workbook."""
    plain = body_font()
    bold = body_font(bold=True)
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    rule = Border(bottom=Side(style="thin", color="425563"))
    styles = [
        NamedStyle(TITLE, font=body_font(bold=True, size=14)),
        NamedStyle(HEADING, font=body_font(bold=True, size=12)),
        NamedStyle(
            TABLE_HEADING,
            font=bold,
            fill=PatternFill("solid", fgColor="F0F4F5"),
            border=rule,
            alignment=wrapped,
        ),
        NamedStyle(TEXT, font=plain, alignment=top),
        NamedStyle(WRAPPED, font=plain, alignment=wrapped),
        NamedStyle(TOTAL, font=bold, alignment=top),
    ]
    for colour, (background, text) in TAG_COLOURS.items():
        styles.append(
            NamedStyle(
                rag_style(colour),
                font=body_font(bold=True, color=text),
                fill=PatternFill("solid", fgColor=background),
                alignment=wrapped,
            )
        )
    for style in styles:
        workbook.add_named_style(style)


def body_font(bold=False, size=11, color=None) -> Font:
    """A font of the workbook's body face, so every named style prints alike."""
    return Font(name="Calibri", size=size, bold=bold, color=color)


def write_text(sheet, row: int, column: int, text: str, style: str = TEXT):
    """Write ``text`` as a text cell, never a formula, whatever it begins with."""
    cell = sheet.cell(row=row, column=column)
    text = ILLEGAL_CHARACTERS_RE.sub("", text or "")
    cell.value = text
    # openpyxl reads "=..." as a formula and "#N/A" as an error; a typed text is neither.
    cell.data_type = "s"
    cell.style = style
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def write_number(sheet, row: int, column: int, number, style: str = TEXT):
    """Write a count or a rate as a number cell."""
    cell = sheet.cell(row=row, column=column, value=number)
    cell.style = style
    return cell


def write_summary(sheet, paper) -> None:
    """The summary sheet: heading, figures at a glance, RAG counts by theme, the RAG key."""
    sheet.column_dimensions["A"].width = 48
    write_text(sheet, 1, 1, paper.strategy, TITLE)
    details = [
        ("Organisation", paper.organisation),
        ("Plan version", paper.plan_version),
        ("Period", paper.period or "Plan as it stands"),
    ]
    if paper.period:
        details.append(("Status", "Closed" if paper.closed else "Open: the plan as it stands"))
    row = 2
    for label, value in details:
        if value:
            write_text(sheet, row, 1, label, TOTAL)
            write_text(sheet, row, 2, value)
            row += 1
    write_text(sheet, row, 1, "As of", TOTAL)
    write_number(sheet, row, 2, paper.as_of).number_format = "d mmmm yyyy"
    row = write_glance(sheet, row + 2, paper.glance)
    row = write_counts(sheet, row + 1, paper.glance)
    write_key(sheet, row + 1, paper.key)


def write_glance(sheet, row: int, glance) -> int:
    """The figures at a glance from ``row``; returns the row after them."""
    write_text(sheet, row, 1, "At a glance", HEADING)
    write_text(sheet, row + 1, 1, "Update completion", TOTAL)
    if glance.completion is None:
        write_text(sheet, row + 1, 2, "Not measured")
    else:
        write_number(sheet, row + 1, 2, glance.completion).number_format = "0%"
        write_text(sheet, row + 1, 3, f"{glance.updated} of {glance.open} open actions updated")
    write_text(sheet, row + 2, 1, "Overdue actions", TOTAL)
    write_number(sheet, row + 2, 2, glance.overdue)
    write_text(sheet, row + 3, 1, "Actions whose target has moved", TOTAL)
    write_number(sheet, row + 3, 2, glance.slipped)
    return row + 4


def write_counts(sheet, row: int, glance) -> int:
    """RAG counts by theme as a table with a total row; returns the row after it."""
    write_text(sheet, row, 1, "RAG ratings by theme", HEADING)
    header = row + 1
    write_text(sheet, header, 1, "Theme", TABLE_HEADING)
    for column, count in enumerate(glance.counts, start=2):
        write_text(sheet, header, column, count.label, rag_style(count.colour))
        sheet.column_dimensions[get_column_letter(column)].width = 13
    total_column = len(glance.counts) + 2
    write_text(sheet, header, total_column, "Total", TABLE_HEADING)
    sheet.column_dimensions[get_column_letter(total_column)].width = 13
    row = header + 1
    for theme in glance.by_theme:
        write_text(sheet, row, 1, f"{theme.number}. {theme.title}", WRAPPED)
        write_count_row(sheet, row, theme.counts, TEXT)
        row += 1
    write_text(sheet, row, 1, "All themes", TOTAL)
    write_count_row(sheet, row, glance.counts, TOTAL)
    return row + 1


def write_count_row(sheet, row: int, counts, style: str) -> None:
    """One row of counts, one per label, then their total."""
    for column, count in enumerate(counts, start=2):
        write_number(sheet, row, column, count.count, style)
    write_number(sheet, row, len(counts) + 2, sum(c.count for c in counts), style)


def write_key(sheet, row: int, key) -> None:
    """The RAG key: each level's label in its fill, and its definition."""
    write_text(sheet, row, 1, "RAG key", HEADING)
    write_text(sheet, row + 1, 1, "Rating", TABLE_HEADING)
    write_text(sheet, row + 1, 2, "Definition", TABLE_HEADING)
    row += 2
    levels = [(level.label, level.colour, level.definition) for level in key]
    for label, colour, definition in levels + list(KEY_NOTES):
        write_text(sheet, row, 1, label, rag_style(colour))
        write_text(sheet, row, 2, definition)
        row += 1


def write_theme(sheet, theme) -> None:
    """A theme's plan table under its title: frozen header, autofilter, one row per action."""
    write_text(sheet, 1, 1, f"Theme {theme.number}: {theme.title}", TITLE)
    header = 2
    for column, (heading, width, _) in enumerate(PLAN_COLUMNS, start=1):
        write_text(sheet, header, column, heading, TABLE_HEADING)
        sheet.column_dimensions[get_column_letter(column)].width = width
    styles = [WRAPPED if wraps else TEXT for _, _, wraps in PLAN_COLUMNS]
    row = header
    for row, action in enumerate(theme.rows, start=header + 1):
        values = (
            action.ref,
            action.area,
            action.cited,
            action.text,
            action.progress,
            action.target,
            action.rag,
            action.leads,
        )
        for column, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
            if column == RAG_COLUMN:
                style = rag_style(action.rag_colour)
            write_text(sheet, row, column, value, style)
    last_column = get_column_letter(len(PLAN_COLUMNS))
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1).coordinate
    sheet.auto_filter.ref = f"A{header}:{last_column}{row}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def sheet_name(wanted: str, taken) -> str:
    """``wanted`` made a valid Excel sheet name, unlike any name in ``taken``."""
    name = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", wanted).split()).strip("'")
    name = name[:SHEET_NAME_LENGTH].rstrip() or "Sheet"
    used = {t.casefold() for t in taken} | RESERVED_SHEET_NAMES
    candidate, copy = name, 2
    while candidate.casefold() in used:
        suffix = f" ({copy})"
        candidate = name[: SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
        copy += 1
    return candidate
