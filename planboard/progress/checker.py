"""The plan checker: data-quality and delivery problems ("findings") of a strategy.

Findings are computed from the plan as it stands, never stored: a finding that has been
fixed (a lead named, an alias added to the RAG key) must disappear at once, and a stored
copy would go stale. The checker reads the whole plan in a fixed number of queries, so the
findings page and the ``check`` command cost the same for a plan of 50 actions or 5,000.

Everything here is a pure function of the database and an as-of date, so the web findings
page, the ``check`` command and the papers all report the same findings in the same words.

Delivery findings also read the quarterly cycle, which is why the checker lives in the
progress app: SLIPPED counts an action's target moves, and NOT_UPDATED lists the open
actions that have no update (waiting for review or accepted) in the strategy's open
period, if one is open.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from planboard.people.leads import LeadResolver, resolver_for
from planboard.plans.models import Action, Commitment
from planboard.plans.targets import times_moved
from planboard.progress.models import RECEIVED, ReportingPeriod, TargetChange, Update


class FindingKind(models.TextChoices):
    """Data findings say the plan is badly recorded; delivery findings say work is late."""

    DATA = "data", "Data quality"
    DELIVERY = "delivery", "Delivery"


class FindingCode(models.TextChoices):
    """What is wrong; the values are part of the public interface (JSON, command output).

    Each label is the finding's plain title, the only name pages show for it: a code
    added here must be given one.
    """

    RAG_NOT_IN_KEY = "RAG_NOT_IN_KEY", "Rating not in the RAG key"
    RAG_MISSING = "RAG_MISSING", "No RAG rating"
    LEAD_MISSING = "LEAD_MISSING", "No lead"
    LEAD_UNRESOLVED = "LEAD_UNRESOLVED", "Lead not in the key of roles"
    AREA_MISSING = "AREA_MISSING", "No area"
    ACTION_UNLINKED = "ACTION_UNLINKED", "Action serves no commitment"
    COMMITMENT_UNCOVERED = "COMMITMENT_UNCOVERED", "Commitment served by no action"
    COMMITMENT_REF_INVALID = "COMMITMENT_REF_INVALID", "Cited commitment does not exist"
    OVERDUE = "OVERDUE", "Overdue"
    SLIPPED = "SLIPPED", "Target moved"
    NOT_UPDATED = "NOT_UPDATED", "Not updated this period"

    @property
    def kind(self) -> str:
        return FindingKind.DELIVERY if self in DELIVERY_CODES else FindingKind.DATA


DELIVERY_CODES = frozenset({FindingCode.OVERDUE, FindingCode.SLIPPED, FindingCode.NOT_UPDATED})


class FixedOn(models.TextChoices):
    """Where a finding is fixed: what the findings page links each one to."""

    SCALE = "scale", "Change the RAG scale"
    ROLE = "role", "Change the role"
    LEADS = "leads", "Change the leads"
    ACTION = "action", "Change the action"
    UPDATE = "update", "Give an update"
    COMMITMENTS = "commitments", "See the commitment"
    PLAN = "plan", "See the theme"


# A rating not in the key becomes an alias of a level; a lead not in the key is added to
# it or merged into a role of it; an action with no lead is given one; a missing rating
# and delivery findings are answered by an update; the rest are the action's own text,
# target or structure.
FIXED_ON = {
    FindingCode.RAG_NOT_IN_KEY: FixedOn.SCALE,
    FindingCode.RAG_MISSING: FixedOn.UPDATE,
    FindingCode.LEAD_MISSING: FixedOn.LEADS,
    FindingCode.LEAD_UNRESOLVED: FixedOn.ROLE,
    FindingCode.AREA_MISSING: FixedOn.ACTION,
    FindingCode.ACTION_UNLINKED: FixedOn.ACTION,
    FindingCode.COMMITMENT_UNCOVERED: FixedOn.COMMITMENTS,
    FindingCode.COMMITMENT_REF_INVALID: FixedOn.PLAN,
    FindingCode.OVERDUE: FixedOn.UPDATE,
    FindingCode.SLIPPED: FixedOn.UPDATE,
    FindingCode.NOT_UPDATED: FixedOn.UPDATE,
}


@dataclass(frozen=True)
class Finding:
    """One problem, with the ref ("1.11", or a theme's number) a reader can look up."""

    code: FindingCode
    kind: FindingKind
    ref: str
    message: str

    @classmethod
    def of(cls, code: FindingCode, ref: str, message: str) -> "Finding":
        return cls(code=code, kind=FindingKind(code.kind), ref=ref, message=message)

    def as_dict(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items()}


def run_checks(strategy, as_of: datetime.date) -> list[Finding]:
    """Every finding of ``strategy`` on ``as_of``, in plan order.

    Plan order is the order of the paper: theme by theme, a theme's commitments before
    its implementation table, then the table row by row, each row's findings in the
    order of ``FindingCode``.
    """
    period = ReportingPeriod.objects.open().filter(strategy=strategy).first()
    actions = list(
        _with_delivery_facts(
            Action.objects.for_strategy(strategy).in_plan().with_plan_relations().in_plan_order(),
            period,
        )
    )  # four queries: the open period; actions with theme, area, level, target moves and
    # whether the period has their update; their leads; their commitments
    commitments = list(
        Commitment.objects.filter(theme__strategy=strategy, retired_on__isnull=True)
        .select_related("theme")
        .order_by("theme__number", "number")
    )

    themes = {}
    actions_by_theme = defaultdict(list)
    commitments_by_theme = defaultdict(list)
    for action in actions:
        themes[action.theme_id] = action.theme
        actions_by_theme[action.theme_id].append(action)
    for commitment in commitments:
        themes[commitment.theme_id] = commitment.theme
        commitments_by_theme[commitment.theme_id].append(commitment)
    served = {c.pk for action in actions for c in action.commitments.all()}
    unmatched = _unmatched_leads(strategy, actions)

    findings = []
    for theme in sorted(themes.values(), key=lambda theme: theme.number):
        findings += _uncovered_commitments(commitments_by_theme[theme.pk], served)
        numbers = {c.number for c in commitments_by_theme[theme.pk]}
        invalid_seen = set()
        for action in actions_by_theme[theme.pk]:
            findings += _action_findings(
                action, numbers, invalid_seen, as_of, period, unmatched.get(action.pk, [])
            )
    return findings


def _unmatched_leads(strategy, actions) -> dict[int, list]:
    """The leads each action's ``lead_text`` names that match nothing in the key nor its
    people (``LeadMatch``es, as written). The key is read (two queries) only if some lead
    text names more than the action's own leads, so a plan whose leads match costs no more."""
    own: dict = {}
    doubtful = []
    for action in actions:
        if not action.lead_text.strip():
            continue
        leads = list(action.leads.all())
        mine = (action.lead_text, tuple(role.pk for role in leads))
        if mine not in own:
            resolver = LeadResolver(leads, make_role=None)
            own[mine] = bool(leads) and all(m.matched for m in resolver.explain(mine[0]))
        if not own[mine]:
            doubtful.append(action)
    if not doubtful:
        return {}
    resolver = resolver_for(strategy)
    found = {}
    for action in doubtful:
        leads = resolver.explain(action.lead_text)
        unmatched = [lead for lead in leads if not lead.matched]
        named = {role.pk for lead in leads for role in lead.roles}
        unnamed = [role for role in action.leads.all() if role.pk not in named]
        if len(unmatched) > len(unnamed):  # else they are taken to name the roles linked
            found[action.pk] = unmatched
    return found


def _with_delivery_facts(actions, period):
    """Annotate how often each target moved and whether the open period has its update."""
    moves = (
        TargetChange.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(count=Count("pk"))
        .values("count")
    )
    actions = actions.annotate(
        recorded_moves=Coalesce(Subquery(moves, output_field=IntegerField()), Value(0))
    )
    if period is None:
        return actions
    received = Update.objects.filter(action=OuterRef("pk"), period=period, status__in=RECEIVED)
    return actions.annotate(updated_this_period=Exists(received))


def _uncovered_commitments(commitments, served) -> list[Finding]:
    return [
        Finding.of(
            FindingCode.COMMITMENT_UNCOVERED,
            commitment.ref,
            f"Commitment {commitment.ref} is served by no action.",
        )
        for commitment in commitments
        if commitment.pk not in served
    ]


def _action_findings(action, numbers, invalid_seen, as_of, period, unmatched) -> list[Finding]:
    """The findings of one row; ``invalid_seen`` keeps one invalid citation per area;
    ``unmatched`` are the leads its lead text names that match nothing in the key."""
    ref = action.ref
    found = []

    def add(code, message, finding_ref=ref):
        found.append(Finding.of(code, finding_ref, message))

    if action.rag_level is None and action.rag_text:
        add(
            FindingCode.RAG_NOT_IN_KEY,
            f'Action {ref} is rated "{action.rag_text}", which the RAG key does not define.',
        )
    elif action.rag_level is None:
        add(FindingCode.RAG_MISSING, f"Action {ref} has no RAG rating.")

    leads = list(action.leads.all())
    if not leads:
        written = action.lead_text.strip()
        detail = f' (the plan says "{written}", which names nobody)' if written else ""
        if problems := [f'"{lead.written}" {lead.problem}' for lead in unmatched if lead.problem]:
            detail = f' (the plan says "{written}": {"; ".join(problems)})'

        add(FindingCode.LEAD_MISSING, f"Action {ref} has no lead{detail}.")
    for role in sorted(leads, key=lambda role: (role.title.casefold(), role.pk)):
        if not role.in_key:
            add(
                FindingCode.LEAD_UNRESOLVED,
                f'Action {ref} is led by "{role}", which the key of roles does not name.',
            )
    for lead in unmatched if leads else []:
        add(
            FindingCode.LEAD_UNRESOLVED,
            f'Action {ref} names "{lead.written}" as a lead, which '
            f"{lead.problem or 'matches no role or person in the key'}.",
        )

    if action.area is None:
        add(FindingCode.AREA_MISSING, f"Action {ref} has no area.")
    if not action.commitments.all():
        add(FindingCode.ACTION_UNLINKED, f"Action {ref} serves no commitment.")

    theme = action.theme.number
    for number in action.cited_commitments or []:
        key = (action.area_id, number)
        if number in numbers or key in invalid_seen:
            continue
        invalid_seen.add(key)
        citer = f'Area "{action.area}" of theme {theme}' if action.area else f"Action {ref}"
        add(
            FindingCode.COMMITMENT_REF_INVALID,
            f"{citer} cites commitment {number}, which theme {theme} does not have.",
            finding_ref=str(theme),
        )

    if action.is_overdue(as_of):
        add(
            FindingCode.OVERDUE,
            f"Action {ref} was due by {action.target_display} and is not complete.",
        )
    moves = times_moved(action.recorded_moves, action.target_date, action.original_target_date)
    if moves:
        times = "once" if moves == 1 else f"{moves} times"
        was = action.original_target_display or "no target"
        now = action.target_display or "no target"
        add(
            FindingCode.SLIPPED,
            f"Action {ref}'s target has moved {times} (from {was} to {now}).",
        )
    if period is not None and not action.is_complete and not action.updated_this_period:
        add(FindingCode.NOT_UPDATED, f"Action {ref} has no update for {period.label}.")
    return found


def summarise(findings) -> dict[FindingCode, int]:
    """How many findings of each code, for the codes present, in ``FindingCode`` order."""
    counts = Counter(finding.code for finding in findings)
    return {code: counts[code] for code in FindingCode if counts[code]}


def check_report(strategy, as_of: datetime.date) -> dict:
    """The findings as plain data, the shape ``planboard check --json`` prints."""
    findings = run_checks(strategy, as_of)
    return {
        "strategy": strategy.slug,
        "as_of": as_of.isoformat(),
        "summary": {code.value: count for code, count in summarise(findings).items()},
        "findings": [finding.as_dict() for finding in findings],
    }
