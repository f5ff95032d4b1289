"""Reading the rows of a table from a CSV file, an Excel workbook or a Word document.

What the file is comes from its content: a zip holding ``xl/workbook.xml`` is a
workbook, one holding ``word/document.xml`` a Word document, and text is CSV. A file
whose name promises one thing and whose content is another (a CSV renamed to .xlsx, a
PDF, an image, an old .xls) is refused with a one-line ``PaperError`` saying what it
is. The limits in ``safety`` are checked before any parser sees the bytes, and the XML
parts of a zipped file are refused if they declare entities or a DTD at all, which
Office never writes, so no parser is trusted to defuse them.

Every row has the same number of cells: the width of the table, after trailing empty
columns are dropped. A cell is a ``str`` (stripped, line breaks as ``"\\n"``, ``""``
when blank), a ``datetime.date`` (a real Excel date) or an ``int``/``float`` (an Excel
number). A CSV cell is always text: dates and numbers in it are read by the mapper.
Rows with nothing in them are left out; the others keep the number a person sees.
Errors in a CSV file give its line as ``PaperError.line``; errors in a sheet or a Word
table name the row in the message (``sheet "Plan", row 7: ...``).

CSV is read as UTF-8 (with or without a byte order mark), else as Windows-1252, with
the delimiter that the header line uses most of comma, semicolon and tab (or that
Excel's ``sep=;`` first line names).
Merged cells are not filled in: a cell covered by a merge is ``""``, so the mapper's
rule that a blank area continues the area above applies to merges and blanks alike.
"""

import csv
import datetime
import io
import math
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PureWindowsPath

from planboard.imports import safety
from planboard.imports.errors import PaperError

MAX_ROWS = 10_000
MAX_COLUMNS = 200
# XML a reader holds in memory whole (python-docx: every part; openpyxl in read-only mode:
# all but the sheets, which it streams) takes about 12 bytes for each byte of the file.
MAX_XML_IN_MEMORY = 40 * 1024 * 1024

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
DELIMITERS = ("\t", ";", ",")  # on a tie, the one rarer in text


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
    if kind == XLSX:
        return _read_xlsx(data, source, sheet)
    if kind == DOCX:
        return _read_docx(data, source, table)
    return _read_csv(data, source)


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


def _rows(rows: Iterable[tuple[int, list]], where) -> tuple[RawRow, ...]:
    """The rows with anything in them, trimmed of trailing empty columns and made as
    wide as each other; ``where(number, message)`` makes the error for a row."""
    kept = []
    width = 0
    for number, cells in rows:
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise where(number, _too_wide(len(cells)))
        if len(kept) == MAX_ROWS:
            raise where(
                number, f"the table has more than {MAX_ROWS:,} rows, the most that can be imported"
            )
        width = max(width, len(cells))
        kept.append((number, cells))
    return tuple(
        RawRow(number, tuple(cells + [""] * (width - len(cells)))) for number, cells in kept
    )


def _too_wide(column: int) -> str:
    return (
        f"there is something in column {column}; tables of up to {MAX_COLUMNS} columns "
        "can be imported"
    )


def _at_row(source: str, what: str):
    """Errors naming a row of a sheet or a Word table (PaperError's "line" is for text)."""
    return lambda number, message: PaperError(f"{what}, row {number}: {message}", source=source)


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# CSV ------------------------------------------------------------------------------


def _read_csv(data: bytes, source: str) -> RawTable:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PaperError(
            "the file is saved as UTF-16 text: save it as CSV UTF-8 (comma delimited)",
            source=source,
        )
    if b"\x00" in data:
        raise PaperError(
            "the file contains NUL bytes, so it is not a text (CSV) file",
            source=source,
            line=data[: data.index(b"\x00")].count(b"\n") + 1,
        )
    text = _decode(data, source)
    head = text.lstrip()[:20].lower()
    if head.startswith(("<html", "<!doctype", "<?xml", "<table")):
        raise PaperError(
            "this is a web page or XML file, not CSV: open it in Excel and save it as .xlsx",
            source=source,
        )
    delimiter, skip = _delimiter(text), 0
    first = text.split("\n", 1)[0].rstrip("\r").lower()
    if first[:4] == "sep=" and first[4:] in DELIMITERS:
        delimiter, skip = first[4:], 1  # Excel's "sep=;" line names the delimiter
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def numbered():
        start = 1
        try:
            for record in reader:
                if start > skip:
                    yield start, [_text(cell) for cell in record]
                start = reader.line_num + 1
        except csv.Error as err:
            raise PaperError(_csv_problem(str(err)), source=source, line=start) from None

    rows = _rows(
        numbered(), lambda number, message: PaperError(message, source=source, line=number)
    )
    if not rows:
        raise PaperError("the file is empty: it has no rows", source=source)
    return RawTable(source=source, sheet="", rows=rows)


def _decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252.

    Text in Windows-1252 with any character outside ASCII is almost never valid UTF-8,
    so trying UTF-8 first tells the two apart.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise PaperError(
            "the file is neither UTF-8 nor Windows-1252 text: save it as CSV UTF-8",
            source=source,
            line=data[: err.start].count(b"\n") + 1,
        ) from None


def _delimiter(text: str) -> str:
    """The delimiter used most in the first record, outside quotes; comma if none is.

    On a tie the one rarer in text wins: a header "Ref;Action, in full" is two columns.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text.lstrip("\r\n"):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            break
        elif char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","


def _csv_problem(err: str) -> str:
    if "unexpected end of data" in err:
        return 'a quoted cell that starts on this line is never closed: add the closing "'
    if "expected after" in err:
        return (
            "a cell has text after its closing quote: put the whole cell in quotes and "
            'write each " inside it as ""'
        )
    if "field larger than field limit" in err:
        return "a cell is longer than 131,072 characters"
    return f"the line cannot be read as CSV ({err})"


# Zipped XML -----------------------------------------------------------------------

# What unpacking a damaged part raises: a bad checksum or header (BadZipFile, ValueError,
# EOFError), bad compressed data (zlib.error), an unknown method (NotImplementedError), a
# password (RuntimeError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)
# Pictures and embedded files are never parsed as XML (an SVG picture may have a DOCTYPE).
NOT_PARSED = ("/media/", "/embeddings/")
FORBIDDEN = {
    "<!ENTITY": ("XML entity definitions", "are"),
    "<!DOCTYPE": ("an XML document type declaration", "is"),
}


@cache
def _parsers_checked() -> None:
    safety.check_xml_parsers()


def _check_xml(data: bytes, source: str, *, streamed: tuple[str, ...]) -> None:
    try:
        _search_xml(data, source, streamed)
    except ZIP_ERRORS as err:
        raise PaperError(f"the zip is damaged ({err})", source=source) from None


def _search_xml(data: bytes, source: str, streamed: tuple[str, ...]) -> None:
    """Refuse any part declaring a DTD or entities (billion laughs, external entities),
    and files whose parts read whole (all but those under ``streamed``) are too large.

    Every part is searched, whatever its name: a hostile file can give its sheet any.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [m for m in archive.infolist() if not any(f in m.filename for f in NOT_PARSED)]
        whole = sum(m.file_size for m in parts if not m.filename.startswith(streamed))
        if whole > MAX_XML_IN_MEMORY:
            raise PaperError(
                f"the file holds {whole / 1024 / 1024:.0f} MB of XML to read at once, more "
                f"than the {MAX_XML_IN_MEMORY // 1024 // 1024} MB allowed",
                source=source,
            )
        for member in parts:
            with archive.open(member) as part:
                found = safety.find_declaration(part, FORBIDDEN)
            if found is not None:
                what, are = FORBIDDEN[found]
                raise PaperError(
                    f"the file contains {what} (in {member.filename}), which {are} not allowed",
                    source=source,
                )


def _unreadable(kind: str, err: Exception, source: str) -> PaperError:
    from defusedxml import DefusedXmlException

    cause, depth = err, 0
    while cause is not None and depth < 10:  # openpyxl wraps what it caught in a ValueError
        if isinstance(cause, DefusedXmlException):
            return PaperError(
                "the file contains XML entity definitions, which are not allowed", source=source
            )
        cause, depth = cause.__cause__ or cause.__context__, depth + 1
    return PaperError(f"{kind} is damaged and cannot be read ({type(err).__name__})", source=source)


def _office_errors() -> tuple[type[Exception], ...]:
    """What the Office readers raise on a damaged file (they raise many kinds)."""
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError
    from docx.oxml.exceptions import XmlchemyError
    from lxml.etree import LxmlError
    from openpyxl.utils.exceptions import InvalidFileException

    return ZIP_ERRORS + (
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        SyntaxError,  # xml.etree's ParseError
        LxmlError,
        InvalidFileException,
        OpcError,
        PythonDocxError,
        XmlchemyError,
    )


# XLSX -----------------------------------------------------------------------------


def _read_xlsx(data: bytes, source: str, sheet: str | None) -> RawTable:
    import openpyxl

    _parsers_checked()
    _check_xml(data, source, streamed=("xl/worksheets/",))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            try:
                return _choose_sheet(workbook, source, sheet)
            finally:
                workbook.close()
    except PaperError:
        raise
    except _office_errors() as err:
        raise _unreadable("the workbook", err, source) from None


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
    where = _at_row(source, f'sheet "{ws.title}"')
    ws.reset_dimensions()  # the stored size can be wrong; read what is there
    # openpyxl pads every row out to its last cell, which a hostile sheet puts in column
    # 16,384 of a million rows; keep the cells as parsed (openpyxl is pinned at 3.1.5)
    # and place them here, refusing any beyond MAX_COLUMNS instead of dropping them.
    ws._get_row = lambda parsed, *args, **kwargs: parsed
    rows = enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
    return _rows(((n, _sheet_row(parsed, n, where)) for n, parsed in rows), where)


def _sheet_row(parsed, number: int, where) -> list:
    cells = []
    for cell in parsed:
        value = _xlsx_cell(cell["value"])
        if value == "":
            continue
        column = cell["column"]
        if column > MAX_COLUMNS:
            raise where(number, _too_wide(column))
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
    return _text(str(value))


# DOCX -----------------------------------------------------------------------------

W_TBL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl"
W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _read_docx(data: bytes, source: str, table: int | None) -> RawTable:
    import docx

    _parsers_checked()
    _check_xml(data, source, streamed=())
    try:
        body = docx.Document(io.BytesIO(data)).element.body
        tables = [t for t in body.iter(W_TBL) if not t.xpath("ancestor::w:tbl")]
        if not tables:
            raise PaperError("the document has no tables", source=source)
        if table is None:
            # The table with the most rows is the plan; a layout table or key is smaller.
            index = max(range(len(tables)), key=lambda i: (len(tables[i].tr_lst), -i))
        elif 1 <= table <= len(tables):
            index = table - 1
        else:
            count = f"{len(tables)} table" + ("s" if len(tables) > 1 else "")
            raise PaperError(f"the document has {count}; there is no table {table}", source=source)
        what = f"table {index + 1}"
        where = _at_row(source, what)
        numbered = ((n, _docx_row(tr, n, where)) for n, tr in enumerate(tables[index].tr_lst, 1))
        if rows := _rows(numbered, where):
            return RawTable(source=source, sheet=what, rows=rows)
        raise PaperError(f"{what} of the document is empty", source=source)
    except PaperError:
        raise
    except _office_errors() as err:
        raise _unreadable("the document", err, source) from None


def _docx_row(tr, number: int, where) -> list:
    """The row's text a cell per grid column: a cell continuing a vertical merge is "",
    and a cell spanning several columns gives its text once, then ""."""
    cells = []
    column = tr.grid_before  # grid columns left empty before the first cell
    for tc in tr.tc_lst:
        text = "" if tc.vMerge == "continue" else _cell_text(tc)
        if text:
            if column >= MAX_COLUMNS:
                raise where(number, _too_wide(column + 1))
            cells.extend([""] * (column - len(cells)))
            cells.append(text)
        column += max(tc.grid_span, 1)
    return cells


def _cell_text(tc) -> str:
    """The cell's paragraphs, those in content controls too but not a nested table's."""
    return _text("\n".join(p.text for p in _paragraphs(tc)))


def _paragraphs(element):
    for child in element:
        if child.tag == W_P:
            yield child
        elif child.tag != W_TBL:
            yield from _paragraphs(child)
