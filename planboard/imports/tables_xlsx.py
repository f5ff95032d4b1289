"""Reading a table from an Excel workbook: the sheet asked for, else the first with rows.

A hostile sheet can put a cell in column 16,384 of a million rows, so cells are placed
as parsed and any beyond ``MAX_COLUMNS`` refused, instead of openpyxl padding every
row. Merged cells are not filled in: a cell covered by a merge is ``""``, so the
mapper's rule that a blank area continues the area above applies to merges and blanks
alike.
"""

import datetime
import math
import warnings

from planboard.imports.errors import PaperError
from planboard.imports.tables import (
    MAX_COLUMNS,
    RawRow,
    RawTable,
    at_row,
    clean_text,
    even_rows,
    too_wide,
)
from planboard.imports.tables_office import office_errors, open_workbook, unreadable


def read_xlsx(data: bytes, source: str, sheet: str | None) -> RawTable:
    import openpyxl

    checked = open_workbook(data, source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                checked.stream(), read_only=True, data_only=True, keep_links=False
            )
            try:
                return _choose_sheet(workbook, source, sheet)
            finally:
                workbook.close()
    except PaperError:
        raise
    except office_errors() as err:
        raise unreadable("the workbook", err, source) from None


def _choose_sheet(workbook, source: str, sheet: str | None) -> RawTable:
    sheets = workbook.worksheets
    if sheet is not None:
        chosen = [ws for ws in sheets if ws.title == sheet] or [
            ws for ws in sheets if ws.title.strip().casefold() == sheet.strip().casefold()
        ]
        if not chosen:
            names = ", ".join(f'"{ws.title}"' for ws in sheets)
            raise PaperError(
                f'the workbook has no sheet "{sheet}"; its sheets are {names}', source=source
            )
        if rows := _read_sheet(chosen[0], source):
            return RawTable(source=source, sheet=chosen[0].title, rows=rows)
        raise PaperError(f'the sheet "{chosen[0].title}" is empty', source=source)
    # Visible sheets first, in order; a hidden sheet is read only when nothing else has rows.
    for ws in sorted(sheets, key=lambda ws: ws.sheet_state != "visible"):
        if rows := _read_sheet(ws, source):
            return RawTable(source=source, sheet=ws.title, rows=rows)
    raise PaperError("the workbook is empty: none of its sheets has anything in it", source=source)


def _read_sheet(ws, source: str) -> tuple[RawRow, ...]:
    where = at_row(source, f'sheet "{ws.title}"')
    ws.reset_dimensions()  # the stored size can be wrong; read what is there
    # openpyxl pads every row out to its last cell, which a hostile sheet puts in column
    # 16,384 of a million rows; keep the cells as parsed (openpyxl is pinned at 3.1.5)
    # and place them here, refusing any beyond MAX_COLUMNS instead of dropping them.
    ws._get_row = lambda parsed, *args, **kwargs: parsed
    rows = enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
    return even_rows(((n, _sheet_row(parsed, n, where)) for n, parsed in rows), where)


def _sheet_row(parsed, number: int, where) -> list:
    cells = []
    for cell in parsed:
        value = _xlsx_cell(cell["value"])
        if value == "":
            continue
        column = cell["column"]
        if column > MAX_COLUMNS:
            raise where(number, too_wide(column))
        cells.extend([""] * (column - 1 - len(cells)))
        if len(cells) < column:
            cells.append(value)
    return cells


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    return clean_text(str(value))
