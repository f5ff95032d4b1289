"""Reading a table from a Word document: the table asked for, else the one with most rows.

A plan in Word is often one long table beside smaller ones (a key, a layout table), so
the longest is read unless one is named. Tables nested in a cell are part of their
cell. A cell continuing a vertical merge is ``""``, as a merged cell in a workbook, so
the mapper treats merges and blanks alike.
"""

from planboard.imports import progress
from planboard.imports.errors import PaperError
from planboard.imports.tables import (
    MAX_COLUMNS,
    Budget,
    RawTable,
    at_row,
    clean_text,
    even_rows,
    too_wide,
)
from planboard.imports.tables_office import office_errors, open_document, unreadable

W_TBL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl"
W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def read_docx(data: bytes, source: str, table: int | None) -> RawTable:
    import docx

    checked = open_document(data, source)
    try:
        body = docx.Document(checked.stream()).element.body
        budget = Budget()
        tables = _outer_tables(body, budget, source)
        if not tables:
            raise PaperError("the document has no tables", source=source)
        if table is None:
            # The table with the most rows is the plan; a layout table or key is smaller.
            index = max(range(len(tables)), key=lambda i: (len(tables[i][1]), -i))
        elif 1 <= table <= len(tables):
            index = table - 1
        else:
            count = f"{len(tables)} table" + ("s" if len(tables) > 1 else "")
            raise PaperError(f"the document has {count}; there is no table {table}", source=source)
        what = f"table {index + 1}"
        progress.expect(len(tables[index][1]))
        where = at_row(source, what)
        numbered = (
            (n, _docx_row(tr, n, where, budget)) for n, tr in enumerate(tables[index][1], 1)
        )
        if rows := even_rows(numbered, where):
            return RawTable(source=source, sheet=what, rows=rows)
        raise PaperError(f"{what} of the document is empty", source=source)
    except PaperError:
        raise
    except office_errors() as err:
        raise unreadable("the document", err, source) from None


def _outer_tables(body, budget: Budget, source: str) -> list[tuple]:
    """Each table not nested in another, with its rows; every table and row met is
    charged to ``budget``."""
    tables = []
    for tbl in body.iter(W_TBL):
        nested = next(tbl.iterancestors(W_TBL), None) is not None
        rows = [] if nested else tbl.tr_lst
        if budget.spend(cells=1 + len(rows)):
            raise PaperError(budget.too_many_cells("the document has more than", ""), source=source)
        if not nested:
            tables.append((tbl, rows))
    return tables


def _docx_row(tr, number: int, where, budget: Budget) -> list:
    """The row's text a cell per grid column: a cell continuing a vertical merge is "",
    and a cell spanning several columns gives its text once, then ""."""

    def spend(cells: int = 0, characters: int = 0) -> None:
        if spent := budget.spend(cells=cells, characters=characters):
            raise where(number, spent)

    cells = []
    column = tr.grid_before  # grid columns left empty before the first cell
    found = tr.tc_lst
    spend(len(found))
    for tc in found:
        text = "" if tc.vMerge == "continue" else _cell_text(tc, spend)
        spend(characters=len(text))
        if text:
            if column >= MAX_COLUMNS:
                raise where(number, too_wide(column + 1))
            cells.extend([""] * (column - len(cells)))
            cells.append(text)
        column += max(tc.grid_span, 1)
    return cells


def _cell_text(tc, spend) -> str:
    """The cell's paragraphs, those in content controls too but not a nested table's."""
    return clean_text("\n".join(p.text for p in _paragraphs(tc, spend)))


def _paragraphs(element, spend):
    """The paragraphs in ``element``; each element looked at, and each paragraph's
    parts, are charged by ``spend``."""
    for child in element:
        if child.tag == W_P:
            spend(1 + len(child))
            yield child
        elif child.tag != W_TBL:
            spend(1)
            yield from _paragraphs(child, spend)
