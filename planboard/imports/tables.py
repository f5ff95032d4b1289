"""Reading the rows of a table from a CSV file, an Excel workbook or a Word document.

What the file is comes from its content: a zip holding ``xl/workbook.xml`` is a
workbook, one holding ``word/document.xml`` a Word document, and text is CSV. A file
whose name promises one thing and whose content is another (a CSV renamed to .xlsx, a
PDF, an image, an old .xls) is refused with a one-line ``PaperError`` saying what it
is. The limits in ``safety`` are checked before any parser sees the bytes. Each kind
has its reader (``tables_csv``, ``tables_xlsx``, ``tables_docx``); they all give the
same ``RawTable``, so the import never asks which kind of file it came from.

Every row has the same number of cells: the width of the table, after trailing empty
columns are dropped. A cell is a ``str`` (stripped, line breaks as ``"\\n"``, ``""``
when blank), a ``datetime.date`` (a real Excel date) or an ``int``/``float`` (an Excel
number). A CSV cell is always text: dates and numbers in it are read by the mapper.
Rows with nothing in them are left out; the others keep the number a person sees.
Errors in a CSV file give its line as ``PaperError.line``; errors in a sheet or a Word
table name the row in the message (``sheet "Plan", row 7: ...``).

What reading a file may cost is bounded, whatever it holds: each reader charges every
row and cell it meets, empty or not, to the file's ``Budget`` (settings
``IMPORT_MAX_CELLS``, ``IMPORT_MAX_SHEET_MB`` and ``IMPORT_MAX_CHARACTERS``) and gives
up with a one-line error when it runs out, and a table may have at most ``max_rows()``
rows with something in them (the import then counts its actions).
"""

import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from django.conf import settings

from planboard.imports import progress, safety
from planboard.imports.errors import PaperError

MAX_COLUMNS = 200

XLSX = "an Excel workbook (.xlsx)"
DOCX = "a Word document (.docx)"
CSV = "a CSV file"
KIND_BY_SUFFIX = {
    ".csv": CSV,
    ".tsv": CSV,
    ".txt": CSV,
    ".xlsx": XLSX,
    ".xlsm": XLSX,
    ".docx": DOCX,
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_TABLES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "a Rich Text (.rtf) document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"PK\x05\x06", "an empty zip archive"),
)


@dataclass(frozen=True)
class RawRow:
    """One row with something in it, numbered as a person sees it (CSV lines from 1,
    counting the header; spreadsheet rows; table rows in a Word document)."""

    number: int
    cells: tuple


@dataclass(frozen=True)
class RawTable:
    source: str
    sheet: str  # the sheet's name for a workbook, "table N" for Word, "" for CSV
    rows: tuple[RawRow, ...]

    def as_json(self) -> dict:
        """The table as JSON, for keeping it between the import page's steps: a date is
        ``{"date": "2024-03-31"}`` and a float ``{"float": "2.5"}``, so each cell comes
        back as the type it was whatever the database does to JSON numbers."""
        return {
            "source": self.source,
            "sheet": self.sheet,
            "rows": [[row.number, [_cell_json(cell) for cell in row.cells]] for row in self.rows],
        }

    @classmethod
    def from_json(cls, kept: dict) -> "RawTable":
        rows = tuple(
            RawRow(number, tuple(_json_cell(cell) for cell in cells))
            for number, cells in kept["rows"]
        )
        return cls(source=kept["source"], sheet=kept["sheet"], rows=rows)


def _cell_json(cell):
    if isinstance(cell, datetime.date):
        return {"date": cell.isoformat()}
    if isinstance(cell, float):
        return {"float": repr(cell)}
    return cell


def _json_cell(value):
    if isinstance(value, dict):
        if "date" in value:
            return datetime.date.fromisoformat(value["date"])
        return float(value["float"])
    return value


class Budget:
    """What reading one file may still look at: ``cells`` counts every row and cell met,
    empty or not (in a workbook, every XML element of the sheets read), ``sheet_bytes``
    the unpacked XML of a workbook's sheets read, ``characters`` the text of the cells
    kept. One budget serves every sheet or table of the file that is looked at, so a
    workbook of many sheets costs no more than one sheet."""

    def __init__(self):
        self.cells = settings.IMPORT_MAX_CELLS
        self.sheet_bytes = settings.IMPORT_MAX_SHEET_MB * 1024 * 1024
        self.characters = settings.IMPORT_MAX_CHARACTERS

    def spend(self, *, cells: int = 0, characters: int = 0) -> str | None:
        """Take ``cells`` and ``characters`` from what is left: the one-line reason when
        either runs out (cells first), else None."""
        self.cells -= cells
        self.characters -= characters
        if self.cells < 0:
            return self.too_many_cells()
        if self.characters < 0:
            return self.too_many_characters()
        return None

    @staticmethod
    def too_many_cells(what: str = "the file passes", here: str = " here") -> str:
        return (
            f"{what} {settings.IMPORT_MAX_CELLS:,} cells{here}, counting empty ones, more than "
            "a table of actions has; delete the empty rows and columns around the table"
        )

    @staticmethod
    def too_much_xml(what: str) -> str:
        return (
            f"{what} {settings.IMPORT_MAX_SHEET_MB} MB of sheet XML, more than a table of "
            "actions has; delete the empty rows and columns around the table"
        )

    @staticmethod
    def too_many_characters() -> str:
        return (
            f"the file passes {settings.IMPORT_MAX_CHARACTERS:,} characters of text here, more "
            "than a table of actions has"
        )


def read_table(path: Path, *, sheet: str | None = None, table: int | None = None) -> RawTable:
    """The table in the file at ``path``.

    ``sheet`` names a workbook's sheet (exactly, else ignoring case); without it the first
    visible sheet with anything in it is read, and a hidden one only if no visible sheet
    has anything. ``table`` numbers a Word document's tables from 1 (tables nested in a
    cell are part of their cell); without it the table with the most rows is read, the
    first of equals. Each is ignored for the other kinds of file.
    """
    path = Path(path)
    return read_table_bytes(safety.read_limited(path), path.name, sheet=sheet, table=table)


def read_table_bytes(
    data: bytes, name: str, *, sheet: str | None = None, table: int | None = None
) -> RawTable:
    """The table in an uploaded file's ``data``; ``name`` is the file's name."""
    source = PureWindowsPath(name).name or "upload"  # a browser may send C:\\...\\plan.csv
    if len(data) > safety.MAX_FILE_BYTES:
        raise PaperError(
            f"the file is {len(data) / 1024 / 1024:.1f} MB; files of up to "
            f"{safety.MAX_FILE_BYTES // 1024 // 1024} MB can be imported",
            source=source,
        )
    if not data.strip():
        raise PaperError("the file is empty", source=source)
    suffix = Path(source).suffix.lower()
    expected = KIND_BY_SUFFIX.get(suffix)
    kind = _kind(data, source, suffix, expected)
    if expected and kind != expected:
        raise PaperError(_mismatch(data, kind, expected, suffix), source=source)
    # Each reader builds this module's RawRows, so it is imported here, when a file of
    # its kind comes, rather than at the top.
    if kind == XLSX:
        from planboard.imports.tables_xlsx import read_xlsx

        return read_xlsx(data, source, sheet)
    if kind == DOCX:
        from planboard.imports.tables_docx import read_docx

        return read_docx(data, source, table)
    from planboard.imports.tables_csv import read_csv

    return read_csv(data, source)


def _kind(data: bytes, source: str, suffix: str, expected: str | None) -> str:
    """XLSX, DOCX or CSV from the content, or a PaperError saying what the file is."""
    if data.startswith(OLE2_MAGIC):
        if suffix in (".doc", ".docx"):
            advice = "open it in Word and save it as a Word Document (.docx)"
        else:
            advice = "open it in Excel and save it as an Excel Workbook (.xlsx)"
        raise PaperError(
            f"this is an old-style Office file (.xls or .doc) or a password-protected one: "
            f"{advice}, without a password",
            source=source,
        )
    for magic, what in NOT_TABLES:
        if data.startswith(magic):
            raise PaperError(
                f"this is {what}, not a table: save the table as .xlsx, .docx or CSV",
                source=source,
            )
    if not data.startswith(safety.ZIP_MAGIC):
        return CSV
    wanted = expected if expected in (XLSX, DOCX) else "a table"
    try:
        safety.check_zip(data, source, kind=wanted)
    except NotImplementedError as err:  # a zip format version zipfile does not know
        raise PaperError(
            f"this is not {wanted}: the zip is damaged ({err})", source=source
        ) from None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    raise PaperError(
        f"this is a zip archive, not {expected or 'an Excel workbook or a Word document'}",
        source=source,
    )


def _mismatch(data: bytes, kind: str, expected: str, suffix: str) -> str:
    if kind == CSV and b"\x00" in data[:65536]:
        return f"this is not {expected}: it is not a zipped Office file"
    if kind == CSV:
        return (
            f"this is not {expected}: it is plain text, perhaps a CSV file named {suffix}; "
            "rename it to end in .csv, or open it and save it as .xlsx"
        )
    right = ".xlsx" if kind == XLSX else ".docx"
    return f"this is {kind}, not {expected}: rename it to end in {right}"


def even_rows(rows: Iterable[tuple[int, list]], where) -> tuple[RawRow, ...]:
    """The rows with anything in them, trimmed of trailing empty columns and made as
    wide as each other; ``where(number, message)`` makes the error for a row.

    Reading stops at the row past ``max_rows()``; empty rows do not count. Each row
    met is reported to ``progress``, for an import's page."""
    kept = []
    width = 0
    most = max_rows()
    for number, cells in rows:
        progress.reached(number)
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise where(number, too_wide(len(cells)))
        if len(kept) == most:
            raise where(
                number,
                f"there are more than {most:,} rows with something in them; tables of up to "
                f"{settings.IMPORT_MAX_ACTIONS:,} actions can be imported",
            )
        width = max(width, len(cells))
        kept.append((number, cells))
    return tuple(
        RawRow(number, tuple(cells + [""] * (width - len(cells)))) for number, cells in kept
    )


def max_rows() -> int:
    """The most rows with something in them a table may have: twice the actions an import
    takes, and the rows a title block and the header may take, leaving room for rows
    naming areas and other rows that are not actions."""
    from planboard.imports.table_header import HEADER_ROWS  # it reads this module's tables

    return 2 * settings.IMPORT_MAX_ACTIONS + HEADER_ROWS


def too_wide(column: int) -> str:
    return (
        f"there is something in column {column}; tables of up to {MAX_COLUMNS} columns "
        "can be imported"
    )


def at_row(source: str, what: str):
    """Errors naming a row of a sheet or a Word table (PaperError's "line" is for text)."""
    return lambda number, message: PaperError(f"{what}, row {number}: {message}", source=source)


def clean_text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()
