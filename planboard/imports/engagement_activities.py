"""Importing an activity register from a table (CSV, .xlsx or .xlsm), all or nothing.

Columns are recognised by their headers (``engagement_columns.recognise``). A row with
a ref updates the activity of that ref (or adds one with it); a row without one updates
the activity of the same title and start date, or adds one. Directorates and services
are the feedback app's, named by name or code (several in a cell, separated by ";" or
","); one planboard does not know is a row error naming it, unless the importer asks
for unknown names to be added as directorates. Commitments and actions are named by
their refs ("1.3"; a bare number when only one commitment or action has it), the lead
by their name in the key. A column absent from the file leaves that field as it is.

A file with any bad row writes nothing: every bad row is listed, "file, row N, column
X: ...". Each activity is written through ``engagement.services.save_activity`` and its
counts through ``set_participation``; a dry run writes and rolls back.
"""

from dataclasses import dataclass, field

from django.db import transaction

from planboard.engagement.models import Activity, Perspective
from planboard.engagement.services import check_activity, save_activity, set_participation
from planboard.feedback.models import Service, ServiceKind
from planboard.feedback.services import save_feedback_service, services_for_codes
from planboard.imports.engagement_columns import (
    ONGOING,
    read_kind,
    read_level,
    read_recurrence,
    recognise,
    split_names,
    split_refs,
)
from planboard.imports.feedback_tables import (
    Cells,
    ImportSummary,
    TableRefused,
    find_feedback_header,
    read_count,
    read_day,
    read_feedback_table,
)
from planboard.imports.table_header import table_name
from planboard.lib.services import ServiceError, service
from planboard.lib.spreadsheets import FORMULA_STARTS
from planboard.people.permissions import require_engagement_rights
from planboard.plans.models import Action, Commitment

YES = {"yes", "y", "true", "x", "done", "fed back"}
NO = {"no", "n", "false", "not yet", "n a", "na", "none"}
TEXT_FIELDS = ("ref", "title", "fed_back_how")
LONG_FIELDS = ("purpose", "outcome")
COLUMN_OF = {"starts_on": "starts_on", "ends_on": "ends_on", "fed_back_on": "fed_back"}


@dataclass
class ActivityImportSummary(ImportSummary):
    by_title: int = 0  # rows without a ref matched to an activity by title and start
    added_services: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = super().line().removesuffix(".")
        if self.by_title:
            text += f"; {self.by_title} matched by title and start date"
        if self.added_services:
            verb = "would be" if self.dry_run else "were"
            text += f"; directorates that {verb} added: {', '.join(self.added_services[:10])}"
        return text + "."


def _enough(fields) -> str | None:
    if "title" not in fields:
        return (
            "no column naming the activities "
            '(a header such as Activity, Title or "Name of activity")'
        )
    if "starts_on" not in fields:
        return "no column of start dates (a header such as Date, Start or From)"
    return None


def _plain(value) -> str:
    """A cell's text, without the quote a spreadsheet export puts before a formula."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _unique(records, key) -> dict:
    """``{key: record}``, with None for a key two records share."""
    found = {}
    for record in records:
        found[key(record)] = None if key(record) in found else record
    return found


class _Register:
    """What the rows are matched to: the strategy's services, plan and key."""

    def __init__(self, strategy, add_services: bool):
        self.strategy, self.add_services = strategy, add_services
        self.services = {s.name.casefold(): s for s in Service.objects.filter(strategy=strategy)}
        self.codes = {}
        self.to_add: dict[str, str] = {}  # casefolded name -> name as written
        commitments = list(
            Commitment.objects.filter(theme__strategy=strategy).select_related("theme")
        )
        actions = list(Action.objects.for_strategy(strategy).select_related("theme"))
        self.commitments = {c.ref: c for c in commitments}
        self.commitment_numbers = _unique(commitments, lambda c: str(c.number))
        self.actions = {a.ref: a for a in actions}
        self.action_numbers = _unique(actions, lambda a: str(a.number))
        self.people = _unique(strategy.people.all(), lambda p: " ".join(p.name.casefold().split()))

    def learn_codes(self, texts) -> None:
        names = {name for text in texts for name in [text, *split_names(text)]}
        self.codes = services_for_codes(self.strategy, {n for n in names if len(n) <= 20})

    def service(self, name: str):
        return self.services.get(name.casefold()) or self.codes.get(name.strip().upper())

    def services_in(self, cells: Cells) -> list | None:
        text = _plain(cells.text("services"))
        whole = self.service(text) if text else None
        found, unknown = ([whole], []) if whole else ([], [])
        for name in [] if whole else split_names(text):
            record = self.service(name)
            found += [record] if record else []
            unknown += [] if record else [name]
        if unknown and self.add_services:
            for name in unknown:
                self.to_add.setdefault(name.casefold(), name)
            found += [name.casefold() for name in unknown]  # made before the rows are written
        elif unknown:
            listed = ", ".join(f'"{name}"' for name in unknown)
            cells.bad("services", f"no directorate or service is called {listed}")
        return found

    def linked(self, cells: Cells, name: str, by_ref: dict, by_number: dict, what: str):
        found = []
        for ref in split_refs(cells.text(name)):
            ref = ref.removesuffix(".0") if ref.count(".") == 1 and ref.endswith(".0") else ref
            record = by_ref.get(ref) or by_number.get(ref)
            if record is None:
                shared = ref in by_number
                cells.bad(
                    name,
                    f"more than one {what} is numbered {ref}: give its ref, such as 1.3"
                    if shared
                    else f"there is no {what} {ref} in the plan",
                )
                continue
            found.append(record)
        return found

    def lead(self, cells: Cells):
        text = _plain(cells.text("lead"))
        if not text:
            return None
        key = " ".join(text.casefold().split())
        if key not in self.people:
            cells.bad("lead", f'nobody in the key is called "{text}"')
        elif self.people[key] is None:
            cells.bad("lead", f'more than one person in the key is called "{text}"')
        return self.people.get(key)


def _long_text(value) -> str:
    """A cell of paragraphs, its lines kept as written."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _day(cells: Cells, name: str):
    if not cells.text(name):
        return None
    try:
        return read_day(cells.cell(name))
    except ValueError as error:
        cells.bad(name, str(error))
        return None


def _fed_back_on(cells: Cells):
    said = cells.text("fed_back").casefold().strip(".")
    if said in YES:
        if not (cells.has("fed_back_on") and cells.text("fed_back_on")):
            cells.bad("fed_back", 'it says yes: give the day in a "Date fed back" column')
        return _day(cells, "fed_back_on")
    if said in NO or not said:
        return _day(cells, "fed_back_on") if cells.has("fed_back_on") else None
    return _day(cells, "fed_back")


def _values(cells: Cells) -> dict:
    """The activity's own fields the row gives (a field whose column is absent is left out)."""
    values = {}
    for name in TEXT_FIELDS:
        if cells.has(name):
            values[name] = _plain(cells.text(name))
    for name in LONG_FIELDS:
        if cells.has(name):
            values[name] = _plain(_long_text(cells.cell(name)))
    for name, reader in (
        ("kind", read_kind),
        ("level", read_level),
        ("recurrence", read_recurrence),
    ):
        if cells.has(name) and (cells.text(name) or name == "recurrence"):
            try:
                values[name] = reader(cells.text(name))
            except ValueError as error:
                cells.bad(name, str(error))
    values["starts_on"] = _day(cells, "starts_on")
    if values["starts_on"] is None and not cells.text("starts_on"):
        cells.bad("starts_on", "give the day it started")
    if cells.has("ends_on"):
        ongoing = cells.text("ends_on").casefold() in ONGOING
        values["ongoing"] = ongoing
        values["ends_on"] = None if ongoing else _day(cells, "ends_on")
    if cells.has("fed_back") or cells.has("fed_back_on"):
        values["fed_back_on"] = _fed_back_on(cells)
    return values


def _counts(cells: Cells) -> dict | None:
    counts = None
    for perspective in Perspective.values:
        name = f"count:{perspective}"
        if cells.has(name):
            counts = counts or {}
            read, count = read_count(cells.cell(name))
            if not read:
                cells.bad(name, f'"{cells.text(name)}" is not a number of people')
            counts[perspective] = count or 0
    return counts


@dataclass
class _Row:
    number: int
    values: dict
    links: dict  # services, commitments, actions: a list, or None when not given
    counts: dict | None
    lead: object = None
    lead_given: bool = False


def read_activity_rows(strategy, table, *, add_services=False) -> tuple[list[_Row], _Register]:
    """The rows of ``table`` checked against the strategy, or a ``TableRefused`` listing
    every bad row."""
    header = find_feedback_header(table, recognise, _enough)
    errors, rows, seen = [], [], {}
    register = _Register(strategy, add_services)
    all_cells = [Cells(table, header, i, errors) for i in range(header.index + 1, len(table.rows))]
    all_cells = [c for c in all_cells if any(v not in ("", None) for v in c.raw.cells)]
    if "services" in header.fields:
        register.learn_codes({_plain(c.text("services")) for c in all_cells})
    for cells in all_cells:
        values = _values(cells)
        links = {"services": register.services_in(cells) if cells.has("services") else None}
        for name, by_ref, by_number, what in (
            ("commitments", register.commitments, register.commitment_numbers, "commitment"),
            ("actions", register.actions, register.action_numbers, "action"),
        ):
            links[name] = (
                register.linked(cells, name, by_ref, by_number, what) if cells.has(name) else None
            )
        row = _Row(cells.raw.number, values, links, _counts(cells))
        if cells.has("lead"):
            row.lead, row.lead_given = register.lead(cells), True
        key = values.get("ref") or (values.get("title", "").casefold(), values["starts_on"])
        if key in seen:
            cells.row_bad(f"it is the same activity as row {seen[key]}")
        seen[key] = cells.raw.number
        _check(strategy, row, cells)
        rows.append(row)
    if not rows and not errors:
        errors.append(f"{table_name(table)}: there are no activities under the header")
    if errors:
        raise TableRefused(errors)
    return rows, register


def _check(strategy, row: _Row, cells: Cells) -> None:
    if row.values.get("starts_on") is None:
        return
    fields = {k: v for k, v in row.values.items() if k != "ref"}
    trial = Activity(strategy=strategy, **fields)
    try:
        check_activity(trial)
    except ServiceError as error:
        column = COLUMN_OF.get(error.field, error.field)
        cells.bad(column, str(error).rstrip("."))


class _Kept:
    """The strategy's activities, by ref and by title and start, read once."""

    def __init__(self, strategy):
        self.by_ref, self.by_title = {}, {}
        for activity in Activity.objects.filter(strategy=strategy).order_by("-pk"):
            if activity.ref:
                self.by_ref[activity.ref] = activity
            self.by_title[(activity.title.casefold(), activity.starts_on)] = activity

    def match(self, values: dict):
        """(activity, matched by title) for a row: by its ref; else (or a ref not kept) by
        its title and start, an activity without a ref of its own."""
        if values.get("ref") in self.by_ref:
            return self.by_ref[values["ref"]], False
        found = self.by_title.get((values.get("title", "").casefold(), values["starts_on"]))
        if found is None or (values.get("ref") and found.ref):
            return None, False
        return found, True


def _links_differ(activity, links: dict) -> bool:
    for name, records in links.items():
        if records is not None and {r.pk for r in records} != set(
            getattr(activity, name).values_list("pk", flat=True)
        ):
            return True
    return False


def _write_row(strategy, row: _Row, summary, *, user, reason: str, added: dict, kept) -> None:
    if row.links["services"] is not None:
        row.links["services"] = [
            added.get(r, r) if isinstance(r, str) else r for r in row.links["services"]
        ]
    activity, by_title = kept.match(row.values)
    fields = dict(row.values)
    if not fields.get("ref"):
        fields.pop("ref", None)  # a row without a ref keeps the one the activity has
    if row.lead_given:
        fields["lead"] = row.lead
    if activity is None:
        if not row.lead_given:
            fields.pop("lead", None)
        activity = Activity(strategy=strategy, **fields)
        outcome = "created"
    else:
        changed = any(getattr(activity, k) != v for k, v in fields.items())
        for name, value in fields.items():
            setattr(activity, name, value)
        outcome = "updated" if changed or _links_differ(activity, row.links) else "unchanged"
        summary.by_title += by_title
    if outcome != "unchanged":
        save_activity(activity, user=user, reason=reason, **row.links)
    if row.counts is not None:
        before = dict(activity.participation.values_list("perspective", "count"))
        wanted = {p: c for p, c in ({**before, **row.counts}).items() if c}
        if wanted != before:
            set_participation(activity, wanted, user=user)
            outcome = "updated" if outcome == "unchanged" else outcome
    setattr(summary, outcome, getattr(summary, outcome) + 1)


@service
@transaction.atomic
def import_activities(
    strategy, data: bytes, filename: str, *, user, add_services=False, dry_run=False
) -> ActivityImportSummary:
    """Record the activities of the file, all of them or (any row bad) none; a dry run
    records them and rolls them back, to say what would be created or updated."""
    require_engagement_rights(user, "import engagement activities")
    rows, register = read_activity_rows(
        strategy, read_feedback_table(data, filename), add_services=add_services
    )
    summary = ActivityImportSummary("Engagement activities", dry_run=dry_run)
    reason = f"Imported from {filename}"
    with transaction.atomic():
        added = {}
        for key, name in register.to_add.items():
            record = Service(strategy=strategy, name=name, kind=ServiceKind.DIRECTORATE)
            added[key] = save_feedback_service(record, user=user, reason=reason)
            summary.added_services.append(name)
        kept = _Kept(strategy)
        for row in rows:
            try:
                _write_row(strategy, row, summary, user=user, reason=reason, added=added, kept=kept)
            except ServiceError as error:
                raise TableRefused([f"{filename}, row {row.number}: {error}"]) from None
        if dry_run:
            transaction.set_rollback(True)
    return summary
