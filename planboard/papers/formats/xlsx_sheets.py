"""The workbook's sheets after the summary: the exceptions, one sheet per theme, every
action on one sheet ready for a pivot table, and the appendix."""

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from planboard.papers.formats.xlsx_cells import (
    DAY_FORMAT,
    SUBHEADING,
    TABLE_HEADING,
    TEXT,
    TITLE,
    WRAPPED,
    fit_to_width,
    rag_fill_style,
    set_widths,
    write_date,
    write_number,
    write_table,
    write_target,
    write_text,
)

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
PLAN_TARGET, PLAN_RAG = 6, 7

# Every column of an action, for the "All actions" sheet.
ACTION_COLUMNS = (
    ("Ref", 7, False),
    ("Theme", 8, False),
    ("Theme title", 28, True),
    ("Area", 22, True),
    ("Commitments", 14, True),
    ("Action", 50, True),
    ("Progress", 60, True),
    ("Target", 14, False),
    ("Target date", 13, False),
    ("Original target", 14, False),
    ("Status", 13, False),
    ("RAG", 12, True),
    ("Leads", 26, True),
    ("Leads decoded", 50, True),
)
ACTION_STYLES = [WRAPPED if wraps else TEXT for _, _, wraps in ACTION_COLUMNS]
ACTIONS_TABLE = "AllActions"
EXCEPTION_COLUMNS = ("Ref", "Action", "Note", "Leads")
LEAD_KEY = "Key to leads"


def write_exceptions(sheet, paper) -> None:
    """The lists a board acts on, each action with its leads, then the actions not
    updated counted per lead (the full list is in the appendix)."""
    set_widths(sheet, (16, 60, 44, 26))
    write_text(sheet, 1, 1, "Exceptions", TITLE)
    exceptions = paper.exceptions
    row = 3
    for group in exceptions.board_groups:
        row = write_group(sheet, row, group) + 1
    if exceptions.for_period:
        write_text(sheet, row, 1, exceptions.not_updated_heading, SUBHEADING)
        counts = exceptions.not_updated_by_lead
        if counts:
            rows = [(c.lead, c.decoded, c.count) for c in counts]
            row = write_table(
                sheet, row + 1, ("Lead", "What it stands for", "Count"), rows, [TEXT, WRAPPED, TEXT]
            )
            row += 1
            write_text(sheet, row, 1, "The Appendix sheet lists every action not updated.")
        else:
            write_text(sheet, row + 1, 1, "Every open action has an update.")
            row += 1
        row += 2
    if exceptions.note:
        write_text(sheet, row, 1, exceptions.note)
    fit_to_width(sheet)


def write_group(sheet, row: int, group) -> int:
    """An exception list under its heading with its count; returns the row after it."""
    write_text(sheet, row, 1, group.heading, SUBHEADING)
    if not group.items:
        write_text(sheet, row + 1, 1, group.empty)
        return row + 2
    rows = [(item.ref, item.text, item.note, item.leads) for item in group.items]
    return write_table(sheet, row + 1, EXCEPTION_COLUMNS, rows, [TEXT, WRAPPED, WRAPPED, WRAPPED])


def write_theme(sheet, theme) -> None:
    """A theme's plan table under its title: frozen header, autofilter, one row per
    action, targets as dates; then the key to the leads its rows name."""
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
            if column == PLAN_TARGET:
                write_target(sheet, row, column, action, style)
                continue
            if column == PLAN_RAG:
                style = rag_fill_style(action.rag_colour)
            write_text(sheet, row, column, value, style)
    last_column = get_column_letter(len(PLAN_COLUMNS))
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1).coordinate
    sheet.auto_filter.ref = f"A{header}:{last_column}{row}"
    sheet.print_title_rows = f"{header}:{header}"
    fit_to_width(sheet)
    if theme.lead_key:
        write_text(sheet, row + 2, 1, LEAD_KEY, SUBHEADING)
        for number, role in enumerate(theme.lead_key, start=row + 3):
            write_text(sheet, number, 1, f"{role.short}: {role.decoded}")


def decoded_leads(action, decoded: dict[str, str]) -> str:
    """Each of an action's leads with what the key says of it, "; " between them;
    ``decoded`` holds the key's roles that say more than their short name."""
    return "; ".join(
        f"{short}: {decoded[short]}" if short in decoded else short for short in action.lead_roles
    )


def write_all_actions(sheet, paper) -> None:
    """Every action on one row, every column, under a single header row: an Excel table
    with a frozen header, no merged cells and real dates, ready for a pivot table."""
    for column, (heading, width, _) in enumerate(ACTION_COLUMNS, start=1):
        write_text(sheet, 1, column, heading, TABLE_HEADING)
        sheet.column_dimensions[get_column_letter(column)].width = width
    decoded = {}
    for role in paper.people_key.roles:  # the first of a short name, as the key decodes it
        if role.says_more:
            decoded.setdefault(role.short, role.decoded)
    row = 1
    for theme in paper.themes:
        for action in theme.rows:
            row += 1
            write_action(sheet, row, theme, action, decoded)
    last = f"{get_column_letter(len(ACTION_COLUMNS))}{max(row, 2)}"
    table = Table(displayName=ACTIONS_TABLE, ref=f"A1:{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    fit_to_width(sheet)


def write_action(sheet, row: int, theme, action, decoded) -> None:
    """One action's row of the "All actions" sheet (an empty text leaves its cell empty)."""
    texts = {
        1: action.ref,
        3: theme.title,
        4: action.area,
        5: action.cited,
        6: action.text,
        7: action.progress,
        8: action.target,
        10: action.original_target,
        11: action.status,
        13: action.leads,
        14: decoded_leads(action, decoded),
    }
    for column, text in texts.items():
        if text:
            write_text(sheet, row, column, text, ACTION_STYLES[column - 1])
    write_number(sheet, row, 2, theme.number)
    if action.target_date is not None:
        write_date(sheet, row, 9, action.target_date, DAY_FORMAT)
    write_text(sheet, row, 12, action.rag, rag_fill_style(action.rag_colour))


def write_appendix(sheet, paper) -> None:
    """The longer lists (every action not updated, ratings improved), which actions serve
    each commitment, and the checker's findings only when the paper asks for them."""
    set_widths(sheet, (16, 60, 44, 26))
    write_text(sheet, 1, 1, "Appendix", TITLE)
    row = 3
    for group in paper.exceptions.appendix_groups:
        row = write_group(sheet, row, group) + 1
    write_text(sheet, row, 1, "Commitment coverage", SUBHEADING)
    rows = [
        (c.ref, c.text, ", ".join(c.served_by) or "Not served by any action")
        for c in paper.coverage
    ]
    headings = ("Commitment", "Text", "Served by actions")
    row = write_table(sheet, row + 1, headings, rows, [TEXT, WRAPPED, WRAPPED]) + 1
    if paper.show_findings:
        row = write_findings(sheet, row, paper) + 1
    if paper.own_review_note:
        write_text(sheet, row, 1, "Updates accepted without a second reviewer", SUBHEADING)
        write_text(sheet, row + 1, 1, paper.own_review_note)
    fit_to_width(sheet)


def write_findings(sheet, row: int, paper) -> int:
    """The checker's findings about the plan's records; returns the row after them."""
    findings = paper.data_findings
    write_text(
        sheet, row, 1, f"Checker findings about the plan's records ({len(findings)})", SUBHEADING
    )
    if findings:
        rows = [(f.ref, f.message) for f in findings]
        row = write_table(sheet, row + 1, ("Ref", "Finding"), rows, [TEXT, WRAPPED]) + 1
    else:
        clean = "The checker found no problems with how the plan is recorded."
        write_text(sheet, row + 1, 1, clean)
        row += 2
    if paper.delivery_findings:
        delivery = (
            f"The checker's {paper.delivery_findings} delivery findings (overdue actions, "
            "moved targets, actions not updated) are the exceptions listed on the "
            "Exceptions sheet and in this appendix."
        )
    else:
        delivery = (
            "The checker found no delivery problems: no action is overdue, has a moved "
            "target or is waiting for an update."
        )
    write_text(sheet, row, 1, delivery)
    return row + 1
