"""The cells of planboard's workbooks: named styles, and writers that keep text as text.

Every text in a paper was typed by someone, so none of it is trusted as a formula: a
string that begins with = + - @, a tab or a carriage return is stored as a plain text
cell (with Excel's quote prefix, which shows it as text without changing the value).

Styles are named styles registered once per workbook; cells refer to them by name, so a
plan of thousands of actions costs no more style lookups than a plan of fifty. A cell
takes its named style's formatting from a table kept per workbook (as openpyxl does
when a style is set by name, without searching the workbook's styles for every cell).
"""

import calendar
import datetime
import re
from copy import copy
from weakref import WeakKeyDictionary

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from planboard.lib.letters import long_date
from planboard.lib.spreadsheets import FORMULA_STARTS
from planboard.papers.formats.colours import solid_fills
from planboard.plans.targets import DatePrecision, format_target

# Background and text colours of the NHS.UK tag component (nhsuk-frontend 10): a pale
# tint with dark text of the same hue, as the plan page's download shows a rating.
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
# The paper's RAG cells: a solid fill in the level's own colour (the NHS.UK colour the
# chart draws it in) with the word inside in a colour that reads on it at 4.5:1 or
# more: white on the dark colours, NHS.UK text black on the light ones. "Not rated" is
# white with a border, "Not in key" grey, so neither passes for a rating.
DARK_TEXT = "212B32"
RAG_FILLS = solid_fills(DARK_TEXT)
UNKNOWN_COLOUR = "grey"
RULE_COLOUR = "425563"

TITLE = "planboard title"
HEADING = "planboard heading"
SUBHEADING = "planboard subheading"
TABLE_HEADING = "planboard table heading"
TEXT = "planboard text"
WRAPPED = "planboard wrapped text"
TOTAL = "planboard total"

# Excel holds at most this many characters in a cell, and reports a longer one as damage.
CELL_LENGTH = 32767

# Excel's rules for sheet names: at most 31 characters, none of []:*?/\, not "History".
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = {"history"}

# A date the paper shows as a day, and the number formats that show a target no more
# precisely than the plan gives it (a quarter's format is made per quarter).
DAY_FORMAT = "d mmm yyyy"
LONG_DAY_FORMAT = "d mmmm yyyy"
TARGET_FORMATS = {
    DatePrecision.DAY: DAY_FORMAT,
    DatePrecision.MONTH: "mmm yyyy",
    DatePrecision.YEAR: "yyyy",
}


def rag_style(colour: str) -> str:
    """The named style of a tag-coloured RAG cell (grey when the colour is unknown)."""
    return f"planboard RAG {colour if colour in TAG_COLOURS else UNKNOWN_COLOUR}"


def rag_fill_style(colour: str) -> str:
    """The named style of a paper's RAG cell: solid in the level's colour."""
    return f"planboard RAG fill {colour if colour in RAG_FILLS else UNKNOWN_COLOUR}"


def add_styles(workbook) -> None:
    """Register the named styles every cell of a workbook uses, once per workbook."""
    plain = body_font()
    bold = body_font(bold=True)
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    rule = Border(bottom=Side(style="thin", color=RULE_COLOUR))
    styles = [
        NamedStyle(TITLE, font=body_font(bold=True, size=14)),
        NamedStyle(HEADING, font=body_font(bold=True, size=12)),
        NamedStyle(SUBHEADING, font=bold),
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
    edge = Side(style="thin", color=RULE_COLOUR)
    for colour, (background, text) in RAG_FILLS.items():
        styles.append(
            NamedStyle(
                rag_fill_style(colour),
                font=body_font(bold=True, color=text),
                fill=PatternFill("solid", fgColor=background),
                border=Border(left=edge, right=edge, top=edge, bottom=edge),
                alignment=wrapped,
            )
        )
    for style in styles:
        workbook.add_named_style(style)
    _STYLE_ARRAYS[workbook] = {style.name: style.as_tuple() for style in styles}


# Each workbook's named styles, by name, as the formatting openpyxl gives a cell.
_STYLE_ARRAYS = WeakKeyDictionary()


def set_style(cell, name: str) -> None:
    """Give ``cell`` the named style ``name``: ``cell.style = name``, found faster."""
    array = _STYLE_ARRAYS.get(cell.parent.parent, {}).get(name)
    if array is None:
        cell.style = name
    else:
        cell._style = copy(array)


def body_font(bold=False, size=11, color=None) -> Font:
    """A font of the workbook's body face, so every named style prints alike."""
    return Font(name="Calibri", size=size, bold=bold, color=color)


def write_text(sheet, row: int, column: int, text: str, style: str = TEXT):
    """Write ``text`` as a text cell, never a formula, whatever it begins with."""
    cell = sheet.cell(row=row, column=column)
    text = ILLEGAL_CHARACTERS_RE.sub("", text or "")
    if len(text) > CELL_LENGTH:
        text = text[: CELL_LENGTH - 1] + "…"
    cell.value = text
    # openpyxl reads "=..." as a formula and "#N/A" as an error; a typed text is neither.
    cell.data_type = "s"
    set_style(cell, style)
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def write_number(sheet, row: int, column: int, number, style: str = TEXT):
    """Write a count, a rate or a date as a number cell."""
    cell = sheet.cell(row=row, column=column, value=number)
    set_style(cell, style)
    return cell


def write_date(sheet, row: int, column: int, date, number_format: str, style: str = TEXT):
    """Write ``date`` as a real Excel date shown with ``number_format``."""
    cell = write_number(sheet, row, column, date, style)
    cell.number_format = number_format
    return cell


def target_format(date: datetime.date, written: str) -> str | None:
    """The number format that shows ``date`` as the plan writes its target (``written``):
    "mmm yyyy" for a month, "d mmm yyyy" for a day, "yyyy" for a year, and for a quarter
    its first month as text before the last ("Jan-Mar 2017"). None when no precision
    writes ``date`` as ``written``."""
    for precision in DatePrecision:
        if format_target(date, precision) != written:
            continue
        if precision == DatePrecision.QUARTER:
            return f'"{calendar.month_abbr[date.month - 2]}-"mmm yyyy'
        return TARGET_FORMATS[precision]
    return None


def write_target(sheet, row: int, column: int, action, style: str = TEXT):
    """An action's target as a date cell that reads as the plan writes it; the text as
    written when it has no date, or when no number format could show it so."""
    if action.target_date is not None:
        number_format = target_format(action.target_date, action.target)
        if number_format is not None:
            return write_date(sheet, row, column, action.target_date, number_format, style)
    return write_text(sheet, row, column, action.target, style)


def day_of(text: str) -> datetime.date | None:
    """The date a paper's field writes as "8 March 2017", or None for any other text."""
    try:
        day = datetime.datetime.strptime(text, "%d %B %Y").date()
    except ValueError:
        return None
    return day if long_date(day) == text else None


def write_table(sheet, row: int, headings, rows, styles=None) -> int:
    """A table from ``row``: a header row, then ``rows``, each a value per heading (a
    text written as text, a count as a number); returns the row after the table."""
    for column, heading in enumerate(headings, start=1):
        write_text(sheet, row, column, heading, TABLE_HEADING)
    styles = styles or [WRAPPED] * len(headings)
    first = row + 1
    for row, values in enumerate(rows, start=first):  # noqa: B020 - the last row is kept
        for column, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
            if isinstance(value, int | float):
                write_number(sheet, row, column, value, style)
            else:
                write_text(sheet, row, column, value, style)
    return row + 1


def set_widths(sheet, widths) -> None:
    """Column widths in characters, from column A."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def fit_to_width(sheet) -> None:
    """Print the sheet landscape, as wide as one page and as long as it needs."""
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
