"""What a board paper says: built once from the data, then rendered in any format.

``build_paper`` gathers everything a paper prints into frozen dataclasses, so every
format (HTML now; Word, PDF and Excel later) prints the same content.

For a closed period everything comes from what was frozen when it closed: the action
rows from its snapshots; the themes, commitments, coverage, RAG key and findings from
its record; the cover sheet from its own, kept at the close (and edited since only on
purpose). So building the paper again later gives the same paper. For an open period
the rows are snapshots built live and never saved, and the rest is read as it stands;
with no period, the live plan. (A period closed before records were kept has no
record; its paper reads those parts live.)
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from planboard.papers.covers import cover_for
from planboard.papers.models import CoverSheet
from planboard.plans.models import format_target
from planboard.progress.changes import what_changed
from planboard.progress.completion import completion_rate
from planboard.progress.models import PeriodRecord
from planboard.progress.records import plan_record
from planboard.progress.snapshots import live_rows, snapshot_rows

NOT_RATED = "Not rated"
NOT_IN_KEY = "Not in key"

COVER_FIELDS = (
    "meeting",
    "meeting_date",
    "reference",
    "item",
    "title",
    "presented_by",
    "action_required",
    "outcome",
    "timetable",
    "links_to_reports",
    "baf_objectives",
    "frameworks",
    "implications",
    "legal_issues",
    "author",
    "designation",
    "report_date",
)
SUMMARY_FIELDS = (
    "report_to",
    "summary_date",
    "subject",
    "sponsor",
    "summary_author",
    "purpose",
    "summary",
    "next_steps",
    "required_actions",
    "monitoring",
    "contacts",
)


@dataclass(frozen=True)
class Field:
    """One labelled field of the cover sheet or summary report."""

    name: str
    label: str
    value: str


@dataclass(frozen=True)
class Tick:
    """A tick box: its label and whether it is ticked."""

    label: str
    ticked: bool


@dataclass(frozen=True)
class Row:
    """One action of the plan table as the paper prints it."""

    ref: str
    theme_number: int
    number: int
    area: str
    cited: str
    text: str
    progress: str
    target: str
    rag: str
    rag_colour: str
    in_key: bool
    rated: bool
    leads: str


@dataclass(frozen=True)
class AreaGroup:
    """Consecutive rows of one area, with the commitment numbers the area cites."""

    area: str
    cited: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ThemeSection:
    """A theme of the plan table: its commitments, then its rows grouped by area."""

    number: int
    title: str
    commitments: tuple[Field, ...]
    areas: tuple[AreaGroup, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for group in self.areas for row in group.rows)


@dataclass(frozen=True)
class RagCount:
    """How many actions have one rating (a level, "Not in key" or "Not rated")."""

    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class ThemeCounts:
    number: int
    title: str
    counts: tuple[RagCount, ...]


@dataclass(frozen=True)
class Glance:
    """The paper at a glance: RAG counts, update completion, overdue and slipped counts."""

    counts: tuple[RagCount, ...]
    by_theme: tuple[ThemeCounts, ...]
    updated: int | None
    open: int | None
    completion: float | None
    overdue: int
    slipped: int


@dataclass(frozen=True)
class Exception_:
    """One action in an exception list, with a note (its rating, target or reason)."""

    ref: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class ExceptionGroup:
    """One exception list as every format prints it: its title, actions and empty text."""

    title: str
    items: tuple[Exception_, ...]
    empty: str

    @property
    def heading(self) -> str:
        return f"{self.title} ({len(self.items)})"


@dataclass(frozen=True)
class Exceptions:
    """The actions a committee needs to look at, each list in plan order."""

    rated: tuple[Exception_, ...]
    rated_labels: tuple[str, ...]
    overdue: tuple[Exception_, ...]
    slipped: tuple[Exception_, ...]
    not_updated: tuple[Exception_, ...]
    rag_up: tuple[Exception_, ...]
    rag_down: tuple[Exception_, ...]
    baseline: str
    for_period: bool = True

    @property
    def groups(self) -> tuple[ExceptionGroup, ...]:
        """The lists in the order the paper prints them, with their titles."""
        rated = " or ".join(self.rated_labels) or "the worst ratings"
        groups = [
            ExceptionGroup(f"Rated {rated}", self.rated, "No action has these ratings."),
            ExceptionGroup("Overdue", self.overdue, "No action is overdue."),
            ExceptionGroup("Target moved", self.slipped, "No target has moved."),
        ]
        if self.for_period:
            groups.append(
                ExceptionGroup(
                    "Not updated this period", self.not_updated, "Every open action has an update."
                )
            )
        if self.baseline:
            groups.append(
                ExceptionGroup(f"Rating improved since {self.baseline}", self.rag_up, "None.")
            )
            groups.append(
                ExceptionGroup(f"Rating worsened since {self.baseline}", self.rag_down, "None.")
            )
        return tuple(groups)

    @property
    def note(self) -> str:
        """What the paper says when ratings cannot be compared with an earlier period."""
        if self.for_period and not self.baseline:
            return "There is no earlier closed period to compare ratings with."
        return ""


@dataclass(frozen=True)
class KeyLevel:
    label: str
    definition: str
    colour: str


@dataclass(frozen=True)
class Coverage:
    """A commitment and the refs of the actions serving it (none: uncovered)."""

    ref: str
    text: str
    served_by: tuple[str, ...]

    @property
    def uncovered(self) -> bool:
        return not self.served_by


@dataclass(frozen=True)
class FindingLine:
    code: str
    kind: str
    ref: str
    message: str


@dataclass(frozen=True)
class Paper:
    """Everything a board paper prints, for one strategy and (optionally) one period."""

    strategy: str
    slug: str
    organisation: str
    plan_version: str
    period: str
    closed: bool
    as_of: datetime.date
    cover: tuple[Field, ...]
    framework_ticks: tuple[Tick, ...]
    summary: tuple[Field, ...]
    purpose_ticks: tuple[Tick, ...]
    glance: Glance
    exceptions: Exceptions
    themes: tuple[ThemeSection, ...]
    key: tuple[KeyLevel, ...]
    coverage: tuple[Coverage, ...]
    findings: tuple[FindingLine, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for theme in self.themes for row in theme.rows)

    @property
    def data_findings(self) -> tuple[FindingLine, ...]:
        """The findings about how the plan is recorded, which the appendix lists.

        The delivery findings (overdue, target moved, not updated) are the paper's
        exceptions already, so the appendix counts them rather than listing them twice.
        """
        return tuple(f for f in self.findings if f.kind == "data")

    @property
    def delivery_findings(self) -> int:
        return sum(1 for f in self.findings if f.kind != "data")


@dataclass(frozen=True)
class _Level:
    """A RAG level as the record keeps it."""

    label: str
    definition: str
    colour: str
    means_complete: bool


def build_paper(strategy, period=None) -> Paper:
    """The paper for ``strategy`` and ``period`` (the live plan when ``period`` is None)."""
    if period is None:
        snapshots = live_rows(strategy)
        as_of = timezone.localdate()
    elif period.is_closed:
        snapshots = list(period.snapshots.all())
        as_of = period.ends_on
    else:
        snapshots = snapshot_rows(period)
        as_of = period.ends_on
    record = _record(strategy, period, as_of)
    levels = [_Level(**level) for level in record["key"]]
    themes = record["themes"]
    rows = [_row(snapshot) for snapshot in snapshots]
    completion = completion_rate(period) if period is not None else None
    overdue = [s for s in snapshots if s.is_overdue(as_of)]
    slipped = [s for s in snapshots if s.has_slipped]
    cover, framework_ticks, summary, purpose_ticks = _cover(strategy, period)
    return Paper(
        strategy=strategy.title,
        slug=strategy.slug,
        organisation=strategy.organisation,
        plan_version=strategy.plan_version,
        period=period.label if period is not None else "",
        closed=bool(period is not None and period.is_closed),
        as_of=as_of,
        cover=cover,
        framework_ticks=framework_ticks,
        summary=summary,
        purpose_ticks=purpose_ticks,
        glance=Glance(
            counts=_counts(rows, levels),
            by_theme=tuple(
                ThemeCounts(
                    theme["number"],
                    theme["title"],
                    _counts([r for r in rows if r.theme_number == theme["number"]], levels),
                )
                for theme in themes
            ),
            updated=completion.updated if completion else None,
            open=completion.open if completion else None,
            completion=completion.rate if completion else None,
            overdue=len(overdue),
            slipped=len(slipped),
        ),
        exceptions=_exceptions(period, snapshots, levels, overdue, slipped),
        themes=_sections(themes, rows),
        key=tuple(KeyLevel(lv.label, lv.definition, lv.colour) for lv in levels),
        coverage=tuple(
            Coverage(c["ref"], c["text"], tuple(c["served_by"]))
            for theme in themes
            for c in theme["commitments"]
        ),
        findings=tuple(
            FindingLine(f["code"], f["kind"], f["ref"], f["message"]) for f in record["findings"]
        ),
    )


def _record(strategy, period, as_of) -> dict:
    """The closed period's frozen record, else the same content read from the plan now."""
    if period is not None and period.is_closed:
        frozen = PeriodRecord.objects.filter(period=period).first()
        if frozen is not None:
            return frozen.content
    return plan_record(strategy, as_of)


def _row(snapshot) -> Row:
    if snapshot.rag_label:
        rag, colour, in_key, rated = snapshot.rag_label, snapshot.rag_colour or "grey", True, True
    elif snapshot.rag_text:
        rag, colour, in_key, rated = snapshot.rag_text, "grey", False, True
    else:
        rag, colour, in_key, rated = NOT_RATED, "white", True, False
    return Row(
        ref=snapshot.ref,
        theme_number=snapshot.theme_number,
        number=snapshot.number,
        area=snapshot.area,
        cited=", ".join(str(n) for n in snapshot.cited_commitments or []),
        text=snapshot.text,
        progress=snapshot.progress,
        target=snapshot.target_display or "No target date",
        rag=rag,
        rag_colour=colour,
        in_key=in_key,
        rated=rated,
        leads=" / ".join(snapshot.leads) or snapshot.lead_text,
    )


def _counts(rows, levels) -> tuple[RagCount, ...]:
    counts = [
        RagCount(lv.label, lv.colour, sum(1 for r in rows if r.in_key and r.rag == lv.label))
        for lv in levels
    ]
    counts.append(RagCount(NOT_IN_KEY, "grey", sum(1 for r in rows if not r.in_key)))
    counts.append(RagCount(NOT_RATED, "white", sum(1 for r in rows if not r.rated)))
    return tuple(counts)


def _exceptions(period, snapshots, levels, overdue, slipped) -> Exceptions:
    ordinary = [lv.label for lv in levels if not lv.means_complete]
    worst = tuple(ordinary[-2:])
    not_updated = ()
    rag_up = rag_down = ()
    baseline = ""
    if period is not None:
        not_updated = tuple(
            _item(s, "No update") for s in snapshots if not s.is_complete and not s.update_received
        )
        changes = what_changed(period)
        baseline = changes.baseline.label if changes.baseline else ""
        rag_up = tuple(
            Exception_(c.ref, c.text, f"{c.before} to {c.after}") for c in changes.rag_up
        )
        rag_down = tuple(
            Exception_(c.ref, c.text, f"{c.before} to {c.after}") for c in changes.rag_down
        )
    return Exceptions(
        rated=tuple(_item(s, s.rag_label) for s in snapshots if s.rag_label in worst),
        rated_labels=worst,
        overdue=tuple(_item(s, f"Due by {s.target_display}") for s in overdue),
        slipped=tuple(_slip(s) for s in slipped),
        not_updated=not_updated,
        rag_up=rag_up,
        rag_down=rag_down,
        baseline=baseline,
        for_period=period is not None,
    )


def _item(snapshot, note="") -> Exception_:
    return Exception_(snapshot.ref, snapshot.text, note)


def _slip(snapshot) -> Exception_:
    was = snapshot.original_target_date
    note = f"Now due by {snapshot.target_display}"
    if was is not None:
        note = (
            f"Moved from {format_target(was, snapshot.original_target_precision)} "
            f"to {snapshot.target_display}"
        )
    reason = (snapshot.update or {}).get("target_change_reason", "")
    if reason:
        note = f"{note}. Reason: {reason}"
    return Exception_(snapshot.ref, snapshot.text, note)


def _sections(themes, rows) -> tuple[ThemeSection, ...]:
    sections = []
    for theme in themes:
        groups = []
        for row in (r for r in rows if r.theme_number == theme["number"]):
            if groups and groups[-1][0] == (row.area, row.cited):
                groups[-1][1].append(row)
            else:
                groups.append(((row.area, row.cited), [row]))
        sections.append(
            ThemeSection(
                number=theme["number"],
                title=theme["title"],
                commitments=tuple(
                    Field(c["ref"], f"Commitment {c['ref']}", c["text"])
                    for c in theme["commitments"]
                ),
                areas=tuple(AreaGroup(area, cited, tuple(rs)) for (area, cited), rs in groups),
            )
        )
    return tuple(sections)


def _cover(strategy, period):
    sheet = cover_for(strategy, period)
    if not any(getattr(sheet, name) for name in COVER_FIELDS + SUMMARY_FIELDS):
        return (), (), (), ()

    def fields(names):
        result = []
        for name in names:
            value = getattr(sheet, name)
            if isinstance(value, datetime.date):
                value = f"{value.day} {value:%B %Y}"
            label = str(CoverSheet._meta.get_field(name).verbose_name)
            result.append(Field(name, label[:1].upper() + label[1:], value or ""))
        return tuple(result)

    def ticks(items):
        return tuple(
            Tick(str(item.get("label", "")), bool(item.get("ticked"))) for item in items or []
        )

    return (
        fields(COVER_FIELDS),
        ticks(sheet.framework_ticks),
        fields(SUMMARY_FIELDS),
        ticks(sheet.purpose_ticks),
    )
