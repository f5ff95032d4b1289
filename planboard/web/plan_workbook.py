"""The plan page's download as an Excel workbook, written row by row (``plan_exports``).

The workbook is openpyxl's write-only kind: each row goes to a temporary file as it is
appended, so a plan of 50,000 actions is never held in memory as cells. Each column has
one cell, filled again for every row; its formatting is one of two named-style arrays
made once (with and without Excel's quote prefix), never changed after, because the
workbook keeps the very arrays its cells were written with.
"""

from copy import copy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from planboard.lib.spreadsheets import FORMULA_STARTS
from planboard.papers.formats.xlsx_cells import (
    CELL_LENGTH,
    TABLE_HEADING,
    TEXT,
    WRAPPED,
    add_styles,
    rag_style,
    set_style,
)
from planboard.web.plan_exports import COLUMNS, DATE_COLUMN, RAG_COLUMN

DATE_FORMAT = "yyyy-mm-dd"


def write_workbook(file, strategy, rows) -> None:
    """The workbook of ``rows`` into ``file``: one sheet, "Actions", written as it goes."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{strategy.title}: actions"
    workbook.properties.creator = "planboard"
    add_styles(workbook)
    sheet = workbook.create_sheet("Actions")
    write_actions(sheet, rows)
    workbook.save(file)


def write_actions(sheet, rows) -> None:
    """A header row, frozen and filtered, then one row per action; every text is a text cell.

    ``rows`` are ``plan_rows``: each action's cells and its RAG colour.
    """
    for column, (_, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    # A row appended as cells is written through a check of each as if it were a value
    # (a ValueError raised and caught per cell); the cells here are ready, so each row's
    # cells are only placed (openpyxl 3.1's hook for turning a row into cells).
    sheet._values_to_row = placed
    heading = [TextCell(sheet, TABLE_HEADING) for _ in COLUMNS]
    sheet.append([cell.fill(name) for cell, (name, _, _) in zip(heading, COLUMNS, strict=True)])
    fills = [TextCell(sheet, WRAPPED if wraps else TEXT).fill for _, _, wraps in COLUMNS]
    fills[DATE_COLUMN - 1] = DateCell(sheet, TEXT, DATE_FORMAT).fill
    rag_cells = {}
    row = 1
    for row, (values, colour) in enumerate(rows, start=2):  # noqa: B007 - the last row is kept
        cells = [fill(value) for fill, value in zip(fills, values, strict=True)]
        if rating := values[RAG_COLUMN - 1]:
            style = rag_style(colour)
            if style not in rag_cells:
                rag_cells[style] = TextCell(sheet, style)
            cells[RAG_COLUMN - 1] = rag_cells[style].fill(rating)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{row}"


def placed(cells, row: int):
    """``cells`` (None for no cell) placed in ``row``, one column after another."""
    for column, cell in enumerate(cells, start=1):
        if cell is not None:
            cell.row = row
            cell.column = column
            yield cell


class TextCell:
    """A cell of one named style, filled with one text after another, by the rules of
    ``write_text``: no characters Excel refuses, no more than a cell holds, stored as
    text, and a quote prefix on a text that looks like a formula."""

    def __init__(self, sheet, style: str):
        self.cell = WriteOnlyCell(sheet)
        set_style(self.cell, style)
        self.plain = self.cell._style
        self.quoted = copy(self.plain)
        self.quoted.quotePrefix = True

    def fill(self, text: str):
        text = ILLEGAL_CHARACTERS_RE.sub("", text or "")
        if len(text) > CELL_LENGTH:
            text = text[: CELL_LENGTH - 1] + "…"
        cell = self.cell
        cell._value = text
        cell.data_type = "s"
        cell._style = self.quoted if text.startswith(FORMULA_STARTS) else self.plain
        return cell


class DateCell:
    """A date cell of one named style and number format; no cell for a missing date."""

    def __init__(self, sheet, style: str, number_format: str):
        self.cell = WriteOnlyCell(sheet)
        set_style(self.cell, style)
        self.cell.number_format = number_format

    def fill(self, day):
        if day is None:
            return None
        self.cell.value = day
        return self.cell
