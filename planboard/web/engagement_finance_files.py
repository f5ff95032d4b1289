"""The finance team's download of what is due and paid in a quarter, as CSV and Excel:
names are text cells, never formulae (the project's spreadsheet-safe cells); the rows
are ``engagement.finance``'s."""

import csv
import io

from planboard.engagement.finance import HEADINGS, FinanceRow, totals
from planboard.lib.spreadsheets import csv_cell


def finance_csv(rows: list[FinanceRow]) -> bytes:
    """The rows and their total as CSV (UTF-8 with a byte order mark, for Excel)."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(HEADINGS)
    for row in [*rows, totals(rows)]:
        writer.writerow([csv_cell(value) for value in row.cells()])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def finance_xlsx(rows: list[FinanceRow], title: str) -> bytes:
    """The rows and their total as a workbook: names are text cells, never formulae;
    hours and money are numbers."""
    from openpyxl import Workbook

    from planboard.papers.formats.xlsx_cells import (
        TABLE_HEADING,
        TEXT,
        add_styles,
        write_number,
        write_text,
    )

    workbook = Workbook()
    workbook.properties.title = title
    workbook.properties.creator = "planboard"
    add_styles(workbook)
    sheet = workbook.active
    sheet.title = "Due and paid"
    for column, heading in enumerate(HEADINGS, start=1):
        write_text(sheet, 1, column, heading, TABLE_HEADING)
    sheet.column_dimensions["A"].width = 40
    last = len(rows) + 2
    for number, row in enumerate([*rows, totals(rows)], start=2):
        name, *figures = row.cells()
        write_text(sheet, number, 1, name, TABLE_HEADING if number == last else TEXT)
        for column, figure in enumerate(figures, start=2):
            write_number(sheet, number, column, figure).number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
