"""Reading the rows below a table's header as actions, every row checked before any is written.

Dates come typed as text or stored as real Excel dates, refs as "1.3", "3" or a number
Excel has turned 1.10 into 1.1, commitments as numbers or in their own words. Each row
is read into a ``RowData`` on its own, and a row that cannot be read becomes a problem
naming it, so a preview can list every problem and an import refuse the first before
the database is touched.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings

from planboard.imports import columns as kinds
from planboard.imports.dates import COMPLETE_WORDS, DAY, TargetDate, parse_target
from planboard.imports.leads import lead_cell, split_leads
from planboard.imports.table_header import (
    COMMITMENTS,
    STATUS,
    Header,
    RowError,
    multi_line,
    norm,
    one_line,
    table_name,
)
from planboard.imports.tables import RawTable
from planboard.people.models import Role
from planboard.plans.models import ActionStatus, DatePrecision, format_target, normalise_rating

_REF = re.compile(r"^(?:[a-z]{1,10}\s*)?(\d{1,4})(?:\s*\.\s*(\d{1,4}))?\.?$")
_NUMBERS = re.compile(r"^(?:[a-z]+\s*)?\d[\d\s.,;&\-–and]*$")
_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?(?:\s*[-–]\s*(\d+))?")
_MIDNIGHT = re.compile(r"[ T]00:00(?::00)?$")
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
    read: int = 0


def read_rows(table: RawTable, header: Header, *, theme: int | None = None) -> Rows:
    """Every row below the header as RowData; a row that cannot be read becomes a problem
    (a RowError naming it) so a preview can list them all and an import refuse the first.

    A blank area cell continues the area above, within a theme. A row without action text
    is skipped; if it names an area, the rows below are in it. A table of more than
    ``IMPORT_MAX_ACTIONS`` actions is refused at the first action past it (a RowError):
    the header, the rows above it and the rows skipped do not count.
    """
    most = settings.IMPORT_MAX_ACTIONS
    rows = Rows(header)
    area: tuple[str, list[int]] = ("", [])
    seen: dict[tuple[int, int], tuple[int, bool]] = {}
    current_theme = None
    names = [norm(name) for name in header.names]
    for raw in table.rows[header.index + 1 :]:
        cells = {name: raw.cells[at] for at, name in header.fields.items() if at < len(raw.cells)}
        if not any(one_line(cell) for cell in raw.cells):
            continue
        rows.read += 1
        if [norm(cell) for cell in raw.cells] == names:
            rows.skipped.append({"row": raw.number, "reason": "repeats the header row"})
            continue
        try:
            ref = _ref(cells.get(kinds.REF, ""), theme)
            row_theme = ref[0] if ref else (theme or 1)
            if row_theme != current_theme:
                area, current_theme = ("", []), row_theme
            if one_line(cells.get(kinds.AREA, "")):
                area = kinds.parse_area(one_line(cells[kinds.AREA]))
            text = multi_line(cells.get(kinds.TEXT, ""))
            if not text:
                rows.skipped.append({"row": raw.number, "reason": "no action text"})
                continue
            action = _action(raw.number, cells, text, row_theme, ref, area)
            if ref:
                _check_unique(seen, ref, raw.number, isinstance(cells.get(kinds.REF), float))
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
    return rows


def _action(row: int, cells: dict, text: str, theme: int, ref, area) -> RowData:
    target, target_text = _target(cells.get(kinds.TARGET, ""))
    rag_text = one_line(cells.get(kinds.RAG, ""))
    status = _status(cells.get(STATUS, ""))
    if (target and target.complete) or normalise_rating(rag_text).rstrip(".") in COMPLETE_WORDS:
        status = ActionStatus.COMPLETE
    numbers, texts = _commitments(cells.get(COMMITMENTS, ""))
    action = RowData(
        row=row,
        text=text,
        theme=theme,
        number=ref[1] if ref else None,
        area=area[0],
        cited=list(dict.fromkeys([*area[1], *numbers])),
        commitment_texts=texts,
        progress=multi_line(cells.get(kinds.PROGRESS, "")),
        target=target,
        target_text=target_text,
        rag_text=rag_text,
        status=status,
        lead_text=lead_cell(cells.get(kinds.LEAD, "")),
    )
    for name, limit in _LIMITS.items():
        value = getattr(action, name)
        if len(value) > limit:
            raise ValueError(f'"{value[:40]}..." is longer than the {limit} characters allowed')
    for segment in split_leads(action.lead_text):
        if len(segment) > Role._meta.get_field("title").max_length:
            raise ValueError(f'the lead "{segment[:40]}..." is too long to be a role')
    return action


def _ref(value, theme: int | None) -> tuple[int, int] | None:
    """ "1.3" -> (1, 3); "3" -> (theme or 1, 3); blank -> None. ``theme`` (--theme) wins."""
    text = one_line(value).casefold()
    if not text:
        return None
    match = _REF.match(text)
    if match is None or int(match.group(2) or match.group(1)) == 0:
        raise ValueError(
            f'the ref "{one_line(value)}" is not a number such as 1.3 or 3; give '
            '--map "HEADER=ignore" for the ref column to number the actions in order'
        )
    if match.group(2) is None:
        return theme or 1, int(match.group(1))
    return theme or int(match.group(1)), int(match.group(2))


def _check_unique(seen: dict, ref: tuple[int, int], row: int, is_number: bool) -> None:
    if ref in seen:
        other, other_number = seen[ref]
        hint = (
            " (Excel shows 1.10 as 1.1 when refs are numbers: format the ref column as text)"
            if is_number or other_number
            else ""
        )
        raise ValueError(f"the ref {ref[0]}.{ref[1]} is also on row {other}{hint}")
    seen[ref] = (row, is_number)


def _target(value) -> tuple[TargetDate | None, str]:
    """A real date as given to the day; text through ``parse_target``; blank as None."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return TargetDate(value, DAY), format_target(value, DatePrecision.DAY)
    text = one_line(value)
    if not text:
        return None, ""
    try:
        return parse_target(_MIDNIGHT.sub("", text)), text
    except ValueError as err:
        raise ValueError(f"the target date {err}") from None


def _status(value) -> str | None:
    words = normalise_rating(one_line(value)).rstrip(".")
    if not words:
        return None
    if words in COMPLETE_WORDS:
        return ActionStatus.COMPLETE
    if words.startswith(("not started", "not yet started")):
        return ActionStatus.NOT_STARTED
    return ActionStatus.IN_PROGRESS


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
