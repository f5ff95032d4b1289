"""What a board paper prints, as frozen dataclasses every format reads the same way.

The content is apart from its building (``content.build_paper``) so that a format, a
test or a template check can make or read a ``Paper`` without the database: the Word
format's ``sample_paper`` builds one by hand to try uploaded templates with. Each part
holds text as the paper prints it, so the formats differ only in layout.
"""

import datetime
from dataclasses import dataclass, field

from planboard.papers.engagement_section import EngagementSection
from planboard.papers.feedback_section import FeedbackSection
from planboard.papers.key import FrontMatter, KeyPerson, KeyRole, LeadCount, PeopleKey

__all__ = ["FrontMatter", "KeyPerson", "KeyRole", "LeadCount", "PeopleKey"]

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
    # The lead roles' short names, each decoded by the paper's ``people_key``.
    lead_roles: tuple[str, ...] = ()
    status: str = ""
    target_date: datetime.date | None = None
    original_target: str = ""


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
    # The roles this theme's leads name, decoded: the footnote key under its table.
    lead_key: tuple[KeyRole, ...] = ()

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
    leads: str = ""


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
    # "Not updated" counted per lead role (an action with two leads counts for each).
    not_updated_by_lead: tuple[LeadCount, ...] = ()
    # Ratings given to actions that had none, and the updates the period closed
    # without accepting (waiting for review, or returned to their leads).
    first_rated: tuple[Exception_, ...] = ()
    not_accepted: tuple[Exception_, ...] = ()

    @property
    def groups(self) -> tuple[ExceptionGroup, ...]:
        """The six lists in the order papers printed them before the board's lists and
        the appendix's were apart (rated, overdue, moved, not updated, improved,
        worsened): what a trust's Word template written then reads as ``exceptions``."""
        board = {group.title: group for group in self.board_groups}
        appendix = {group.title: group for group in self.appendix_groups}
        order = [*list(board)[:3], "Not updated this period"]
        if self.baseline:
            order += [f"Rating improved since {self.baseline}", *list(board)[3:]]
        both = board | appendix
        return tuple(both[title] for title in order if title in both)

    @property
    def board_groups(self) -> tuple[ExceptionGroup, ...]:
        """The lists a board acts on, in the order the paper prints them.

        Not-updated actions are not among them: the paper counts them per lead
        (``not_updated_by_lead``) and lists them in the appendix (``appendix_groups``).
        """
        rated = " or ".join(self.rated_labels) or "the worst ratings"
        groups = [
            ExceptionGroup(f"Rated {rated}", self.rated, "No action has these ratings."),
            ExceptionGroup("Overdue", self.overdue, "No action is overdue."),
            ExceptionGroup("Target moved", self.slipped, "No target has moved."),
        ]
        if self.baseline:
            groups.append(
                ExceptionGroup(f"Rating worsened since {self.baseline}", self.rag_down, "None.")
            )
        return tuple(groups)

    @property
    def appendix_groups(self) -> tuple[ExceptionGroup, ...]:
        """The longer lists the appendix prints: every action not updated this period,
        the updates the period closed without accepting (when there are any), and the
        ratings that improved or were given for the first time."""
        groups = []
        if self.for_period:
            groups.append(
                ExceptionGroup(
                    "Not updated this period", self.not_updated, "Every open action has an update."
                )
            )
        if self.not_accepted:
            groups.append(ExceptionGroup("Not accepted at close", self.not_accepted, "None."))
        if self.baseline:
            groups.append(
                ExceptionGroup(f"Rating improved since {self.baseline}", self.rag_up, "None.")
            )
            groups.append(
                ExceptionGroup(
                    f"Rated for the first time since {self.baseline}", self.first_rated, "None."
                )
            )
        return tuple(groups)

    @property
    def not_updated_heading(self) -> str:
        """The heading of the per-lead count, with the total: "Not updated this period (39)"."""
        return f"Not updated this period ({len(self.not_updated)})"

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
    # Refs of the period's updates accepted by the person who gave them, or on whose
    # behalf they were given, as the strategy allowed a small team (``own_review_note``).
    own_reviews: tuple[str, ...] = ()
    front: FrontMatter | None = None
    people_key: PeopleKey = PeopleKey()
    # The checker's findings about the records are the governance team's: the paper
    # lists them (``data_findings``) only when its cover sheet asks for them.
    show_findings: bool = False
    # "Service user feedback: you said, we did"; None when the strategy has no feedback,
    # and then left out of the paper's fingerprint, so files made before it keep theirs.
    feedback: FeedbackSection | None = field(default=None, metadata={"absent_when_none": True})
    # "Service user engagement"; None when the strategy has no engagement activities,
    # and then left out of the fingerprint the same way.
    engagement: EngagementSection | None = field(default=None, metadata={"absent_when_none": True})

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

    @property
    def own_review_note(self) -> str:
        """What the appendix says of updates accepted without a second reviewer, or ""."""
        refs = self.own_reviews
        if not refs:
            return ""
        if len(refs) == 1:
            done = "1 update was accepted by the person who gave it, or on whose behalf it was"
            which = f"action {refs[0]}"
        else:
            done = (
                f"{len(refs)} updates were accepted by the person who gave them, "
                "or on whose behalf they were"
            )
            which = f"actions {', '.join(refs[:-1])} and {refs[-1]}"
        return (
            f"In {self.period}, {done} given, rather than by a second member of the governance "
            f"team: {which}. The strategy allowed this for a small governance team."
        )
