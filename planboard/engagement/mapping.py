"""The engagement map: how much engagement happened where, at what highest level, and
where the gaps are. One rule for the map page, the board paper and the public summary.

Rows are the strategy's directorates (services of kind directorate, and any top-level
service with no directorate above it); an activity about a service counts in the row
of its nearest directorate (or its top-level service), and one about no service in
"Across the trust". Columns are the plan's commitments (an activity serves one
directly or through one of its actions) or financial-year quarters (an activity
counts in every quarter its days touch: from its start to its end, to today while it
is ongoing, or its start alone). A cell counts each activity once, however many of the
row's services or the column's actions it names; a cell with none is a gap.

Everything is read in a fixed number of queries, whatever the number of activities.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from planboard.engagement.models import LEVEL_RANK, Activity, Participation
from planboard.feedback.models import Service, ServiceKind
from planboard.lib import clock
from planboard.plans.models import Action, Commitment
from planboard.progress.periods import (
    parse_quarter,
    quarter_bounds,
    quarter_containing,
    quarter_label,
    quarters_between,
)

ACROSS_THE_TRUST = "Across the trust"
FIELDS = ("id", "level", "kind", "starts_on", "ends_on", "ongoing")  # what the map reads
QUARTERS_SHOWN = 8


@dataclass(frozen=True)
class Filters:
    """Which activities the map counts: levels and kinds (any when empty), a
    perspective that took part, and the days a quarter covers."""

    levels: frozenset = frozenset()
    kinds: frozenset = frozenset()
    perspective: str = ""
    starts: datetime.date | None = None
    ends: datetime.date | None = None


@dataclass(frozen=True)
class Line:
    """A row or a column: its key (a directorate's id, None for across the trust; a
    commitment's id; a quarter's label) and its label."""

    key: object
    label: str
    title: str = ""


@dataclass
class Cell:
    activity_ids: list = field(default_factory=list)
    participants: int = 0
    highest: str = ""
    levels: Counter = field(default_factory=Counter)

    @property
    def activities(self) -> int:
        return len(self.activity_ids)

    @property
    def gap(self) -> bool:
        return not self.activity_ids

    def count(self, activity, participants: int) -> None:
        self.activity_ids.append(activity["id"])
        self.participants += participants
        self.levels[activity["level"]] += 1
        if not self.highest or LEVEL_RANK[activity["level"]] > LEVEL_RANK[self.highest]:
            self.highest = activity["level"]


@dataclass
class EngagementMap:
    rows: list[Line]
    columns: list[Line]
    cells: dict = field(default_factory=dict)  # (row key, column key) -> Cell
    row_totals: dict = field(default_factory=dict)  # row key -> Cell (each activity once)
    column_totals: dict = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)  # every activity counted, each once

    def cell(self, row, column) -> Cell:
        return self.cells.get((row, column)) or Cell()

    @property
    def gaps(self) -> list[tuple[Line, Line]]:
        return [(r, c) for r in self.rows for c in self.columns if self.cell(r.key, c.key).gap]


def _activity_end(activity, today: datetime.date) -> datetime.date:
    if activity["ends_on"] is not None:
        return activity["ends_on"]
    return max(today, activity["starts_on"]) if activity["ongoing"] else activity["starts_on"]


def touching(starts, ends, today: datetime.date) -> Q:
    """Activities whose days touch ``starts`` to ``ends`` (either may be None): from
    their start to their end, to today while ongoing, or their start alone."""
    touched = Q(starts_on__lte=ends) if ends is not None else Q()
    if starts is not None:
        reaches = Q(ends_on__gte=starts) | Q(ends_on__isnull=True, starts_on__gte=starts)
        if today >= starts:
            reaches |= Q(ends_on__isnull=True, ongoing=True)
        touched &= reaches
    return touched


def filtered(strategy, filters: Filters = Filters()):
    """The strategy's activities the filters keep, as a queryset (the register's list
    and the map count the same ones)."""
    found = Activity.objects.filter(strategy=strategy)
    if filters.levels:
        found = found.filter(level__in=filters.levels)
    if filters.kinds:
        found = found.filter(kind__in=filters.kinds)
    if filters.perspective:
        counted = Participation.objects.filter(perspective=filters.perspective, count__gt=0)
        found = found.filter(pk__in=counted.values("activity_id"))
    return found.filter(touching(filters.starts, filters.ends, clock.today()))


def directorates(strategy) -> tuple[list[Line], dict[int, int]]:
    """The map's rows and, for every service, the row it counts in (two lists, one query)."""
    services = {
        row["id"]: row
        for row in Service.objects.filter(strategy=strategy).values(
            "id", "name", "kind", "parent_id"
        )
    }
    row_of: dict[int, int] = {}
    for pk in services:
        current, seen, top = services[pk], set(), pk
        while current is not None and current["id"] not in seen:
            seen.add(current["id"])
            top = current["id"]
            if current["kind"] == ServiceKind.DIRECTORATE:
                break
            current = services.get(current["parent_id"])
        row_of[pk] = top
    rows = sorted({row_of[pk] for pk in services}, key=lambda pk: services[pk]["name"].lower())
    return [Line(pk, services[pk]["name"]) for pk in rows], row_of


def _ids(kept: list, ids=None):
    """The activities' ids for an ``IN``: the query that chose them when there is one
    (a subquery, cheaper than thousands of parameters), else their list."""
    return [a["id"] for a in kept] if ids is None else ids


def _rows_of(strategy, kept: list, ids=None) -> tuple[list[Line], dict[int, set]]:
    lines, row_of = directorates(strategy)
    links = Activity.services.through.objects.filter(activity_id__in=_ids(kept, ids))
    rows: dict[int, set] = defaultdict(set)
    for activity_id, service_id in links.values_list("activity_id", "service_id"):
        rows[activity_id].add(row_of[service_id])
    if any(a["id"] not in rows for a in kept):
        lines.append(Line(None, ACROSS_THE_TRUST))
        for a in kept:
            rows.setdefault(a["id"], {None})
    return lines, rows


def _participants(kept: list, perspective: str = "", ids=None) -> dict[int, int]:
    counted = Participation.objects.filter(activity_id__in=_ids(kept, ids))
    if perspective:
        counted = counted.filter(perspective=perspective)
    totals: dict[int, int] = Counter()
    for activity_id, count in counted.values_list("activity_id", "count"):
        totals[activity_id] += count
    return totals


def _fill(grid: EngagementMap, kept, rows, columns, participants) -> EngagementMap:
    """Count each activity in its cells and totals; only cells with activities are kept
    (each made once, as it is first counted)."""
    cells, row_totals, column_totals = defaultdict(Cell), defaultdict(Cell), defaultdict(Cell)
    for activity in kept:
        people = participants.get(activity["id"], 0)
        grid.total.count(activity, people)
        for row in rows[activity["id"]]:
            row_totals[row].count(activity, people)
            for column in columns.get(activity["id"], ()):
                cells[row, column].count(activity, people)
        for column in columns.get(activity["id"], ()):
            column_totals[column].count(activity, people)
    grid.cells, grid.row_totals = dict(cells), dict(row_totals)
    grid.column_totals = dict(column_totals)
    return grid


def commitment_columns(strategy, kept: list, ids=None) -> tuple[list[Line], dict[int, set]]:
    """The plan's commitments still in it, and the ones each activity serves, directly
    or through its actions (three queries); ``ids`` is the query that chose ``kept``."""
    commitments = Commitment.objects.filter(theme__strategy=strategy, retired_on__isnull=True)
    lines = [
        Line(pk, f"{theme}.{number}", text)
        for pk, theme, number, text in commitments.order_by("theme__number", "number").values_list(
            "pk", "theme__number", "number", "text"
        )
    ]
    shown = {line.key for line in lines}
    ids = _ids(kept, ids)
    served: dict[int, set] = defaultdict(set)
    direct = Activity.commitments.through.objects.filter(activity_id__in=ids)
    for activity_id, commitment_id in direct.values_list("activity_id", "commitment_id"):
        served[activity_id].add(commitment_id)
    through = Activity.actions.through.objects.filter(activity_id__in=ids)
    by_action: dict[int, set] = defaultdict(set)
    for activity_id, action_id in through.values_list("activity_id", "action_id"):
        by_action[action_id].add(activity_id)
    cited = Action.commitments.through.objects.filter(action_id__in=through.values("action_id"))
    for action_id, commitment_id in cited.values_list("action_id", "commitment_id"):
        for activity_id in by_action[action_id]:
            served[activity_id].add(commitment_id)
    return lines, {pk: found & shown for pk, found in served.items()}


def recent_quarters(kept: list, today: datetime.date, most: int = QUARTERS_SHOWN) -> list[Line]:
    """Quarters from the first activity's to today's (or the last activity's), the
    ``most`` latest of them."""
    start = quarter_containing(today)[1]
    last = max([start] + [a["starts_on"] for a in kept])
    first = min([start] + [a["starts_on"] for a in kept])
    return [Line(label, label) for label, _, _ in quarters_between(first, last)[-most:]]


def quarter_columns(kept: list, quarters: list[Line], today: datetime.date) -> dict[int, set]:
    """The quarters of ``quarters`` each activity's days touch."""
    bounds = [(line.key, *quarter_bounds(*parse_quarter(line.key))) for line in quarters]
    touched: dict[int, set] = {}
    for activity in kept:
        first, last = activity["starts_on"], _activity_end(activity, today)
        touched[activity["id"]] = {
            key for key, start, end in bounds if first <= end and last >= start
        }
    return touched


def _chosen(strategy, filters: Filters):
    chosen = filtered(strategy, filters)
    return list(chosen.values(*FIELDS)), chosen.values("id")


def in_row(activities, strategy, row):
    """``activities`` (a queryset) counted in the map's row ``row``: a directorate's (or
    a top-level service's) id, with every service under it, or None for across the
    trust (about no service). The map's rule for rows, as a database filter."""
    links = Activity.services.through.objects
    if row is None:
        return activities.exclude(pk__in=links.values("activity_id"))
    _, row_of = directorates(strategy)
    services = [pk for pk, found in row_of.items() if found == row]
    return activities.filter(pk__in=links.filter(service_id__in=services).values("activity_id"))


def serving(activities, commitment_pk):
    """``activities`` (a queryset) serving the commitment, directly or through one of
    their actions: the map's rule for commitment columns, as a database filter."""
    direct = Activity.commitments.through.objects.filter(commitment_id=commitment_pk)
    through = Activity.actions.through.objects.filter(action__commitments=commitment_pk)
    return activities.filter(
        Q(pk__in=direct.values("activity_id")) | Q(pk__in=through.values("activity_id"))
    )


def by_commitment(strategy, filters: Filters = Filters()) -> EngagementMap:
    """The directorate x commitment map."""
    kept, ids = _chosen(strategy, filters)
    rows, row_sets = _rows_of(strategy, kept, ids)
    columns, served = commitment_columns(strategy, kept, ids)
    grid = EngagementMap(rows=rows, columns=columns)
    return _fill(grid, kept, row_sets, served, _participants(kept, filters.perspective, ids))


def by_quarter(strategy, filters: Filters = Filters(), quarters: list[Line] | None = None):
    """The directorate x quarter map, over ``quarters`` (the latest eight up to today
    when None)."""
    today = clock.today()
    kept, ids = _chosen(strategy, filters)
    rows, row_sets = _rows_of(strategy, kept, ids)
    if quarters is None:
        quarters = recent_quarters(kept, today)
    grid = EngagementMap(rows=rows, columns=quarters)
    touched = quarter_columns(kept, quarters, today)
    return _fill(grid, kept, row_sets, touched, _participants(kept, filters.perspective, ids))


def quarter_line(year: int, quarter: int) -> Line:
    label = quarter_label(year, quarter)
    return Line(label, label)
