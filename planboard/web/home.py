"""The signed-in home page: what needs each person first, by the parts they play.

- **Governance** (``is_governance``): for each strategy, the open period's updates
  waiting for review, the leads who have not yet sent theirs and the days to the due
  date, the findings on the plan today, the requests for another format not yet
  answered; and the papers ready, with their latest files.
- **A lead** (whoever leads an action, ``permissions.leads_action``, whatever their
  group): their actions still owing an update in the open period, each with its link.
- **A board member** (the Board member group, and anyone who has no other part, since
  everyone reads): each strategy's latest paper with its files, its RAG mix (its
  actions by the rating they were last given, accepted or imported) and its
  exceptions: the actions rated at a red level of the strategy's own scale, and the
  overdue ones.

Someone with several parts sees each. Each part reads in a fixed number of queries
however large the plans are (the governance part a few per strategy with an open
period, as the period page does); the list of strategies follows below them all.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from planboard.lib.users import display_name
from planboard.papers.models import GeneratedPaper, GenerationStatus
from planboard.people.access import BOARD_MEMBER
from planboard.people.permissions import in_group, is_governance
from planboard.people.recipients import leads_by_user
from planboard.plans.models import Action, TagColour
from planboard.progress.checker import run_checks
from planboard.progress.models import ReportingPeriod, Update
from planboard.progress.reminders import outstanding_actions
from planboard.public.models import InformationRequest
from planboard.web.cycle import MyStrategy, my_actions
from planboard.web.summaries import StrategySummary, strategy_summaries

EXCEPTIONS_SHOWN = 5  # a board member sees the first few; the plan page has them all


def due_words(due: datetime.date, today: datetime.date) -> str:
    """How far ``due`` is from ``today``: "due today", "due in 3 days", "2 days late"."""
    days = (due - today).days
    if days == 0:
        return "due today"
    if days > 0:
        return f"due in {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} late"


@dataclass(frozen=True)
class LeadOwing:
    """An account that leads actions still waiting for its update."""

    name: str
    count: int


@dataclass
class GovernanceStrategy:
    strategy: object
    period: ReportingPeriod | None
    due: str = ""
    waiting: int = 0
    leads: list[LeadOwing] = field(default_factory=list)
    unreachable: int = 0
    findings: int | None = None
    requests: int = 0


@dataclass
class Paper:
    """A strategy's latest closed period, whose paper the board reads, and its files
    ready to download: the newest of each format."""

    period: ReportingPeriod
    files: list[GeneratedPaper]


@dataclass(frozen=True)
class Flagged:
    """An action a board member should know about, and why: rated at a red level of
    the strategy's scale, overdue, or both."""

    action: Action
    red: bool
    overdue: bool


@dataclass
class BoardStrategy:
    strategy: object
    summary: StrategySummary
    paper: Paper | None
    exceptions: list[Flagged]

    @property
    def red(self) -> int:
        return sum(flagged.red for flagged in self.exceptions)

    @property
    def overdue(self) -> int:
        return sum(flagged.overdue for flagged in self.exceptions)

    @property
    def shown(self) -> list[Flagged]:
        return self.exceptions[:EXCEPTIONS_SHOWN]


@dataclass
class LeadStrategy:
    """A strategy's open period as a lead's home page shows it: the actions still owed."""

    group: MyStrategy
    owed: list
    due: str

    @property
    def strategy(self):
        return self.group.strategy

    @property
    def period(self):
        return self.group.period


@dataclass
class Home:
    summaries: list[StrategySummary]
    governance: list[GovernanceStrategy] | None = None
    papers: list[tuple[object, Paper]] = field(default_factory=list)
    lead: list[LeadStrategy] | None = None
    leads_without_period: bool = False
    board: list[BoardStrategy] | None = None

    @property
    def has_parts(self) -> bool:
        return any(part is not None for part in (self.governance, self.lead, self.board))


def home_page(user, strategies, today: datetime.date) -> Home:
    """Everything ``user``'s home page shows, part by part (see the module docstring)."""
    strategies = list(strategies)
    home = Home(summaries=strategy_summaries(strategies))
    if not strategies:
        return home
    governs = is_governance(user)
    groups = my_actions(user)
    papers = latest_papers(strategies)
    if governs:
        home.governance = governance_part(strategies, today)
        home.papers = [(s, papers[s.pk]) for s in strategies if papers.get(s.pk)]
    if groups:
        home.lead = [_lead_strategy(group, today) for group in groups if group.period]
        home.leads_without_period = any(group.period is None for group in groups)
    if in_group(user, BOARD_MEMBER) or not (governs or groups):
        home.board = board_part(home.summaries, papers, today)
    return home


def _lead_strategy(group: MyStrategy, today) -> LeadStrategy:
    owed = [item for item in group.items if item.owed]
    return LeadStrategy(group, owed, due_words(group.period.updates_due, today))


def governance_part(strategies, today) -> list[GovernanceStrategy]:
    """Each strategy's open period and what waits on the governance team."""
    ids = [s.pk for s in strategies]
    periods = {p.strategy_id: p for p in ReportingPeriod.objects.open().filter(strategy_id__in=ids)}
    waiting = dict(
        Update.objects.waiting()
        .filter(period__in=list(periods.values()))
        .values("period__strategy_id")
        .annotate(count=Count("id"))
        .values_list("period__strategy_id", "count")
        .order_by()
    )
    requests = dict(
        InformationRequest.objects.filter(strategy_id__in=ids, answered_at__isnull=True)
        .values("strategy_id")
        .annotate(count=Count("id"))
        .values_list("strategy_id", "count")
        .order_by()
    )
    part = []
    for strategy in strategies:
        period = periods.get(strategy.pk)
        item = GovernanceStrategy(strategy, period, requests=requests.get(strategy.pk, 0))
        if period is not None:
            period.strategy = strategy
            item.due = due_words(period.updates_due, today)
            item.waiting = waiting.get(strategy.pk, 0)
            by_user, unreachable = leads_by_user(strategy, outstanding_actions(period))
            item.leads = [LeadOwing(display_name(u), len(a)) for u, a in by_user.items()]
            item.unreachable = len(unreachable)
            item.findings = len(run_checks(strategy, today))
        part.append(item)
    return part


def latest_papers(strategies) -> dict[int, Paper]:
    """Each strategy's latest closed period and its ready files, in two queries."""
    closed = ReportingPeriod.objects.closed().filter(strategy_id__in=[s.pk for s in strategies])
    latest = {}
    for period in closed.order_by("-ends_on", "-pk"):
        latest.setdefault(period.strategy_id, period)
    ready = (
        GeneratedPaper.objects.filter(
            period__in=list(latest.values()), status=GenerationStatus.DONE
        )
        .defer("content")
        .order_by("-finished_at", "-pk")
    )
    files = defaultdict(dict)
    for file in ready:
        files[file.period_id].setdefault(file.format, file)
    return {
        strategy_id: Paper(period, list(files[period.pk].values()))
        for strategy_id, period in latest.items()
    }


def board_part(summaries, papers, today) -> list[BoardStrategy]:
    """Each strategy's latest paper, RAG mix and exceptions: one query for the exceptions."""
    actions = Action.objects.filter(
        theme__strategy_id__in=[summary.strategy.pk for summary in summaries]
    ).in_plan()
    rows = (
        (actions.filter(rag_level__colour=TagColour.RED) | actions.overdue(today))
        .select_related("theme", "rag_level")
        .order_by("theme__strategy_id", "theme__number", "number")
    )
    exceptions = defaultdict(list)
    for action in rows:
        red = action.rag_level is not None and action.rag_level.colour == TagColour.RED
        exceptions[action.theme.strategy_id].append(
            Flagged(action, red=red, overdue=action.is_overdue(today))
        )
    return [
        BoardStrategy(
            summary.strategy,
            summary,
            papers.get(summary.strategy.pk),
            exceptions[summary.strategy.pk],
        )
        for summary in summaries
    ]
