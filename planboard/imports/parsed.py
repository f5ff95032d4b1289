"""What the parser makes of a paper: plain dataclasses, no database.

Parsing and saving are separate so that a paper is read completely (and every error
found) before anything is written, and so the parser can be tested without a database.
"""

import datetime
from dataclasses import dataclass, field

from planboard.imports.dates import TargetDate
from planboard.imports.key import PersonSpec
from planboard.imports.leads import RoleSpec


@dataclass
class StrategyInfo:
    title: str = ""
    organisation: str = ""
    period: str = ""
    approval: str = ""
    plan_title: str = ""
    plan_version: str = ""
    introduction: str = ""


@dataclass
class CoverSheetInfo:
    """The fields of papers.CoverSheet, named as the model names them."""

    meeting: str = ""
    meeting_date: datetime.date | None = None
    reference: str = ""
    item: str = ""
    title: str = ""
    presented_by: str = ""
    action_required: str = ""
    outcome: str = ""
    timetable: str = ""
    links_to_reports: str = ""
    baf_objectives: str = ""
    frameworks: str = ""
    framework_ticks: list[dict] = field(default_factory=list)
    implications: str = ""
    legal_issues: str = ""
    author: str = ""
    designation: str = ""
    report_date: datetime.date | None = None
    report_to: str = ""
    summary_date: datetime.date | None = None
    subject: str = ""
    sponsor: str = ""
    summary_author: str = ""
    purpose_ticks: list[dict] = field(default_factory=list)
    purpose: str = ""
    summary: str = ""
    next_steps: str = ""
    required_actions: str = ""
    monitoring: str = ""
    contacts: str = ""


@dataclass
class ParsedCommitment:
    number: int
    text: str
    line: int


@dataclass
class ParsedAction:
    """One row of a theme's table; ``line`` is where it starts in the paper (1-based)."""

    number: int
    line: int
    text: str
    area: str = ""
    cited_commitments: list[int] = field(default_factory=list)
    progress: str = ""
    target_text: str = ""
    target: TargetDate | None = None
    rag_text: str = ""
    lead_text: str = ""
    leads: list[RoleSpec] = field(default_factory=list)


@dataclass
class ParsedTheme:
    number: int
    title: str
    line: int
    commitments: list[ParsedCommitment] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)


@dataclass
class ParsedCommittee:
    name: str
    abbreviation: str = ""


@dataclass
class RagLevelSpec:
    label: str
    definition: str = ""


@dataclass
class Paper:
    """A whole board paper as parsed."""

    source: str
    strategy: StrategyInfo = field(default_factory=StrategyInfo)
    cover: CoverSheetInfo = field(default_factory=CoverSheetInfo)
    themes: list[ParsedTheme] = field(default_factory=list)
    roles: list[RoleSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    committees: list[ParsedCommittee] = field(default_factory=list)
    rag_levels: list[RagLevelSpec] = field(default_factory=list)

    @property
    def actions(self) -> list[ParsedAction]:
        return [action for theme in self.themes for action in theme.actions]

    @property
    def areas(self) -> list[str]:
        """Distinct area names in order of appearance, compared ignoring case and spacing."""
        seen = {}
        for action in self.actions:
            if action.area:
                seen.setdefault(area_key(action.area), action.area)
        return list(seen.values())


def area_key(name: str) -> str:
    return " ".join(name.split()).casefold()
