"""The columns of a plan table, told from its header row, and the area cell.

Headers differ from paper to paper ("Area | Progress | Target Completion Date | RAG
Rating | Lead Responsible", "Workstream | Action | Due | Status | Owner"), so a column
is recognised by the words of its header. Position breaks ties: when a later table has
no area column, the column where the first table kept its areas is the area column even
if its header says something else (the seed's last table heads its areas "Action").
"""

import re
from dataclasses import dataclass

from planboard.imports.errors import PaperError
from planboard.imports.text import one_line

AREA, TEXT, PROGRESS, TARGET, RAG, LEAD, REF = (
    "area",
    "text",
    "progress",
    "target",
    "rag",
    "lead",
    "ref",
)
LABELS = {
    AREA: "Area",
    TEXT: "Action",
    PROGRESS: "Progress",
    TARGET: "Target date",
    RAG: "RAG",
    LEAD: "Lead",
}
EXAMPLE_HEADER = "Area<TAB>Action<TAB>Target date<TAB>RAG<TAB>Lead"

# Checked in this order; the first that matches a header cell decides its column.
_HEADER_WORDS = [
    (REF, re.compile(r"^(?:ref(?:erence)?\.?|no\.?|#|id|number)$")),
    (RAG, re.compile(r"\bb?rag\b|\bstatus\b|\brating\b")),
    (TARGET, re.compile(r"target|\bdue\b|deadline|\bdate\b|by when|timescale|completion")),
    (LEAD, re.compile(r"\blead|\bowner|responsib|accountable|^who\b")),
    (AREA, re.compile(r"\barea\b|work\s*-?\s*stream|\bstrand\b")),
    (PROGRESS, re.compile(r"progress|\bupdate|narrative|comment")),
    (TEXT, re.compile(r"\baction|description|\btask|activit|deliverable")),
]
_MAX_HEADER_WORDS = 5
MAX_COMMITMENT = 99
_AREA_NUMBERS = re.compile(
    r"^(?P<name>.*?)(?:^|\s+)(?P<numbers>\d+(?:\s*(?:[,;&]|and|[-–])\s*\d+)*)[\s,;.]*$"
)
_NUMBER_OR_RANGE = re.compile(r"(\d+)(?:\s*[-–]\s*(\d+))?")


@dataclass
class Columns:
    """What each column of a table holds; ``kinds[i]`` is None for a column we do not read."""

    names: list[str]
    kinds: list[str | None]
    line: int

    def index(self, kind: str) -> int | None:
        return self.kinds.index(kind) if kind in self.kinds else None

    def describe(self) -> str:
        return ", ".join(name or "(blank)" for name in self.names)


def classify(header: str) -> str | None:
    words = header.casefold()
    for kind, pattern in _HEADER_WORDS:
        if pattern.search(words):
            return kind
    return None


def read_header(cells: list[str], line: int, first: "Columns | None") -> Columns | None:
    """The columns a header row defines, or None when the row is not a header."""
    names = [one_line(cell) for cell in cells]
    written = [name for name in names if name]
    if len(written) < 2 or any(len(name.split()) > _MAX_HEADER_WORDS for name in written):
        return None
    kinds: list[str | None] = []
    for name in names:
        kind = classify(name) if name else None
        kinds.append(None if kind in kinds else kind)
    recognised = [kind for kind in kinds if kind]
    if len(recognised) < 2 or 2 * len(recognised) < len(written):
        return None
    if AREA not in kinds and first is not None and first.index(AREA) is not None:
        at = first.index(AREA)
        writing = [kind for kind in kinds if kind in (TEXT, PROGRESS)]
        if at < len(kinds) and kinds[at] in (TEXT, PROGRESS) and len(writing) > 1:
            kinds[at] = AREA
    if TEXT not in kinds and PROGRESS in kinds:
        kinds[kinds.index(PROGRESS)] = TEXT
    if TEXT not in kinds:
        raise PaperError(
            "the table header has no column for the action (a column headed Action, "
            f"Description or Progress), only: {', '.join(written)}",
            line=line,
        )
    return Columns(names=names, kinds=kinds, line=line)


def is_header(cells: list[str], first: "Columns | None" = None) -> bool:
    """Whether a row is a usable header, without raising: for looking ahead."""
    try:
        return read_header(cells, 0, first) is not None
    except PaperError:
        return False


def parse_area(cell: str) -> tuple[str, list[int]]:
    """ "SUSEG 1,2,3,6,7,10, 12" -> ("SUSEG", [1, 2, 3, 6, 7, 10, 12]), in the order written.

    Ranges such as "1-3" are expanded; a number written twice is kept once. Numbers
    beyond MAX_COMMITMENT are refused (ValueError): a theme has tens of commitments,
    so "2016-2021" is a year span, not citations, and must not expand to thousands.
    """
    text = one_line(cell)
    match = _AREA_NUMBERS.match(text)
    if match is None:
        return text, []
    numbers: list[int] = []
    for low, high in _NUMBER_OR_RANGE.findall(match.group("numbers")):
        start, stop = int(low), int(high or low)
        if max(start, stop) > MAX_COMMITMENT:
            raise ValueError(
                f'the area "{text}" cites commitment {max(start, stop)}; '
                f"commitment numbers above {MAX_COMMITMENT} are not read as citations"
            )
        numbers.extend(range(start, max(stop, start) + 1))
    return match.group("name").strip(" ,;:-"), list(dict.fromkeys(numbers))
