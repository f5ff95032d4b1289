"""What the Friends and Family Test import and the feedback import share: finding the
header of a table of feedback, reading its cells, and refusing a file with every bad row.

The file is read by the table import's readers (``imports.tables.read_table_bytes``: CSV,
.xlsx and .xlsm, with a title block above the header), so the limits and the messages
for a file that is not a table are the same. Headers are compared after ``header_words``
tidies them: case, punctuation, numbering ("1 Very Good"), a trailing "SUM" (NHS
England's raw files) and apostrophes ("Dont Know", "Don't Know") do not matter.

A file with any bad row writes nothing: ``TableRefused`` carries one line per bad row,
"fft.csv, row 7, column Month: ...", every one of them, not just the first.
"""

import datetime
import re
from dataclasses import dataclass, field

from planboard.imports.dates import DAY, parse_target
from planboard.imports.errors import PaperError
from planboard.imports.table_header import HEADER_ROWS, one_line, table_name
from planboard.imports.tables import RawTable, read_table_bytes
from planboard.lib.date_fields import read_month
from planboard.lib.services import ServiceError

MAX_ERRORS = 50
_NUMBERING = re.compile(r"^(?:q?\d+[.):]?\s+|[a-z][.)]\s+)")
_ISO_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[-_/]\s*(\d{2}|\d{4})$")
_MONTH_IN_TITLE = re.compile(r"\b([A-Za-z]{3,9})\.?[\s-]+(\d{4})\b")
UNKNOWN = {"*", ""}


@dataclass
class ImportSummary:
    """What an import of ``what`` did (or, in a dry run, would do)."""

    what: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)  # codes or names not our services
    dry_run: bool = False

    def line(self) -> str:
        verb = "would be" if self.dry_run else "were"
        text = (
            f"{self.what}: {self.created} {verb} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.unmatched:
            text += f"; not one of our services: {', '.join(self.unmatched[:10])}"
        return text + "."


class TableRefused(ServiceError):
    """A file refused: ``lines`` says what is wrong, one line for each bad row."""

    def __init__(self, lines: list[str], field: str = "file"):
        self.lines = lines[:MAX_ERRORS]
        if len(lines) > MAX_ERRORS:
            self.lines.append(f"... and {len(lines) - MAX_ERRORS} more bad rows")
        super().__init__("\n".join(self.lines), field)


def read_feedback_table(data: bytes, name: str) -> RawTable:
    """The table in the file, or a ``TableRefused`` with the reader's one line."""
    try:
        return read_table_bytes(data, name)
    except PaperError as error:
        raise TableRefused([str(error)]) from None


def header_words(value) -> str:
    """A header as its words: "1 Very Good SUM" -> "very good", "Don't Know" -> "dont know"."""
    text = one_line(value).casefold().replace("'", "").replace("\u2019", "")
    text = _NUMBERING.sub("", text)
    text = " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())
    return re.sub(r"\s+sum$", "", text)


@dataclass(frozen=True)
class FoundHeader:
    index: int  # into table.rows
    names: tuple[str, ...]
    fields: dict[str, int]  # field -> column


def find_feedback_header(table: RawTable, recognise, enough) -> FoundHeader:
    """The row among the first ``HEADER_ROWS`` naming the most fields (by
    ``recognise(words) -> field or None``; the first column naming a field keeps it
    unless ``recognise`` ranks a later one higher), if ``enough(fields)`` is None;
    else a ``TableRefused`` with ``enough``'s complaint."""
    best = None
    for index, raw in enumerate(table.rows[:HEADER_ROWS]):
        fields: dict[str, tuple[int, int]] = {}
        for at, cell in enumerate(raw.cells):
            if not isinstance(cell, str):
                continue
            found = recognise(header_words(cell))
            if found is None:
                continue
            name, rank = found
            if name not in fields or rank > fields[name][1]:
                fields[name] = (at, rank)
        if best is None or len(fields) > len(best[1]):
            best = (index, fields)
    if best is None:
        raise TableRefused([f"{table_name(table)}: the file is empty"])
    index, fields = best
    chosen = {name: at for name, (at, _) in fields.items()}
    names = tuple(one_line(cell) for cell in table.rows[index].cells)
    problem = enough(chosen)
    if problem:
        found = ", ".join(name for name in names if name) or "nothing"
        raise TableRefused(
            [
                f"{table_name(table)}, row {table.rows[index].number}: {problem}; "
                f"the headers found are: {found}"
            ]
        )
    return FoundHeader(index, names, chosen)


class Cells:
    """Reading one row's cells by field, collecting a line for each bad cell."""

    def __init__(self, table: RawTable, header: FoundHeader, row_index: int, errors: list):
        self.table, self.header, self.errors = table, header, errors
        self.raw = table.rows[row_index]

    def has(self, name: str) -> bool:
        return name in self.header.fields

    def cell(self, name: str):
        at = self.header.fields.get(name)
        return "" if at is None else self.raw.cells[at]

    def text(self, name: str) -> str:
        value = self.cell(name)
        return "" if value is None else one_line(value) if name != "text" else str(value).strip()

    def bad(self, name: str, message: str) -> None:
        column = self.header.names[self.header.fields[name]] if self.has(name) else name
        self.errors.append(
            f"{table_name(self.table)}, row {self.raw.number}, column {column}: {message}"
        )

    def row_bad(self, message: str) -> None:
        self.errors.append(f"{table_name(self.table)}, row {self.raw.number}: {message}")


def read_count(value) -> tuple[bool, int | None]:
    """(read, count): a whole number, or None when suppressed ("*") or blank; (False,
    None) when it is not a count."""
    if isinstance(value, bool):
        return False, None
    if isinstance(value, int):
        return value >= 0, value if value >= 0 else None
    if isinstance(value, float):
        ok = value.is_integer() and value >= 0
        return ok, int(value) if ok else None
    text = one_line(value).replace(",", "")
    if text in UNKNOWN:
        return True, None
    if text.isdigit():
        return True, int(text)
    return False, None


def read_day(value) -> datetime.date | None:
    """A day: an Excel date, or text as UK organisations write it; ValueError if not."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = one_line(value)
    if "T" in text or (len(text) > 10 and text[:4].isdigit()):
        try:
            return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    found = parse_target(text)
    if found.precision != DAY:
        raise ValueError(f'"{text}" is not a day (use e.g. "31/03/2026" or "2026-03-31")')
    return found.date


def read_month_of(value) -> datetime.date:
    """The first day of the month ``value`` gives: an Excel date, "Aug-25", "August
    2025", "2025-08", "08/2025", or a day in it; ValueError saying what to write if not."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = one_line(value)
    if match := _ISO_MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return datetime.date(year, month, 1)
    try:
        found = parse_target(text)
    except ValueError:
        found = None
    if found is None or found.date is None or found.precision not in (DAY, "month"):
        raise ValueError(f'"{text}" is not a month (use e.g. "Aug-25", "August 2025" or "2025-08")')
    return found.date.replace(day=1)


def financial_month(year_value, period_value) -> datetime.date:
    """NHS England's ``Yearnumber`` "2025_26" and ``Periodname`` "AUGUST" as a month:
    April to December are in the first year, January to March in the second."""
    year_text, period = one_line(year_value), one_line(period_value)
    match = _FINANCIAL_YEAR.match(year_text)
    if not match:
        raise ValueError(f'"{year_text}" is not a financial year (use e.g. "2025_26")')
    start = int(match.group(1))
    end = match.group(2)
    end = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
    if end % 100 != (start + 1) % 100:
        raise ValueError(f'"{year_text}" is not a financial year: the second year must follow')
    month = read_month(period)
    if month is None:
        raise ValueError(f'"{period}" is not a month (use e.g. "AUGUST")')
    return datetime.date(start if month >= 4 else start + 1, month, 1)


def month_in_titles(table: RawTable, header: FoundHeader) -> datetime.date | None:
    """The month a title above the header names ("... August 2025"), if exactly one."""
    found = set()
    for raw in table.rows[: header.index]:
        for cell in raw.cells:
            for name, year in _MONTH_IN_TITLE.findall(one_line(cell)):
                month = read_month(name)
                if month is not None and len(name) >= 3:
                    found.add(datetime.date(int(year), month, 1))
    return found.pop() if len(found) == 1 else None
