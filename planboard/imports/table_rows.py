"""Reading the rows below a table's header as actions, every row checked before any is written.

Dates come typed as text or stored as real Excel dates, refs as "1.3", "3" or a number
Excel has turned 1.10 into 1.1, commitments as numbers or in their own words. Each row
is read into a ``RowData`` on its own, and a row that cannot be read becomes a problem
naming it, so a preview can list every problem and an import refuse the first before
the database is touched.
"""

import re
from dataclasses import dataclass, field, replace

from django.conf import settings

from planboard.imports import columns as kinds
from planboard.imports import table_cells as cell
from planboard.imports.column_values import (
    RATING,
    SENTENCE,
    STATE,
    cell_kind,
    is_sentence,
    state_of,
)
from planboard.imports.column_values import rating_words as _rating_words
from planboard.imports.dates import COMPLETE_WORDS, TargetDate
from planboard.imports.leads import lead_cell, split_leads
from planboard.imports.table_header import (
    COMMITMENTS,
    MIXED,
    REVISED,
    SOURCE,
    STATUS,
    Header,
    RowError,
    header_field,
    multi_line,
    norm,
    one_line,
    table_name,
)
from planboard.imports.tables import RawTable
from planboard.people.models import Role
from planboard.plans.models import ActionStatus, normalise_rating

_NUMBERS = re.compile(r"^(?:[a-z]+\s*)?\d[\d\s.,;&\-–and]*$")
_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?(?:\s*[-–]\s*(\d+))?")
_LIMITS = {"rag_text": 40, "target_text": 100, "lead_text": 500, "area": 300}


@dataclass
class RowData:
    """One action as a row gives it, before it is matched with the database."""

    row: int
    text: str
    theme: int
    number: int | None = None  # from the ref; None numbers the action after the others
    area: str = ""
    cited: list[int] = field(default_factory=list)
    commitment_texts: list[str] = field(default_factory=list)
    progress: str = ""
    target: TargetDate | None = None
    target_text: str = ""
    rag_text: str = ""
    status: str | None = None  # what the row says about completion, if anything
    lead_text: str = ""
    ref_text: str = ""  # the ref exactly as written ("007", "1.2.3", "CQC-3")
    source: str = ""  # where the action came from: its meeting, paper or agenda item
    original: TargetDate | None = None  # the first target, when a second date moved it
    notes: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.theme}.{self.number}" if self.number else ""


@dataclass
class Rows:
    """The rows below the header: actions, rows skipped with reasons, and problems."""

    header: Header
    actions: list[RowData] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # {"row", "note"}: text moved, headings
    read: int = 0


def read_rows(
    table: RawTable,
    header: Header,
    *,
    theme: int | None = None,
    ratings=None,
    default_theme: int = 1,
) -> Rows:
    """Every row below the header as RowData; a row that cannot be read becomes a problem
    (a RowError naming it) so a preview can list them all and an import refuse the first.

    A blank area cell continues the area above, within a theme. A row without action text
    is skipped; if it names an area, the rows below are in it, and so are they below a
    heading alone on its row ("Workstream 2: Communication"). A table of more than
    ``IMPORT_MAX_ACTIONS`` actions is refused at the first action past it (a RowError):
    the header, the rows above it and the rows skipped do not count. ``rows.header`` is
    ``header``, with the area among its fields when headings gave the areas. ``theme``
    puts every row in that theme; ``default_theme`` only the rows whose ref names no theme.
    """
    most = settings.IMPORT_MAX_ACTIONS
    ratings = _rating_words() if ratings is None else ratings
    rows = Rows(header)
    area: tuple[str, list[int]] = ("", [])
    seen: dict[tuple, tuple[int, bool]] = {}
    current_theme, fresh, headed, section = None, False, False, ""
    places: dict[tuple[int, int], str] = {}  # the heading each ref's place was first under
    names = [norm(name) for name in header.names]
    has_ref = header.has(kinds.REF)
    for raw in table.rows[header.index + 1 :]:
        cells = {}
        for at, name in sorted(header.fields.items()):
            if at < len(raw.cells):
                cells.setdefault(name, raw.cells[at])
        filled = [at for at, value in enumerate(raw.cells) if one_line(value)]
        if not filled:
            continue
        rows.read += 1
        if [norm(value) for value in raw.cells] == names:
            rows.skipped.append({"row": raw.number, "reason": "repeats the header row"})
            continue
        lone = filled[0] if len(filled) == 1 and len(header.fields) > 1 else None
        if lone is not None and cell.is_heading(
            raw.cells[lone], header.fields.get(lone), has_ref=has_ref
        ):
            area, fresh, headed = (cell.heading_area(raw.cells[lone]), []), True, True
            section = area[0]
            reason = f'a heading: "{area[0]}" is the area of the actions below it'
            rows.skipped.append({"row": raw.number, "reason": reason})
            continue
        try:
            ref, ref_text = _ref_cell(cells, theme, default_theme)
            row_theme = ref[0] if ref else (theme or default_theme)
            if row_theme != current_theme:
                area, current_theme = (area if fresh else ("", [])), row_theme
            if one_line(cells.get(kinds.AREA, "")):
                area, fresh = kinds.parse_area(one_line(cells[kinds.AREA])), True
            text = multi_line(cells.get(kinds.TEXT, ""))
            if not text:
                rows.skipped.append({"row": raw.number, "reason": "no action text"})
                continue
            action = _action(raw.number, raw.cells, header, text, row_theme, ref, area, ratings)
            action.ref_text = ref_text
            if ref_text:
                key = ref or ("as written", norm(ref_text))
                if headed:  # refs may start again under each heading: "1", "2"; "1", "2"
                    if ref and places.setdefault(ref, section) != section:
                        action.number = None  # numbered after the others
                    key = (section, key)
                _check_unique(seen, key, raw.number, isinstance(cells.get(kinds.REF), float))
        except ValueError as err:
            rows.problems.append(RowError(str(err), source=table_name(table), line=raw.number))
            continue
        if len(rows.actions) == most:
            raise RowError(
                f"the table has more than {most:,} actions, the most that can be imported",
                source=table_name(table),
                line=raw.number,
            )
        rows.actions.append(action)
        rows.notes += [{"row": raw.number, "note": note} for note in action.notes]
        fresh = False
    if headed and not header.has(kinds.AREA):
        rows.header = replace(header, given=header.given | {kinds.AREA})
    return rows


def _ref_cell(
    cells: dict, theme: int | None, default_theme: int = 1
) -> tuple[tuple[int, int] | None, str]:
    """The ref's place and the ref as written; a sentence in the ref column is moved to
    progress by ``_action``, so here it is no ref."""
    value = cells.get(kinds.REF, "")
    if is_sentence(one_line(value)):
        return None, ""
    return cell.read_ref(value, theme, default_theme)


def _action(row: int, raw: tuple, header: Header, text, theme, ref, area, ratings) -> RowData:
    action = RowData(row=row, text=text, theme=theme, number=ref[1] if ref else None)
    action.area, action.cited = area[0], list(area[1])
    progress: list[str] = []

    def moved(value: str, what: str, column: str) -> None:
        progress.append(value)
        action.notes.append(f'the {what} in "{column}" is a sentence: kept as progress')

    targets: dict[str, tuple[TargetDate | None, str]] = {}
    for at, name in sorted(header.fields.items()):
        value = multi_line(raw[at]) if at < len(raw) else ""
        line = one_line(value)
        if not line:
            continue
        column = header.names[at]
        if name == kinds.PROGRESS:
            progress.append(value)
        elif name in (kinds.RAG, STATUS, MIXED):
            _rating_or_status(action, name, line, column, ratings, progress, moved)
        elif name == kinds.REF and is_sentence(line):
            moved(value, "ref", column)
        elif name in (kinds.TARGET, REVISED) and name not in targets:
            targets[name] = _date_cell(action, raw[at], line, column, moved)
        elif name == SOURCE and not action.source:
            action.source = line
        elif name == kinds.LEAD and not action.lead_text:
            action.lead_text = lead_cell(raw[at])
    action.progress = "\n".join(progress)
    _settle_target(action, *targets.get(kinds.TARGET, (None, "")), targets.get(REVISED))
    cells = {}
    for at, name in sorted(header.fields.items()):
        if at < len(raw):
            cells.setdefault(name, raw[at])
    numbers, texts = _commitments(cells.get(COMMITMENTS, ""))
    action.cited = list(dict.fromkeys([*action.cited, *numbers]))
    action.commitment_texts = texts
    target = action.target
    if (target and target.complete) or normalise_rating(action.rag_text).rstrip(".") in (
        COMPLETE_WORDS
    ):
        action.status = ActionStatus.COMPLETE
    for name, limit in _LIMITS.items():
        value = getattr(action, name)
        if len(value) > limit:
            raise ValueError(f'"{value[:40]}..." is longer than the {limit} characters allowed')
    for segment in split_leads(action.lead_text):
        if len(segment) > Role._meta.get_field("title").max_length:
            raise ValueError(f'the lead "{segment[:40]}..." is too long to be a role')
    return action


_AS = {RATING: kinds.RAG, STATE: STATUS, SENTENCE: kinds.PROGRESS}


def _rating_or_status(action, name, line, column, ratings, progress, moved) -> None:
    """A cell of a RAG, status or mixed column: a rating, a status, or commentary."""
    kind = cell_kind(line, ratings)
    if name == MIXED:
        name = _AS.get(kind) or (STATUS if header_field(column) == STATUS else kinds.RAG)
    elif kind == SENTENCE:
        moved(line, "RAG rating" if name == kinds.RAG else "status", column)
        return
    if name == kinds.PROGRESS:
        progress.append(line)
    elif name == kinds.RAG and not action.rag_text:
        action.rag_text = line
    elif name == STATUS and action.status is None:
        action.status = cell.read_status(line)


def _date_cell(action, value, line, column, moved) -> tuple[TargetDate | None, str]:
    """A target date; a state word ("Ongoing") is the status and a sentence progress."""
    try:
        return cell.read_target(value)
    except ValueError:
        if state_of(line):
            action.status = action.status or state_of(line)
            return None, line
        if is_sentence(line):
            moved(multi_line(value), "target date", column)
            return None, ""
        raise


def _settle_target(action, target, target_text, revised) -> None:
    """The target, or the later of the target and its revision, the first kept as the
    original: a moved target is a slippage, not a new plan."""
    action.target, action.target_text = target, target_text
    if revised is None or revised[0] is None:
        return
    moved_to, moved_text = revised
    if moved_to.complete:
        action.status = ActionStatus.COMPLETE
        return
    latest = cell.later(target, moved_to)
    if latest is moved_to:
        action.target, action.target_text = moved_to, moved_text
        if target is not None and target.date is not None and target.date != moved_to.date:
            action.original = target


def _check_unique(seen: dict, ref: tuple[int, int], row: int, is_number: bool) -> None:
    if ref in seen:
        other, other_number = seen[ref]
        hint = (
            " (Excel shows 1.10 as 1.1 when refs are numbers: format the ref column as text)"
            if is_number or other_number
            else ""
        )
        place = ref[1] if isinstance(ref[1], tuple) else ref  # (heading, ref) under headings
        shown = f"{place[0]}.{place[1]}" if isinstance(place[0], int) else place[1]
        raise ValueError(f"the ref {shown} is also on row {other}{hint}")
    seen[ref] = (row, is_number)


def _commitments(value) -> tuple[list[int], list[str]]:
    """ "1, 3-4" or "1.2" -> numbers; any other text is a commitment in its own words."""
    text = one_line(value)
    if not text:
        return [], []
    if not _NUMBERS.match(text.casefold()):
        return [], [text]
    numbers = []
    for first, second, upto in _NUMBER.findall(text):
        start = int(second or first)
        numbers.extend(range(start, max(int(upto or start), start) + 1))
        if max(numbers) > kinds.MAX_COMMITMENT:
            raise ValueError(f'the commitments "{text}" are not commitment numbers')
    return list(dict.fromkeys(numbers)), []
