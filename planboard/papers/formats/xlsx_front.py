"""The workbook's first sheets: the Cover (what a board reads before the plan) and the
Summary (the figures at a glance, RAG counts by theme and the RAG key)."""

from openpyxl.utils import get_column_letter

from planboard.papers.formats.xlsx_cells import (
    HEADING,
    LONG_DAY_FORMAT,
    SUBHEADING,
    TABLE_HEADING,
    TEXT,
    TITLE,
    TOTAL,
    WRAPPED,
    day_of,
    fit_to_width,
    rag_fill_style,
    set_widths,
    write_date,
    write_number,
    write_table,
    write_text,
)
from planboard.papers.paper import NOT_IN_KEY, NOT_RATED

KEY_NOTES = (
    (NOT_IN_KEY, "grey", "A rating written in the plan that is not on this scale."),
    (NOT_RATED, "white", "No rating given."),
)
EBE_LEADS = "Expert by Experience leads"
NO_PEOPLE_KEY = "The plan has no key of roles and people."


def write_cover(sheet, paper) -> None:
    """The header block, the title, the plan's title, version and preface, the cover
    sheet's and summary report's fields, then the key of roles and people."""
    set_widths(sheet, (34, 90, 40))
    front = paper.front
    header = [("Trust", front.organisation if front else paper.organisation)]
    if front:
        header += [
            ("Meeting", front.meeting),
            ("Date of meeting", front.meeting_date),
            ("Reference", front.reference),
            ("Item", front.item),
        ]
    row = write_fields(sheet, 1, header)
    title = front.title if front else paper.strategy
    write_text(sheet, row + 1, 1, title, TITLE)
    plan = [
        ("Plan", front.plan_title if front else paper.strategy),
        ("Version", front.plan_version if front else paper.plan_version),
        ("Period", paper.period or "Plan as it stands"),
    ]
    row = write_fields(sheet, row + 2, plan)
    if front and front.preface:
        write_text(sheet, row, 1, "Preface", TOTAL)
        write_text(sheet, row, 2, front.preface, WRAPPED)
        row += 1
    if paper.cover:
        write_text(sheet, row + 1, 1, "Cover sheet", HEADING)
        row = write_fields(sheet, row + 2, [(f.label, f.value) for f in paper.cover], all_=True)
        row = write_ticks(
            sheet, row, paper.framework_ticks, "Links to the NHS constitution and other frameworks"
        )
        write_text(sheet, row + 1, 1, "Summary report", HEADING)
        row = write_ticks(sheet, row + 2, paper.purpose_ticks, "Purpose")
        row = write_fields(sheet, row, [(f.label, f.value) for f in paper.summary], all_=True)
    write_people_key(sheet, row + 1, paper.people_key)
    fit_to_width(sheet)


def write_fields(sheet, row: int, fields, all_=False) -> int:
    """Label and value pairs from ``row``, the empty ones left out unless ``all_``; a
    value written as a day ("8 March 2017") is a real date. Returns the row after them."""
    for label, value in fields:
        if not value and not all_:
            continue
        write_text(sheet, row, 1, label, TOTAL)
        day = day_of(value or "")
        if day is not None:
            write_date(sheet, row, 2, day, LONG_DAY_FORMAT, TEXT)
        else:
            write_text(sheet, row, 2, value, WRAPPED)
        row += 1
    return row


def write_ticks(sheet, row: int, ticks, caption: str) -> int:
    """Tick boxes under ``caption``, each "Yes" or "No"; returns the row after them."""
    if not ticks:
        return row
    write_text(sheet, row, 1, caption, SUBHEADING)
    first = row + 1
    for row, tick in enumerate(ticks, start=first):  # noqa: B020 - the last row is kept
        write_text(sheet, row, 1, tick.label, WRAPPED)
        write_text(sheet, row, 2, "Yes" if tick.ticked else "No")
    return row + 1


def write_people_key(sheet, row: int, key) -> int:
    """The key of roles and people: the Expert by Experience leads as a group, everyone
    else with their roles, and the roles nobody named holds. Returns the row after it."""
    write_text(sheet, row, 1, "Key of roles and people", HEADING)
    row += 1
    if not key:
        write_text(sheet, row, 1, NO_PEOPLE_KEY)
        return row + 1
    for caption, people in ((EBE_LEADS, key.ebe_leads), ("People", key.people)):
        if people:
            write_text(sheet, row, 1, caption, SUBHEADING)
            rows = [(p.name, ", ".join(p.roles), p.note) for p in people]
            row = write_table(sheet, row + 1, ("Name", "Roles", "Note"), rows) + 1
    if key.unheld:
        write_text(sheet, row, 1, "Roles nobody named holds", SUBHEADING)
        rows = [(role.title, role.short) for role in key.unheld]
        row = write_table(sheet, row + 1, ("Role", "Short name"), rows) + 1
    return row


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
    write_date(sheet, row, 2, paper.as_of, LONG_DAY_FORMAT)
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
        write_text(sheet, header, column, count.label, rag_fill_style(count.colour))
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
        write_text(sheet, row, 1, label, rag_fill_style(colour))
        write_text(sheet, row, 2, definition)
        row += 1
