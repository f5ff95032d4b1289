"""``import_table``: a table of actions (CSV, XLSX or DOCX) into a strategy, all or nothing.

Tables made by hand differ from one organisation to the next: a title block above the
header, "Workstream | Description | Owner | Due | Status" instead of "Area | Action |
Lead | Target date | RAG", dates typed as text or stored as real Excel dates. So the
header row is found rather than assumed (the row among the first ``HEADER_ROWS`` whose
cells name the most columns, one of which must hold the action), columns are recognised
by the words of their headers (``columns.classify``), and ``--map HEADER=field`` settles
what the words cannot.

The table is read completely, and every row checked, before anything is written; then
everything is written in one transaction, so a bad date on the last row leaves the
database as it was. Re-importing a file updates the actions it matches (by ref, or by
text where a row has no ref) instead of adding them again, and only actions that really
change get a new version and a history row, all with the importing user and the reason
"Imported from FILE". Ratings the strategy's scale does not know are kept as written,
never guessed, and show up as RAG_NOT_IN_KEY findings.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from planboard.imports import columns as kinds
from planboard.imports.dates import COMPLETE_WORDS, DAY, TargetDate, parse_target
from planboard.imports.errors import PaperError
from planboard.imports.history import create_with_history
from planboard.imports.leads import LeadResolver, split_leads
from planboard.imports.parsed import area_key
from planboard.imports.tables import RawTable, read_table
from planboard.people.models import Role
from planboard.plans.checker import run_checks, summarise
from planboard.plans.models import (
    Action,
    ActionStatus,
    Area,
    Commitment,
    DatePrecision,
    RagLevel,
    Strategy,
    Theme,
    format_target,
    normalise_rating,
)
from planboard.plans.rag import DEFAULT_SCALE, create_scale, match_level

HEADER_ROWS = 20
PREVIEW_ROWS = 10
MAX_HEADER_WORDS = 6
STATUS, COMMITMENTS, IGNORE = "status", "commitments", "ignore"
FIELDS = {
    kinds.REF: "Ref (1.3, or 3 within the theme)",
    kinds.AREA: "Area or workstream",
    kinds.TEXT: "Action",
    kinds.PROGRESS: "Progress",
    kinds.TARGET: "Target date",
    kinds.RAG: "RAG rating",
    STATUS: "Status (Not started, In progress, Completed)",
    kinds.LEAD: "Lead",
    COMMITMENTS: "Commitments served",
    IGNORE: "Not read",
}
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
}

_REF_HEADER = re.compile(r"^(?:ref(?:erence)?|no|number|id|#)\.?$|\b(?:ref(?:erence)?|no)\.?$")
_COMMITMENT_HEADER = re.compile(r"\bcommitment|\bobjective")
_NOT_READ = re.compile(r"\bstart|\bbegin|\braised\b|\badded\b|\bupdated\b")  # dates of other things
_STRONG_TARGET = re.compile(r"target|\bdue\b|deadline|completion|by when|timescale")
_REF = re.compile(r"^(?:[a-z]{1,10}\s*)?(\d{1,4})(?:\s*\.\s*(\d{1,4}))?\.?$")
_NUMBERS = re.compile(r"^(?:[a-z]+\s*)?\d[\d\s.,;&\-–and]*$")
_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?(?:\s*[-–]\s*(\d+))?")
_MIDNIGHT = re.compile(r"[ T]00:00(?::00)?$")
_LIMITS = {"rag_text": 40, "target_text": 100, "lead_text": 500, "area": 300}


class RowError(PaperError):
    """A PaperError about a place in a table: "plan.xlsx, sheet "Actions", row 7: ..."."""

    def __str__(self) -> str:
        where = self.source or "table"
        return (
            f"{where}, row {self.line}: {self.message}" if self.line else f"{where}: {self.message}"
        )


def _where(table: RawTable) -> str:
    """The file and, for workbooks and Word documents, which sheet or table."""
    if Path(table.source).suffix.lower() == ".docx" and table.sheet:
        return f"{table.source}, {table.sheet}"
    return f'{table.source}, sheet "{table.sheet}"' if table.sheet else table.source


# -- the header ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The header row: its place, its cells, and the field each read column holds."""

    index: int  # into table.rows
    row: int  # the number a person sees
    names: tuple[str, ...]
    fields: dict[int, str]  # column -> field, IGNORE left out

    def columns(self) -> dict[str, str]:
        return {self.names[at]: name for at, name in sorted(self.fields.items())}

    def has(self, name: str) -> bool:
        return name in self.fields.values()


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
        taken = [h for h, f in checked.items() if f == wanted and wanted != IGNORE]
        if taken:
            raise PaperError(
                f'--map gives two columns for {wanted}: "{taken[0]}" and "{header}"',
                source=source,
            )
        checked[_norm(header)] = wanted
    return checked


def header_field(name: str) -> str | None:
    """The field a header names ("Owner" -> lead, "Objectives" -> commitments), or None."""
    words = " ".join(name.split()).casefold()
    if _REF_HEADER.search(words):
        return kinds.REF
    found = kinds.classify(words)
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
        present = sum(1 for cell in raw.cells if _norm(cell) in checked)
        named = [f for f in fields.values() if f != IGNORE]
        # Two fields make a header, or one in a table of a single column (a list of actions).
        enough = len(named) >= 2 or len(raw.cells) == 1 or present > 0
        score = (present, kinds.TEXT in named and enough, len(named))
        if best is None or score > best[0]:
            best = (score, index, fields)
    if best is None:
        raise PaperError("the table is empty", source=_where(table))
    (_, usable, _), index, fields = best
    raw = table.rows[index]
    names = tuple(_one_line(cell) for cell in raw.cells)
    found = ", ".join(name for name in names if name) or "nothing"
    missing = [h for h in mapping or {} if _norm(h) not in {_norm(n) for n in names}]
    if missing:
        raise RowError(
            f'no column headed "{missing[0]}" (from --map); the headers found are: {found}',
            source=_where(table),
            line=raw.number,
        )
    if not usable:
        raise RowError(
            f"no column for the action (a header such as Action, Description or Task) in the "
            f"first {HEADER_ROWS} rows; the headers found are: {found}; give "
            '--map "HEADER=text" to say which column holds the actions',
            source=_where(table),
            line=raw.number,
        )
    used = {at: name for at, name in fields.items() if name != IGNORE}
    return Header(index=index, row=raw.number, names=names, fields=used)


def _row_fields(cells: tuple, mapping: dict[str, str]) -> dict[int, str]:
    """What each cell of a candidate header row names; mapped columns win a field."""
    fields: dict[int, str] = {}
    for at, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        if _norm(cell) in mapping:
            fields[at] = mapping[_norm(cell)]
        elif len(cell.split()) <= MAX_HEADER_WORDS and (found := header_field(cell)):
            fields[at] = found
    mapped = {mapping[_norm(cells[at])] for at in fields if _norm(cells[at]) in mapping}
    kept: dict[int, str] = {}
    for at, name in fields.items():
        if _norm(cells[at]) not in mapping and name in mapped:
            continue  # a mapped column takes the field from a recognised one
        rival = next((other for other, n in kept.items() if n == name), None)
        if rival is None:
            kept[at] = name
        elif name == kinds.RAG and "status" in cells[at].casefold():
            kept[at] = STATUS  # "RAG" and "Status": the second says whether it is done
        elif name == kinds.RAG and "status" in cells[rival].casefold():
            kept[rival], kept[at] = STATUS, name
        elif name == kinds.TARGET and not _STRONG_TARGET.search(cells[rival].casefold()):
            del kept[rival]  # "Target date" beats a plain "Date"
            kept[at] = name
    return kept


# -- the rows ----------------------------------------------------------------------------


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
    is skipped; if it names an area, the rows below are in it.
    """
    rows = Rows(header)
    area: tuple[str, list[int]] = ("", [])
    seen: dict[tuple[int, int], tuple[int, bool]] = {}
    current_theme = None
    names = [_norm(name) for name in header.names]
    for raw in table.rows[header.index + 1 :]:
        cells = {name: raw.cells[at] for at, name in header.fields.items() if at < len(raw.cells)}
        if not any(_one_line(cell) for cell in raw.cells):
            continue
        rows.read += 1
        if [_norm(cell) for cell in raw.cells] == names:
            rows.skipped.append({"row": raw.number, "reason": "repeats the header row"})
            continue
        try:
            ref = _ref(cells.get(kinds.REF, ""), theme)
            row_theme = ref[0] if ref else (theme or 1)
            if row_theme != current_theme:
                area, current_theme = ("", []), row_theme
            if _one_line(cells.get(kinds.AREA, "")):
                area = kinds.parse_area(_one_line(cells[kinds.AREA]))
            text = _multi_line(cells.get(kinds.TEXT, ""))
            if not text:
                rows.skipped.append({"row": raw.number, "reason": "no action text"})
                continue
            action = _action(raw.number, cells, text, row_theme, ref, area)
            if ref:
                _check_unique(seen, ref, raw.number, isinstance(cells.get(kinds.REF), float))
        except ValueError as err:
            rows.problems.append(RowError(str(err), source=_where(table), line=raw.number))
            continue
        rows.actions.append(action)
    return rows


def _action(row: int, cells: dict, text: str, theme: int, ref, area) -> RowData:
    target, target_text = _target(cells.get(kinds.TARGET, ""))
    rag_text = _one_line(cells.get(kinds.RAG, ""))
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
        progress=_multi_line(cells.get(kinds.PROGRESS, "")),
        target=target,
        target_text=target_text,
        rag_text=rag_text,
        status=status,
        lead_text=_one_line(cells.get(kinds.LEAD, "")),
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
    text = _one_line(value).casefold()
    if not text:
        return None
    match = _REF.match(text)
    if match is None or int(match.group(2) or match.group(1)) == 0:
        raise ValueError(
            f'the ref "{_one_line(value)}" is not a number such as 1.3 or 3; give '
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
    text = _one_line(value)
    if not text:
        return None, ""
    try:
        return parse_target(_MIDNIGHT.sub("", text)), text
    except ValueError as err:
        raise ValueError(f"the target date {err}") from None


def _status(value) -> str | None:
    words = normalise_rating(_one_line(value)).rstrip(".")
    if not words:
        return None
    if words in COMPLETE_WORDS:
        return ActionStatus.COMPLETE
    if words.startswith(("not started", "not yet started")):
        return ActionStatus.NOT_STARTED
    return ActionStatus.IN_PROGRESS


def _commitments(value) -> tuple[list[int], list[str]]:
    """ "1, 3-4" or "1.2" -> numbers; any other text is a commitment in its own words."""
    text = _one_line(value)
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


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return format_target(value, DatePrecision.DAY)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value if value is not None else "")


def _one_line(value) -> str:
    return " ".join(_text(value).split())


def _multi_line(value) -> str:
    lines = (" ".join(line.split()) for line in _text(value).splitlines())
    return "\n".join(line for line in lines if line)


def _norm(value) -> str:
    return _one_line(value).casefold()


# -- preview, for a web page that shows what an import would do --------------------------


@dataclass(frozen=True)
class PreviewRow:
    row: int
    ref: str
    area: str
    text: str
    target: str
    rating: str
    level: str  # the scale's label for the rating, "" when the scale does not know it
    lead: str
    complete: bool


@dataclass(frozen=True)
class Preview:
    """What an import of ``table`` would read, without touching the database."""

    source: str
    sheet: str
    header_row: int
    columns: dict[str, str]
    unread: list[str]
    rows: list[PreviewRow]
    actions: int
    skipped: list[dict]
    problems: list[dict]
    unknown_ratings: list[str]


def preview(
    table: RawTable, strategy=None, mapping: dict[str, str] | None = None, *, theme=None
) -> Preview:
    """The recognised columns, the first rows as actions, and every problem row by number.

    ``strategy`` is None for a strategy the import would create (the default scale).
    A table without a header is a PaperError, as it would be for the import.
    """
    header = find_header(table, mapping)
    rows = read_rows(table, header, theme=theme)
    if strategy is not None:
        levels = list(strategy.rag_levels.all())
    else:
        levels = [RagLevel(label=spec["label"]) for spec in DEFAULT_SCALE]

    def shown(action: RowData) -> PreviewRow:
        level = match_level(levels, action.rag_text)
        target = action.target
        return PreviewRow(
            row=action.row,
            ref=action.ref,
            area=action.area,
            text=action.text,
            target=format_target(target.date, target.precision) if target else "",
            rating=action.rag_text,
            level=level.label if level else "",
            lead=action.lead_text,
            complete=action.status == ActionStatus.COMPLETE or bool(level and level.means_complete),
        )

    unknown = {a.rag_text: None for a in rows.actions if a.rag_text}
    return Preview(
        source=table.source,
        sheet=table.sheet,
        header_row=header.row,
        columns=header.columns(),
        unread=[name for at, name in enumerate(header.names) if name and at not in header.fields],
        rows=[shown(action) for action in rows.actions[:PREVIEW_ROWS]],
        actions=len(rows.actions),
        skipped=rows.skipped,
        problems=[{"row": p.line, "message": p.message} for p in rows.problems],
        unknown_ratings=[text for text in unknown if match_level(levels, text) is None],
    )


# -- the import ---------------------------------------------------------------------------


def import_table(
    source,
    *,
    strategy_slug: str,
    title: str | None = None,
    theme: int | None = None,
    sheet: str | None = None,
    table: int | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    user=None,
) -> dict:
    """Import the actions of a table (a path, or a RawTable already read) into a strategy.

    Creates the strategy (titled ``title`` or after the file, with the default RAG
    scale) when ``strategy_slug`` names none. Raises PaperError, one line naming the
    file and row, on bad input; nothing is written then, nor on ``dry_run``, whose
    summary is nonetheless exact because the import runs and is rolled back.
    """
    raw = source if isinstance(source, RawTable) else read_table(source, sheet=sheet, table=table)
    if not strategy_slug or strategy_slug != slugify(strategy_slug) or len(strategy_slug) > 80:
        raise PaperError(
            f'"{strategy_slug}" cannot be a slug: use lower-case letters, digits and hyphens',
            source=raw.source,
        )
    if theme is not None and not 1 <= theme <= 999:
        raise PaperError(f"--theme {theme} is not a theme number (1 to 999)", source=raw.source)
    header = find_header(raw, mapping)
    rows = read_rows(raw, header, theme=theme)
    if rows.problems:
        raise rows.problems[0]
    if not rows.actions:
        raise RowError(
            "there are no actions below the header row", source=_where(raw), line=header.row
        )
    file_title = " ".join(Path(raw.source).stem.replace("_", " ").split())
    name = title or raw.sheet or file_title
    if len(name) > Theme._meta.get_field("title").max_length:
        raise PaperError("the title is longer than 300 characters", source=raw.source)
    history = {"user": user, "reason": f"Imported from {raw.source}"[:100]}
    try:
        with transaction.atomic():
            strategy = Strategy.objects.select_for_update().filter(slug=strategy_slug).first()
            created = strategy is None
            if created:
                strategy = _create_strategy(strategy_slug, title or file_title, raw.source, history)
            writer = _Writer(strategy, header, history, theme_title=name, default_theme=theme or 1)
            counts = writer.write(rows.actions)
            findings = summarise(run_checks(strategy, timezone.localdate()))
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as err:
        raise PaperError(f"the table could not be saved ({err})", source=raw.source) from None
    return {
        "strategy": strategy_slug,
        "strategy_created": created,
        "source": raw.source,
        "sheet": raw.sheet,
        "header_row": header.row,
        "columns": header.columns(),
        "rows_read": rows.read,
        **counts,
        "skipped": rows.skipped,
        "findings": {code.value: count for code, count in findings.items()},
        "dry_run": dry_run,
    }


def _create_strategy(slug: str, title: str, source: str, history: dict) -> Strategy:
    strategy = Strategy(slug=slug, title=title, source_name=source)
    _attribute(strategy, history)
    strategy.save()
    create_scale(strategy)
    RagLevel.history.filter(strategy_id=strategy.pk).update(
        history_user=history["user"], history_change_reason=history["reason"]
    )
    return strategy


def _attribute(instance, history: dict) -> None:
    instance._history_user = history["user"]
    instance._change_reason = history["reason"]


class _Writer:
    """Matches rows with the strategy's actions and writes the differences, with history."""

    def __init__(self, strategy, header: Header, history: dict, *, theme_title, default_theme):
        self.strategy = strategy
        self.header = header
        self.history = history
        self.theme_title = theme_title
        self.default_theme = default_theme

    def write(self, rows: list[RowData]) -> dict:
        existing = list(
            Action.objects.for_strategy(self.strategy)
            .select_for_update(of=("self",))
            .select_related("theme")
            .prefetch_related("leads", "commitments")
            .in_plan_order()
        )
        matches = _match(rows, existing)
        themes = self._themes(
            {row.theme for row, found in zip(rows, matches, strict=True) if not found}
        )
        numbers = _numbers(rows, matches, existing)
        theme_of = [
            found.theme if found else themes[row.theme]
            for row, found in zip(rows, matches, strict=True)
        ]
        area_ids = self._areas(rows) if self.header.has(kinds.AREA) else {}
        leads = self._leads(rows) if self.header.has(kinds.LEAD) else None
        served = None
        if self.header.has(kinds.AREA) or self.header.has(COMMITMENTS):
            served = self._commitments(rows, theme_of)
        levels = list(self.strategy.rag_levels.all())
        new, links, counts = [], {"leads": [], "commitments": []}, {"updated": 0, "unchanged": 0}
        for at, (row, found) in enumerate(zip(rows, matches, strict=True)):
            level = match_level(levels, row.rag_text) if self.header.has(kinds.RAG) else None
            values = self._values(row, level, area_ids)
            status = row.status
            if level is not None and level.means_complete:
                status = ActionStatus.COMPLETE
            lead_ids = [role.pk for role in leads[at]] if leads is not None else None
            served_ids = served[at] if served is not None else None
            if found is None:
                links["leads"] += [(len(new), pk) for pk in lead_ids or []]
                links["commitments"] += [(len(new), pk) for pk in served_ids or []]
                new.append(self._new(row, theme_of[at], numbers[at], values, status))
            elif self._update(found, row, values, status, lead_ids, served_ids):
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        create_with_history(Action, new, links=links, **self.history)
        return {"created": len(new), **counts}

    def _values(self, row: RowData, level, area_ids: dict) -> dict:
        """The fields the table's columns give; a column the table lacks is left alone."""
        has = self.header.has
        values = {"text": row.text}
        if has(kinds.PROGRESS):
            values["progress"] = row.progress
        if has(kinds.AREA):
            values["area_id"] = area_ids[area_key(row.area)] if row.area else None
        if has(kinds.AREA) or has(COMMITMENTS):
            values["cited_commitments"] = row.cited
        if has(kinds.TARGET):
            target = row.target or TargetDate(None, DatePrecision.MONTH)
            values["target_date"] = target.date
            values["target_precision"] = target.precision
            values["target_text"] = row.target_text
        if has(kinds.RAG):
            values["rag_level_id"] = level.pk if level else None
            values["rag_text"] = row.rag_text
        if has(kinds.LEAD):
            values["lead_text"] = row.lead_text
        return values

    def _new(self, row: RowData, theme, number: int, values: dict, status) -> Action:
        return Action(
            theme=theme,
            number=number,
            source_line=row.row,
            original_target_date=values.get("target_date"),
            original_target_precision=values.get("target_precision", DatePrecision.MONTH),
            status=status or ActionStatus.IN_PROGRESS,
            **values,
        )

    def _update(self, action: Action, row, values: dict, status, lead_ids, served_ids) -> bool:
        """Write what differs as one new version with one history row; False if nothing does.

        A complete action stays complete: reopening one is a correction made by hand,
        as when an update is accepted.
        """
        changes = {name: value for name, value in values.items() if getattr(action, name) != value}
        if status and action.status != status and action.status != ActionStatus.COMPLETE:
            changes["status"] = status
        if "target_date" in changes and action.original_target_date is None:
            changes["original_target_date"] = action.target_date or values["target_date"]
            changes["original_target_precision"] = (
                action.target_precision if action.target_date else values["target_precision"]
            )
        m2m = {}
        if lead_ids is not None and set(lead_ids) != {r.pk for r in action.leads.all()}:
            m2m["leads"] = lead_ids
        if served_ids is not None and set(served_ids) != {c.pk for c in action.commitments.all()}:
            m2m["commitments"] = served_ids
        if not changes and not m2m:
            return False
        for name, value in changes.items():
            setattr(action, name, value)
        action.version += 1
        action.source_line = row.row
        action.skip_history_when_saving = True  # one history row, taken after the links
        try:
            for name, ids in m2m.items():
                getattr(action, name).set(ids)
        finally:
            del action.skip_history_when_saving
        _attribute(action, self.history)
        action.save()
        return True

    def _themes(self, wanted: set[int]) -> dict[int, Theme]:
        themes = {theme.number: theme for theme in self.strategy.themes.all()}
        missing = sorted(wanted - set(themes))
        made = self._create(
            Theme,
            [
                Theme(
                    strategy=self.strategy,
                    number=number,
                    title=self.theme_title
                    if number == self.default_theme or len(missing) == 1
                    else f"Theme {number}",
                )
                for number in missing
            ],
        )
        return themes | {theme.number: theme for theme in made}

    def _areas(self, rows: list[RowData]) -> dict[str, int]:
        areas = {area_key(area.name): area for area in self.strategy.areas.all()}
        names = {area_key(row.area): row.area for row in rows if row.area}
        self._create(
            Area,
            [Area(strategy=self.strategy, name=n) for key, n in names.items() if key not in areas],
        )
        return {area_key(area.name): area.pk for area in self.strategy.areas.all()}

    def _leads(self, rows: list[RowData]) -> list[list[Role]]:
        """Each row's roles; leads the key does not name become roles outside it, and a new
        way of writing a key role is kept as its alias, as the paper import does."""
        roles = list(self.strategy.roles.all())
        aliases = {role.pk: list(role.aliases or []) for role in roles}
        resolver = LeadResolver(
            roles, make_role=lambda title: Role(strategy=self.strategy, title=title, in_key=False)
        )
        found = [resolver.resolve(row.lead_text) for row in rows]
        self._create(Role, [role for role in resolver.unresolved.values() if role.pk is None])
        for role in roles:
            if list(role.aliases or []) != aliases[role.pk]:
                _attribute(role, self.history)
                role.save(update_fields=["aliases"])
        return found

    def _commitments(self, rows: list[RowData], theme_of: list[Theme]) -> list[list[int]]:
        """The commitments each row serves: by number within its theme, or by their words
        (a commitment the theme does not have yet is added to it)."""
        known = list(Commitment.objects.filter(theme__strategy=self.strategy))
        by_number = {(c.theme_id, c.number): c.pk for c in known}
        by_text = {(c.theme_id, _norm(c.text)): c for c in known}
        next_number = {}
        for c in known:
            next_number[c.theme_id] = max(next_number.get(c.theme_id, 0), c.number)
        added = {}
        for row, theme in zip(rows, theme_of, strict=True):
            for text in row.commitment_texts:
                key = (theme.pk, _norm(text))
                if key not in by_text and key not in added:
                    next_number[theme.pk] = next_number.get(theme.pk, 0) + 1
                    added[key] = Commitment(theme=theme, number=next_number[theme.pk], text=text)
        for commitment in self._create(Commitment, list(added.values())):
            by_text[(commitment.theme_id, _norm(commitment.text))] = commitment
        return [
            list(
                dict.fromkeys(
                    [by_number[(t.pk, n)] for n in row.cited if (t.pk, n) in by_number]
                    + [by_text[(t.pk, _norm(text))].pk for text in row.commitment_texts]
                )
            )
            for row, t in zip(rows, theme_of, strict=True)
        ]

    def _create(self, model, objects: list) -> list:
        return create_with_history(model, objects, **self.history) if objects else []


def _match(rows: list[RowData], existing: list[Action]) -> list[Action | None]:
    """The action each row updates: the one at its ref, else the first unclaimed action
    with the same words (spacing and case aside); None for a new action."""
    by_ref = {(action.theme.number, action.number): action for action in existing}
    by_text: dict[str, list[Action]] = {}
    for action in existing:
        by_text.setdefault(_norm(action.text), []).append(action)
    found = [by_ref.get((row.theme, row.number)) if row.number else None for row in rows]
    claimed = {action.pk for action in found if action}
    for at, row in enumerate(rows):
        if row.number is None:
            free = [a for a in by_text.get(_norm(row.text), []) if a.pk not in claimed]
            if free:
                found[at] = free[0]
                claimed.add(free[0].pk)
    return found


def _numbers(rows: list[RowData], matches: list, existing: list[Action]) -> list[int | None]:
    """A number for each new action: its ref's, or the next after every number its theme
    has or the table gives it."""
    last: dict[int, int] = {}
    for theme, number in [(a.theme.number, a.number) for a in existing] + [
        (row.theme, row.number) for row in rows if row.number
    ]:
        last[theme] = max(last.get(theme, 0), number)
    numbers = []
    for row, found in zip(rows, matches, strict=True):
        if found is not None:
            numbers.append(None)
        elif row.number:
            numbers.append(row.number)
        else:
            last[row.theme] = last.get(row.theme, 0) + 1
            numbers.append(last[row.theme])
    return numbers
