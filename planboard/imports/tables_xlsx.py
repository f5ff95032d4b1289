"""Reading a table from an Excel workbook: the sheet asked for, else the first with rows.

openpyxl opens the workbook (its sheets, shared strings and styles); the rows are read
by ``tables_sheet``, which streams a sheet's XML and charges every row and cell to the
file's budget. A hostile sheet can put a cell in column 16,384 of a million rows, so
cells are placed as parsed and any beyond ``MAX_COLUMNS`` refused. Merged cells are not
filled in: a cell covered by a merge is ``""``, so the mapper's rule that a blank area
continues the area above applies to merges and blanks alike.
"""

import warnings

from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from planboard.imports.errors import PaperError
from planboard.imports.tables import Budget, RawRow, RawTable, at_row, even_rows
from planboard.imports.tables_office import office_errors, open_workbook, unreadable
from planboard.imports.tables_sheet import SheetRows, charge

# Opening a workbook read-only, openpyxl finds each sheet's size from its <dimension>, and
# parses the whole sheet when there is none: seconds and gigabytes for a sheet of empty
# rows, before a row is read. The size is never used here (rows are read as they come),
# so it is not looked for. openpyxl is pinned at 3.1.5.
ReadOnlyWorksheet._get_size = lambda self: None


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
    budget = Budget()  # for every sheet looked at
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
        if rows := _read_sheet(chosen[0], source, budget):
            return RawTable(source=source, sheet=chosen[0].title, rows=rows)
        raise PaperError(f'the sheet "{chosen[0].title}" is empty', source=source)
    # Visible sheets first, in order; a hidden sheet is read only when nothing else has rows.
    for ws in sorted(sheets, key=lambda ws: ws.sheet_state != "visible"):
        if rows := _read_sheet(ws, source, budget):
            return RawTable(source=source, sheet=ws.title, rows=rows)
    raise PaperError("the workbook is empty: none of its sheets has anything in it", source=source)


def _read_sheet(ws, source: str, budget: Budget) -> tuple[RawRow, ...]:
    where = at_row(source, f'sheet "{ws.title}"')
    charge(ws, budget, source)
    with ws._get_source() as part:
        return even_rows(SheetRows(ws, budget, where).read(part), where)
