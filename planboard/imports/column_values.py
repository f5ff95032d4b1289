"""What a column holds, told from its values as well as its header; and each cell's meaning.

Trackers head their columns loosely: a "Status" column may hold RAG ratings ("G",
"Amber"), state words ("Not started", "Complete"), sentences of commentary, or a mix of
all three. So each value is told on its own (``cell_kind``): a rating word of the
strategy's scale (its labels, aliases and their initials, and Green, Amber, Red, Blue
and G, A, R, B, in any case), a state word (``STATES``), a sentence, or a word that is
none of these. A status-like column then takes the meaning its values share, with the
reason shown on the import preview ("9 of 12 values are sentences"); a column whose
values mix kinds is read cell by cell (``MIXED``). A value's kind depends on the value
alone, never on its row or the other rows.
"""

import re
from collections import Counter
from dataclasses import replace

from planboard.imports import columns as kinds
from planboard.imports.table_header import (
    FIELDS,
    IGNORE,
    MIXED,
    SHARED,
    STATUS,
    Header,
    check_mapping,
    find_header,
    header_field,
    norm,
    one_line,
)
from planboard.imports.tables import RawTable
from planboard.plans.models import ActionStatus, normalise_rating

RATING, STATE, SENTENCE, WORD = "rating", "state", "sentence", "word"
DEFAULT_RATINGS = ("green", "amber", "red", "blue")
SENTENCE_WORDS = 4  # a value of this many words or more is commentary, not a rating or state
SENTENCE_CHARS = 40
STATES = {
    ActionStatus.COMPLETE: (
        "complete",
        "completed",
        "done",
        "closed",
        "finished",
        "achieved",
        "delivered",
        "implemented",
        "fully implemented",
        "embedded",
        "met",
    ),
    ActionStatus.NOT_STARTED: (
        "not started",
        "not yet started",
        "not commenced",
        "not yet commenced",
        "yet to start",
        "not due",
        "not yet due",
        "planned",
        "to do",
        "todo",
        "pending",
        "new",
    ),
    ActionStatus.IN_PROGRESS: (
        "in progress",
        "ongoing",
        "on going",
        "open",
        "on hold",
        "paused",
        "delayed",
        "started",
        "underway",
        "under way",
        "on track",
        "off track",
        "at risk",
        "behind",
        "behind schedule",
        "overdue",
        "progressing",
        "in hand",
        "wip",
        "work in progress",
        "active",
        "partially complete",
        "partially completed",
        "partially implemented",
        "part complete",
    ),
}
_STATE_OF = {word: status for status, words in STATES.items() for word in words}
_EDGES = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_JOINERS = re.compile(r"[\s\-_/]+")
_STATUS_LIKE = (kinds.RAG, STATUS)


def plain(value: str) -> str:
    """A value as it is compared: case, spacing, hyphens and edge punctuation aside."""
    return _JOINERS.sub(" ", _EDGES.sub("", normalise_rating(value)))


def rating_words(levels=()) -> frozenset[str]:
    """The words that are ratings: the default colours and the scale's labels and aliases,
    each with its initial where no two of them share one."""
    names = set(DEFAULT_RATINGS)
    for level in levels:
        names |= {plain(name) for name in level.names() if plain(name)}
    initials = Counter(name[0] for name in names if " " not in name)
    return frozenset(names | {i for i, count in initials.items() if count == 1})


def state_of(value: str) -> str | None:
    """The ActionStatus a state word means ("Complete" -> complete), or None."""
    return _STATE_OF.get(plain(value))


def is_sentence(value: str) -> bool:
    text = " ".join(value.split())
    return len(text.split()) >= SENTENCE_WORDS or len(text) > SENTENCE_CHARS


def cell_kind(value: str, ratings: frozenset[str]) -> str | None:
    """RATING, STATE, SENTENCE or WORD; None for a blank value."""
    if not value.strip():
        return None
    if plain(value) in ratings:
        return RATING
    if state_of(value):
        return STATE
    return SENTENCE if is_sentence(value) else WORD


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def column_verdict(header_kind: str | None, values: list[str], ratings) -> tuple[str | None, str]:
    """The field a column holds, from the field its header names and its values, and why.

    Only status-like columns (headed RAG, Status or Rating), progress columns and columns
    whose header names nothing are told by their values; the others keep their header's.
    """
    if header_kind not in (*_STATUS_LIKE, kinds.PROGRESS, None):
        return header_kind, "named by its header"
    counts = Counter(kind for value in values if (kind := cell_kind(value, ratings)))
    total = sum(counts.values())
    rating, state, sentence, word = (counts[k] for k in (RATING, STATE, SENTENCE, WORD))
    of = f"of {total} values"
    if header_kind in _STATUS_LIKE:
        if not total:
            return header_kind, "it has no values: taken from its header"
        shared = [k for k in (RATING, STATE, SENTENCE) if counts[k]]
        if len(shared) > 1:
            parts = [
                _count(rating, "rating word", "rating words") if rating else "",
                _count(state, "state word", "state words") if state else "",
                _count(sentence, "sentence", "sentences") if sentence else "",
            ]
            return MIXED, f"its values mix {', '.join(p for p in parts if p)}: read cell by cell"
        if sentence:
            return kinds.PROGRESS, f"{sentence} {of} are sentences"
        if state:
            return STATUS, f"{state} {of} are state words such as Not started or Complete"
        if rating:
            return kinds.RAG, f"{rating} {of} are rating words"
        return header_kind, "taken from its header"
    if header_kind in (kinds.PROGRESS, None) and total >= 1 and not sentence and not word:
        initials = all(len(plain(value)) <= 1 for value in values)  # "A", "B": maybe not
        if state and not rating:
            return STATUS, f"all {total} values are state words such as Not started or Complete"
        if rating and not state and (header_kind or not initials):
            return kinds.RAG, f"all {total} values are rating words"
    if header_kind is None:
        return None, "its header names no field"
    return header_kind, "named by its header"


def read_columns(table: RawTable, mapping: dict[str, str] | None = None, levels=()) -> Header:
    """The table's header row and the field each column holds, with the reasons."""
    header = find_header(table, mapping)
    return settle(table, header, check_mapping(mapping, source=table.source), rating_words(levels))


def settle(table: RawTable, header: Header, mapping: dict[str, str], ratings) -> Header:
    """The header with each status-like column's field told from its values, and the
    reason for every column's field. ``mapping`` (normalised header to field, as
    ``check_mapping`` gives it) is the person's choice and is kept as chosen."""
    rows = table.rows[header.index + 1 :]
    fields: dict[int, str] = {}
    reasons: dict[int, str] = {}
    named: dict[int, str | None] = {}
    for at, name in enumerate(header.names):
        if not name:
            continue
        chosen = mapping.get(norm(name))
        named[at] = header_field(name) if chosen else header.fields.get(at)
        values = [one_line(row.cells[at]) for row in rows if at < len(row.cells)]
        found, why = column_verdict(named[at], values, ratings)
        if chosen and chosen != (found or IGNORE):
            found, why = chosen, "chosen on the preview (or with --map)"
        if found and found != IGNORE:
            fields[at] = found
        reasons[at] = why
    for at, found in sorted(fields.items()):
        if found in SHARED or norm(header.names[at]) in mapping:
            continue
        rival = next((o for o, f in fields.items() if f == found and o != at), None)
        if rival is None:
            continue
        if norm(header.names[rival]) in mapping or named.get(rival) == found:
            keeper, loser = rival, at
        else:
            keeper, loser = (at, rival) if named.get(at) == found else (rival, at)
        other = header.names[keeper]
        if found in (kinds.RAG, STATUS):
            fields[loser] = MIXED
            reasons[loser] += f'; "{other}" holds the {FIELDS[found].lower()}: read cell by cell'
        else:
            del fields[loser]
            reasons[loser] = f'"{other}" holds the {FIELDS[found].lower()}'
    return replace(header, fields=fields, reasons=reasons)
