"""A workbook sheet's rows as its XML streams past, its size charged to a budget first.

openpyxl's read-only reader builds an element for every row and cell, empty or not,
keeps them until the sheet ends, and pads the rows between: a sheet of a million empty
rows took seconds and gigabytes. Here the sheet's XML is first unpacked and counted
without being parsed (its bytes, and its elements, one for each ``<`` that opens a
tag), and charged to the file's ``Budget``: a sheet of millions of empty rows is refused
in the time it takes to unpack the part of it within the budget. Only then is it parsed,
with expat a chunk at a time, keeping only the cells with something in them. The
values are read as openpyxl reads them with ``data_only``: a formula's cached value,
shared and inline strings, numbers, booleans, errors, and numbers in a date format as
dates.
"""

import datetime
import math
import re
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601

from planboard.imports import progress
from planboard.imports.errors import PaperError
from planboard.imports.tables import MAX_COLUMNS, Budget, clean_text, too_wide

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
ROW, CELL, VALUE, INLINE, TEXT, PHONETIC = (
    MAIN + name for name in ("row", "c", "v", "is", "t", "rPh")
)
CHUNK = 64 * 1024
COUNTED = 1024 * 1024
COLUMNS = {get_column_letter(n): n for n in range(1, MAX_COLUMNS + 1)}
# The number of a row, from its tag; the sheet's last is looked for in its last bytes.
ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
TAIL = 256 * 1024


def charge(ws, budget: Budget, source: str) -> None:
    """Charge the sheet's XML to ``budget``, or refuse the file when it is over; tell
    ``progress`` how many rows the sheet has, as the number of its last row."""
    what = f'sheet "{ws.title}"'
    elements = size = rows = 0
    closing = False  # the last chunk ended with "<", which may open a closing tag
    tail = b""
    with ws._get_source() as part:
        while chunk := part.read(COUNTED):
            size += len(chunk)
            rows += chunk.count(b"<row ") + chunk.count(b"<row>")
            tail = (tail + chunk)[-TAIL:]
            elements += chunk.count(b"<") - chunk.count(b"</") - (closing and chunk[:1] == b"/")
            closing = chunk.endswith(b"<")
            if elements > budget.cells:
                raise PaperError(
                    budget.too_many_cells(f"the {what} takes the file past", ""), source=source
                )
            if size > budget.sheet_bytes:
                raise PaperError(
                    budget.too_much_xml(f"the {what} takes the file past"), source=source
                )
    budget.cells -= elements
    budget.sheet_bytes -= size
    numbers = ROW_NUMBER.findall(tail)
    progress.expect(max(rows, int(numbers[-1]) if numbers else 0))


class SheetRows:
    """Parses a sheet's XML fed to it; ``rows`` gathers ``(number, cells)`` for each row
    with a value in it (the cells in their columns, ``""`` between), to be taken after
    each chunk. ``where(number, message)`` makes the error for a row."""

    def __init__(self, ws, budget: Budget, where):
        workbook = ws.parent
        self.strings = ws._shared_strings
        self.epoch = workbook.epoch
        self.dates = workbook._date_formats
        self.durations = workbook._timedelta_formats
        self.budget = budget
        self.where = where
        self.rows: list[tuple[int, list]] = []
        self.number = self.shown = 0
        self.cells: list = []
        self.cell: dict | None = None  # the attributes of the cell being read
        # A cell's column is worked out only when it has a value: from its "r", else
        # from the last "r" in the row and the cells since.
        self.ref: str | None = None
        self.since = 0
        self.text: list | None = None  # the cell's value or inline string, as parsed
        self.inline = self.phonetic = self.collecting = False
        parser = self.parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end

    def read(self, part):
        """Each row with something in it, as ``(number, cells)``."""
        try:
            while chunk := part.read(CHUNK):
                self.parser.Parse(chunk, False)
                yield from self.rows
                self.rows.clear()
            self.parser.Parse(b"", True)
        except expat.ExpatError as err:
            raise ParseError(str(err)) from None  # as openpyxl's parser would have raised
        yield from self.rows

    def _refuse(self, *args):
        # As defusedxml refuses for openpyxl; the reader's caller says so in one line.
        raise DefusedXmlException("a DTD or entities in a sheet")

    def _start(self, name, attrs):
        if name == CELL:
            self.cell = attrs
            self.text = None
            if ref := attrs.get("r"):
                self.ref, self.since = ref, 0
            else:
                self.since += 1
        elif name == ROW:
            ref = attrs.get("r")
            self.number = _row(ref) if ref else self.number + 1
            self.ref, self.since = None, 0
        elif self.cell is None:
            return
        elif name == VALUE:
            if self.text is None and self.cell.get("t") != "inlineStr":
                self._collect([])
        elif name == INLINE:
            if not self.inline and self.cell.get("t") == "inlineStr":
                self.inline = True
                self.text = []
        elif name == PHONETIC:
            self.phonetic = True
        elif name == TEXT and self.inline and not self.phonetic:
            self._collect(self.text)

    def _collect(self, text: list) -> None:
        self.text = text
        self.parser.CharacterDataHandler = text.append
        self.collecting = True

    def _end(self, name):
        if self.collecting:
            self.parser.CharacterDataHandler = None
            self.collecting = False
        if name == CELL:
            if self.text is not None:
                self._place(cell_value(self._value()))
            self.cell = None
            self.inline = self.phonetic = False
        elif name == ROW:
            # A row numbered at or before one already read is left out, as openpyxl does.
            if self.number > self.shown:
                self.shown = self.number
                if self.cells:
                    self.rows.append((self.number, self.cells))
            self.cells = []
        elif name == PHONETIC:
            self.phonetic = False

    def _place(self, value) -> None:
        """Put a cell's value in its column, refusing one beyond MAX_COLUMNS; the first
        of two cells claiming a column is kept."""
        if value == "":
            return
        column = (_column(self.ref) if self.ref else 0) + self.since
        if column > MAX_COLUMNS:
            raise self.where(self.number, too_wide(column))
        cells = self.cells
        gap = column - 1 - len(cells)
        if gap >= 0:
            if gap:
                cells.extend([""] * gap)
            cells.append(value)

    def _value(self):
        """The cell's value as openpyxl's reader gives it."""
        kind = self.cell.get("t", "n")
        text = "".join(self.text)
        if kind == "inlineStr":
            return self._kept(text) if self.inline else None
        if not text:
            return None
        if kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            style = int(self.cell.get("s") or 0)
            if style not in self.dates:
                return number
            try:
                return from_excel(number, self.epoch, timedelta=style in self.durations)
            except (OverflowError, ValueError):
                return "#VALUE!"
        if kind == "s":
            return self._kept(self.strings[int(text)])
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return self._kept(text)  # "str" (a formula's text), "e" (an error such as #N/A)

    def _kept(self, text) -> str:
        if spent := self.budget.spend(characters=len(text)):
            raise self.where(self.number, spent)
        return text


def cell_value(value):
    """A cell as the table gives it: text, a date, an int or a float (see ``tables``)."""
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


def _column(ref: str) -> int:
    """The column of a cell reference ("AB12" -> 28), as openpyxl reads it."""
    letters = ref.rstrip("0123456789")
    if column := COLUMNS.get(letters):
        return column
    letters = letters.strip("$").upper()
    if not 0 < len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{ref} is not a cell reference")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column


def _row(ref: str) -> int:
    try:
        return int(ref)
    except ValueError:
        number = float(ref)
        if not number.is_integer():
            raise ValueError(f"{ref} is not a valid row number") from None
        return int(number)
