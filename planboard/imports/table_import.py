"""``import_table``: a table of actions (CSV, XLSX or DOCX) into a strategy, all or nothing.

The table is read completely, and every row checked, before anything is written; then
everything is written in one transaction, so a bad date on the last row leaves the
database as it was. The steps are apart because each has its own difficulty: finding
the header and what each column holds (``table_header``), reading each row as an
action (``table_rows``), and matching the rows with the strategy's actions so that a
re-import changes only what differs (``table_writer``). ``preview`` runs the first two
for the import page, so a person sees what an import would do before confirming it.
Ratings the strategy's scale does not know are kept as written, never guessed, and
show up as RAG_NOT_IN_KEY findings.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from planboard.imports.column_values import rating_words, read_columns
from planboard.imports.destination import INTO_NEW_STRATEGY, Destination, settle
from planboard.imports.errors import PaperError
from planboard.imports.leads import distinct_leads, resolver_for
from planboard.imports.table_header import FIELDS, RowError, table_name
from planboard.imports.table_rows import RowData, read_rows
from planboard.imports.table_writer import TableWriter, create_strategy
from planboard.imports.tables import RawTable, read_table
from planboard.imports.undo import record_import
from planboard.lib import clock
from planboard.lib.services import service
from planboard.people.permissions import require_governance
from planboard.plans.models import ActionStatus, RagLevel, Strategy, Theme, format_target
from planboard.plans.rag import DEFAULT_SCALE, match_level
from planboard.progress.checker import run_checks, summarise

PREVIEW_ROWS = 10


# -- the import ---------------------------------------------------------------------------


@service
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
    into: Destination | None = None,
    listed_under: str = "",
    user=None,
) -> dict:
    """Import the actions of a table (a path, or a RawTable already read) into a strategy.

    Creates the strategy (titled ``title`` or after the file, with the default RAG
    scale) when ``strategy_slug`` names none. Raises PaperError, one line naming the
    file and row, on bad input; nothing is written then, nor on ``dry_run``, whose
    summary is nonetheless exact because the import runs and is rolled back. ``into``
    (from the import page) says where the rows whose ref names no theme go; without it
    they go into theme 1 (``theme``), titled after ``title`` or the file when it is new.
    The import is recorded (``imports.undo.record_import``) so that it can be undone;
    ``listed_under`` is the strategy whose page it was made from.
    """
    require_governance(user, "import actions", command_line_ok=True)
    raw = source if isinstance(source, RawTable) else read_table(source, sheet=sheet, table=table)
    if not strategy_slug or strategy_slug != slugify(strategy_slug) or len(strategy_slug) > 80:
        raise PaperError(
            f'"{strategy_slug}" cannot be a slug: use lower-case letters, digits and hyphens',
            source=raw.source,
        )
    if theme is not None and not 1 <= theme <= 999:
        raise PaperError(f"--theme {theme} is not a theme number (1 to 999)", source=raw.source)
    if into is not None and into.into == INTO_NEW_STRATEGY:
        strategy_slug, title = into.slug, into.name
    levels = _levels(Strategy.objects.filter(slug=strategy_slug).first())
    header = read_columns(raw, mapping, levels)
    rows = read_rows(
        raw, header, theme=theme, ratings=rating_words(levels), default_theme=0 if into else 1
    )
    header = rows.header
    if rows.problems:
        raise rows.problems[0]
    if not rows.actions:
        raise RowError(
            "there are no actions below the header row", source=table_name(raw), line=header.row
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
                strategy = create_strategy(strategy_slug, title or file_title, raw.source, history)
            titles = None
            if into is not None:
                numbers = list(strategy.themes.values_list("number", flat=True))
                titles = settle(rows.actions, into, numbers)
            writer = TableWriter(
                strategy,
                header,
                history,
                theme_title=name,
                default_theme=theme or 1,
                titles=titles,
            )
            counts = writer.write(rows.actions)
            findings = summarise(run_checks(strategy, clock.today()))
            record_import(
                strategy,
                raw,
                writer.done,
                created=created,
                summary=counts,
                listed_under=listed_under or strategy_slug,
                user=user,
            )
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
        "notes": rows.notes,
        "findings": {code.value: count for code, count in findings.items()},
        "dry_run": dry_run,
    }


# -- preview, for a web page that shows what an import would do --------------------------


def _levels(strategy) -> list:
    """The strategy's RAG scale; the default scale for a strategy the import would create."""
    if strategy is not None:
        return list(strategy.rag_levels.all())
    return [RagLevel(label=spec["label"]) for spec in DEFAULT_SCALE]


@dataclass(frozen=True)
class Meaning:
    """What a column was taken as, and why: "Status", "Progress", "9 of 12 values are
    sentences"."""

    header: str
    field: str
    label: str
    reason: str


@dataclass(frozen=True)
class PreviewRow:
    row: int
    ref: str  # its place in the plan ("2.7"), or as written when its shape gives none
    area: str
    text: str
    target: str
    rating: str
    level: str  # the scale's label for the rating, "" when the scale does not know it
    lead: str
    complete: bool
    status: str = ""
    progress: str = ""
    source: str = ""
    original_target: str = ""
    ref_written: str = ""  # the ref as the file writes it, when that differs from ``ref``


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
    meanings: list[Meaning] = ()
    notes: list[dict] = ()
    leads: tuple = ()  # each lead as written (LeadMatch), with what it matched in the key
    key_from_leads: bool = False  # no key yet: the leads will become its roles


def preview(
    table: RawTable,
    strategy=None,
    mapping: dict[str, str] | None = None,
    *,
    theme=None,
    into: Destination | None = None,
) -> Preview:
    """The recognised columns, the first rows as actions, and every problem row by number.

    ``strategy`` is None for a strategy the import would create (the default scale).
    A table without a header is a PaperError, as it would be for the import.
    """
    levels = _levels(strategy)
    header = read_columns(table, mapping, levels)
    rows = read_rows(
        table, header, theme=theme, ratings=rating_words(levels), default_theme=0 if into else 1
    )
    if into is not None:
        numbers = [] if strategy is None else [t.number for t in strategy.themes.all()]
        settle(rows.actions, into, numbers)

    def shown(action: RowData) -> PreviewRow:
        level = match_level(levels, action.rag_text)
        target, original = action.target, action.original
        return PreviewRow(
            row=action.row,
            ref=action.ref or action.ref_text,
            ref_written=action.ref_text if action.ref and action.ref_text != action.ref else "",
            area=action.area,
            text=action.text,
            target=format_target(target.date, target.precision) if target else "",
            rating=action.rag_text,
            level=level.label if level else "",
            lead=action.lead_text,
            complete=action.status == ActionStatus.COMPLETE or bool(level and level.means_complete),
            status=ActionStatus(action.status).label if action.status else "",
            progress=action.progress,
            source=action.source,
            original_target=format_target(original.date, original.precision) if original else "",
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
        meanings=[
            Meaning(
                name,
                header.fields.get(at, ""),
                FIELDS.get(header.fields.get(at), "Not read"),
                header.reasons.get(at, ""),
            )
            for at, name in enumerate(header.names)
            if name
        ],
        notes=rows.notes,
        **_leads(strategy, rows.actions),
    )


def _leads(strategy, actions: list[RowData]) -> dict:
    """What each distinct lead of the table matched in the strategy's key."""
    resolver = resolver_for(strategy)
    found = distinct_leads(resolver, (action.lead_text for action in actions))
    return {"leads": tuple(found), "key_from_leads": not resolver.key_roles}
