"""Finding the header row of a table of actions, and the field each of its columns holds.

Tables made by hand differ from one organisation to the next: a title block above the
header, "Workstream | Description | Owner | Due | Status" instead of "Area | Action |
Lead | Target date | RAG". So the header row is found rather than assumed (the row among
the first ``HEADER_ROWS`` whose cells name the most columns, one of which must hold the
action), columns are recognised by the words of their headers (``columns.classify``),
and ``--map HEADER=field`` settles what the words cannot.

The cells' text helpers live here too, as the header, the rows and the writer compare
cells by the same normalised text.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from planboard.imports import columns as kinds
from planboard.imports.errors import PaperError
from planboard.imports.tables import RawTable
from planboard.plans.models import DatePrecision, format_target

HEADER_ROWS = 20
MAX_HEADER_WORDS = 6
STATUS, COMMITMENTS, IGNORE = "status", "commitments", "ignore"
MIXED, REVISED, SOURCE = "mixed", "revised", "source"
FIELDS = {
    kinds.REF: "Ref (1.3, or 3 within the theme)",
    kinds.AREA: "Area or workstream",
    kinds.TEXT: "Action",
    kinds.PROGRESS: "Progress",
    kinds.TARGET: "Target date",
    REVISED: "Revised target date (the target moved)",
    kinds.RAG: "RAG rating",
    STATUS: "Status (Not started, In progress, Completed)",
    MIXED: "RAG rating, status or progress, told cell by cell",
    kinds.LEAD: "Lead",
    COMMITMENTS: "Commitments served",
    SOURCE: "Where the action came from (meeting, paper)",
    IGNORE: "Not read",
}
# Fields that several columns may hold: their text is put together.
SHARED = {IGNORE, kinds.PROGRESS, MIXED}
FIELD_ALIASES = {
    "action": kinds.TEXT,
    "description": kinds.TEXT,
    "workstream": kinds.AREA,
    "due": kinds.TARGET,
    "deadline": kinds.TARGET,
    "owner": kinds.LEAD,
    "responsible": kinds.LEAD,
    "update": kinds.PROGRESS,
    "comments": kinds.PROGRESS,
    "objectives": COMMITMENTS,
    "skip": IGNORE,
    "origin": SOURCE,
    "revised target": REVISED,
}

_REF_HEADER = re.compile(r"^(?:ref(?:erence)?|no|number|id|#)\.?$|\b(?:ref(?:erence)?|no)\.?$")
_COMMITMENT_HEADER = re.compile(r"\bcommitment|\bobjective")
# Dates of other things: when the action started, was raised, added, updated.
_NOT_READ = re.compile(
    r"\bstart|\bbegin|\braised\b|\badded\b|\bupdated\b|\bmeeting\b|\blogged\b|\bopened\b"
)
_STRONG_TARGET = re.compile(r"target|\bdue\b|deadline|completion|by when|timescale")
_REVISED = re.compile(
    r"\b(?:revised|new|forecast|amended|moved|current|latest|expected|re-?profiled|extended|"
    r"rescheduled|re-?planned|agreed revised)\b"
)
_SOURCE = re.compile(
    r"\bsource\b|\borigin|\braised (?:at|in|from|through)\b|\bmeeting\b|\bagenda\b|"
    r"\bpaper\b|\bforum\b|\bcommittee\b|where from|came from|arising from"
)


class RowError(PaperError):
    """A PaperError about a place in a table: "plan.xlsx, sheet "Actions", row 7: ..."."""

    def __str__(self) -> str:
        where = self.source or "table"
        return (
            f"{where}, row {self.line}: {self.message}" if self.line else f"{where}: {self.message}"
        )


def table_name(table: RawTable) -> str:
    """The file and, for workbooks and Word documents, which sheet or table."""
    if Path(table.source).suffix.lower() == ".docx" and table.sheet:
        return f"{table.source}, {table.sheet}"
    return f'{table.source}, sheet "{table.sheet}"' if table.sheet else table.source


@dataclass(frozen=True)
class Header:
    """The header row: its place, its cells, and the field each read column holds."""

    index: int  # into table.rows
    row: int  # the number a person sees
    names: tuple[str, ...]
    fields: dict[int, str]  # column -> field, IGNORE left out
    reasons: dict[int, str] = field(default_factory=dict)  # column -> why it holds its field
    given: frozenset[str] = frozenset()  # fields the rows give without a column (group rows)

    def columns(self) -> dict[str, str]:
        return {self.names[at]: name for at, name in sorted(self.fields.items())}

    def has(self, name: str) -> bool:
        held = set(self.fields.values()) | self.given
        if MIXED in held:
            held |= {kinds.RAG, kinds.PROGRESS, STATUS}
        return name in held


def parse_mapping(pairs: list[str] | None, *, source: str = "") -> dict[str, str]:
    """``["Owner=lead", "Notes=progress"]`` as {header: field}; a pair without "=" is refused."""
    mapping = {}
    for pair in pairs or []:
        header, equals, name = pair.rpartition("=")
        if not equals or not header.strip() or not name.strip():
            raise PaperError(
                f'--map "{pair}" is not HEADER=field (for example "Owner=lead")', source=source
            )
        mapping[header.strip()] = name.strip()
    return mapping


def check_mapping(mapping: dict[str, str] | None, *, source: str = "") -> dict[str, str]:
    """The mapping keyed by normalised header, each field by its own name; unknown
    fields, and two headers mapped to one field, are refused."""
    checked: dict[str, str] = {}
    for header, name in (mapping or {}).items():
        wanted = FIELD_ALIASES.get(name.strip().casefold(), name.strip().casefold())
        if wanted not in FIELDS:
            raise PaperError(
                f'--map "{header}={name}": "{name}" is not a field; the fields are '
                + ", ".join(FIELDS),
                source=source,
            )
        taken = [h for h, f in checked.items() if f == wanted and wanted not in SHARED]
        if taken:
            raise PaperError(
                f'--map gives two columns for {wanted}: "{taken[0]}" and "{header}"',
                source=source,
            )
        checked[norm(header)] = wanted
    return checked


def header_field(name: str) -> str | None:
    """The field a header names ("Owner" -> lead, "Objectives" -> commitments), or None."""
    words = " ".join(name.split()).casefold()
    if _REF_HEADER.search(words):
        return kinds.REF
    found = kinds.classify(words)
    action_first = found == kinds.TEXT and words.startswith(("action", "description", "task"))
    if _SOURCE.search(words) and found not in (kinds.TARGET, kinds.LEAD) and not action_first:
        return SOURCE  # "Source", "Meeting", "Raised at": where the action came from
    if found == kinds.TARGET and (_REVISED.search(words) or "forecast" in words):
        return REVISED
    if found in (kinds.TARGET, kinds.PROGRESS) and _NOT_READ.search(words):
        return None  # "Start date", "Last updated": not the target, nor the progress
    return found or (COMMITMENTS if _COMMITMENT_HEADER.search(words) else None)


def find_header(table: RawTable, mapping: dict[str, str] | None = None) -> Header:
    """The header row among the first HEADER_ROWS rows, or a RowError listing what was found.

    The row naming the most fields wins (the first of equals), as long as one of them is
    the action; mapped headers count first, so ``--map`` can pick out a header the words
    do not recognise.
    """
    checked = check_mapping(mapping, source=table.source)
    best = None
    for index, raw in enumerate(table.rows[:HEADER_ROWS]):
        fields = _row_fields(raw.cells, checked)
        present = sum(1 for cell in raw.cells if norm(cell) in checked)
        named = [f for f in fields.values() if f != IGNORE]
        # Two fields make a header, or one in a table of a single column (a list of actions).
        enough = len(named) >= 2 or len(raw.cells) == 1 or present > 0
        score = (present, kinds.TEXT in named and enough, len(named))
        if best is None or score > best[0]:
            best = (score, index, fields)
    if best is None:
        raise PaperError("the table is empty", source=table_name(table))
    (_, usable, _), index, fields = best
    raw = table.rows[index]
    names = tuple(one_line(cell) for cell in raw.cells)
    found = ", ".join(name for name in names if name) or "nothing"
    missing = [h for h in mapping or {} if norm(h) not in {norm(n) for n in names}]
    if missing:
        raise RowError(
            f'no column headed "{missing[0]}" (from --map); the headers found are: {found}',
            source=table_name(table),
            line=raw.number,
        )
    if not usable:
        raise RowError(
            f"no column for the action (a header such as Action, Description or Task) in the "
            f"first {HEADER_ROWS} rows; the headers found are: {found}; give "
            '--map "HEADER=text" to say which column holds the actions',
            source=table_name(table),
            line=raw.number,
        )
    used = {at: name for at, name in fields.items() if name != IGNORE}
    return Header(index=index, row=raw.number, names=names, fields=used)


def strong(cell: str) -> bool:
    return bool(_STRONG_TARGET.search(cell.casefold()))


def _row_fields(cells: tuple, mapping: dict[str, str]) -> dict[int, str]:
    """What each cell of a candidate header row names; mapped columns win a field."""
    fields: dict[int, str] = {}
    for at, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        if norm(cell) in mapping:
            fields[at] = mapping[norm(cell)]
        elif len(cell.split()) <= MAX_HEADER_WORDS and (found := header_field(cell)):
            fields[at] = found
    mapped = {mapping[norm(cells[at])] for at in fields if norm(cells[at]) in mapping}
    kept: dict[int, str] = {}
    for at, name in fields.items():
        if norm(cells[at]) not in mapping and name in mapped:
            continue  # a mapped column takes the field from a recognised one
        rival = next((other for other, n in kept.items() if n == name), None)
        if rival is None:
            kept[at] = name
        elif name == kinds.RAG and "status" in cells[at].casefold():
            kept[at] = STATUS  # "RAG" and "Status": the second says whether it is done
        elif name == kinds.RAG and "status" in cells[rival].casefold():
            kept[rival], kept[at] = STATUS, name
        elif name == kinds.TARGET and not strong(cells[rival]):
            del kept[rival]  # "Target date" beats a plain "Date"
            kept[at] = name
        elif name == kinds.TARGET and REVISED not in kept.values() and strong(cells[at]):
            kept[at] = REVISED  # a second target date: the target as moved
    if REVISED in kept.values() and kinds.TARGET not in kept.values():
        kept[next(at for at, n in kept.items() if n == REVISED)] = kinds.TARGET
    return kept


# -- cells as text ----------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return format_target(value, DatePrecision.DAY)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value if value is not None else "")


def one_line(value) -> str:
    return " ".join(_text(value).split())


def multi_line(value) -> str:
    lines = (" ".join(line.split()) for line in _text(value).splitlines())
    return "\n".join(line for line in lines if line)


def norm(value) -> str:
    return one_line(value).casefold()
