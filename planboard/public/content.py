"""Everything a public page, feed or download shows, as plain data built in one place.

``public_plan`` reads only what governance has published: the strategy's and themes'
plain-English summaries, the commitments, and for each published action its own
public summary, how it stands, its target and when its progress was last accepted.
It never reads the plan's wording of an action, progress narratives, leads, review
comments or findings, so the HTML page, the JSON feed and the CSV download, all built
from this, cannot show them. It costs the same few queries however large the plan.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q
from django.utils import timezone

from planboard.plans.models import Action, ActionStatus, Commitment, format_target
from planboard.plans.targets import is_delayed
from planboard.progress.models import ActionSnapshot, ReportingPeriod, UpdateStatus
from planboard.public.standing import Standing, ordinary_positions, standing


@dataclass(frozen=True)
class PublicAction:
    ref: str
    summary: str
    standing: Standing
    target: str
    last_updated: datetime.date | None


@dataclass(frozen=True)
class StandingCount:
    standing: Standing
    count: int


@dataclass(frozen=True)
class PublicCommitment:
    number: int
    text: str


@dataclass(frozen=True)
class PublicTheme:
    number: int
    title: str
    summary: str
    commitments: tuple[PublicCommitment, ...]
    actions: tuple[PublicAction, ...]
    counts: tuple[StandingCount, ...]


@dataclass(frozen=True)
class QuarterChange:
    """A published action that changed in the quarter, with a note (the reason for a delay)."""

    ref: str
    summary: str
    note: str = ""


@dataclass(frozen=True)
class QuarterChanges:
    """What changed in the last closed quarter (``period``) since the one before (``baseline``)."""

    period: str
    baseline: str | None
    completed: tuple[QuarterChange, ...] = ()
    started: tuple[QuarterChange, ...] = ()
    delayed: tuple[QuarterChange, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.completed or self.started or self.delayed)


@dataclass(frozen=True)
class PublicPlan:
    slug: str
    title: str
    organisation: str
    period: str
    summary: str
    themes: tuple[PublicTheme, ...]
    counts: tuple[StandingCount, ...]
    changes: QuarterChanges | None
    last_updated: datetime.date | None

    @property
    def actions(self) -> tuple[PublicAction, ...]:
        return tuple(action for theme in self.themes for action in theme.actions)


def public_plan(strategy) -> PublicPlan:
    """The published content of ``strategy`` (whose ``publication`` says it is published)."""
    ordinary = ordinary_positions(strategy.rag_levels.all())
    themes = list(
        strategy.themes.order_by("number")
        .select_related("publication")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(retired_on__isnull=True)
                .select_related("publication")
                .order_by("number"),
            )
        )
    )
    by_theme = {theme.pk: [] for theme in themes}
    for action in published_actions(strategy):
        by_theme[action.theme_id].append(_public_action(action, ordinary))
    public_themes = tuple(
        PublicTheme(
            number=theme.number,
            title=_title_of(theme),
            summary=_summary_of(theme),
            commitments=_commitments_of(theme),
            actions=tuple(by_theme[theme.pk]),
            counts=_counts(by_theme[theme.pk]),
        )
        for theme in themes
        # A theme an import added stays off the page until something of it is
        # published: an import never changes what the public page shows.
        if by_theme[theme.pk] or _summary_of(theme) or _listed(theme)
    )
    everything = [action for theme in public_themes for action in theme.actions]
    dates = [action.last_updated for action in everything if action.last_updated]
    return PublicPlan(
        slug=strategy.slug,
        title=strategy.title,
        organisation=strategy.organisation,
        period=strategy.period,
        summary=_summary_of(strategy),
        themes=public_themes,
        counts=_counts(everything),
        changes=quarter_changes(strategy, {action.ref: action for action in everything}),
        last_updated=max(dates) if dates else None,
    )


def published_actions(strategy):
    """The strategy's published actions in plan order, with when progress was last accepted."""
    return (
        Action.objects.for_strategy(strategy)
        .in_plan()
        .filter(publication__published=True)
        .select_related("theme", "rag_level", "publication")
        .annotate(
            last_accepted=Max(
                "updates__reviewed_at", filter=Q(updates__status=UpdateStatus.ACCEPTED)
            )
        )
        .in_plan_order()
    )


def _public_action(action, ordinary) -> PublicAction:
    return PublicAction(
        ref=action.ref,
        summary=action.publication.summary,
        standing=standing(
            complete=action.is_complete,
            started=action.status != ActionStatus.NOT_STARTED,
            level=action.rag_level,
            ordinary=ordinary,
        ),
        target=action.target_display,
        last_updated=timezone.localdate(action.last_accepted) if action.last_accepted else None,
    )


def _listed(theme) -> bool:
    publication = getattr(theme, "publication", None)
    return publication is None or publication.listed


def _title_of(theme) -> str:
    """The title as published: the plan's, unless it changed since and waits for publishing."""
    publication = getattr(theme, "publication", None)
    return (publication.published_title if publication is not None else "") or theme.title


def _commitments_of(theme) -> tuple[PublicCommitment, ...]:
    """The theme's published commitments, in the words they were published with."""
    shown = []
    for commitment in theme.commitments.all():
        publication = getattr(commitment, "publication", None)
        if publication is None:
            shown.append(PublicCommitment(commitment.number, commitment.text))
        elif publication.listed:
            text = publication.published_text or commitment.text
            shown.append(PublicCommitment(commitment.number, text))
    return tuple(shown)


def _summary_of(owner) -> str:
    """The owner's public summary, or "" when none was written (never internal text)."""
    publication = getattr(owner, "publication", None)
    return publication.summary if publication is not None else ""


def _counts(actions) -> tuple[StandingCount, ...]:
    """How many actions stand each way, for every standing, in the order of ``Standing``."""
    return tuple(
        StandingCount(kind, sum(1 for action in actions if action.standing is kind))
        for kind in Standing
    )


def quarter_changes(strategy, published: dict[str, PublicAction]) -> QuarterChanges | None:
    """What changed for published actions in the last closed quarter, from its snapshots.

    Completed: complete now, not before. Started: not started before, started now.
    Delayed: the target moved later (with the lead's reason, when given), or the
    target passed during the quarter. None when no period has closed; empty lists
    when it is the first closed period, with nothing before it to compare.
    """
    closed = ReportingPeriod.objects.filter(strategy=strategy).closed().order_by("-ends_on")
    period, baseline = (list(closed[:2]) + [None, None])[:2]
    if period is None:
        return None
    if baseline is None:
        return QuarterChanges(period=period.label, baseline=None)
    fields = ("ref", "status", "rag_complete", "target_date", "target_precision", "update")
    now = {s.ref: s for s in ActionSnapshot.objects.filter(period=period).only(*fields)}
    was = {s.ref: s for s in ActionSnapshot.objects.filter(period=baseline).only(*fields)}
    completed, started, delayed = [], [], []
    for ref, action in published.items():
        after, before = now.get(ref), was.get(ref)
        if after is None or before is None:
            continue
        if _complete(after) and not _complete(before):
            completed.append(_change(action))
        elif before.status == ActionStatus.NOT_STARTED and after.status != before.status:
            started.append(_change(action))
        note = _delay(before, after, baseline.ends_on, period.ends_on)
        if note is not None:
            delayed.append(_change(action, note))
    return QuarterChanges(
        period=period.label,
        baseline=baseline.label,
        completed=tuple(completed),
        started=tuple(started),
        delayed=tuple(delayed),
    )


def _complete(snapshot) -> bool:
    """Complete by status or by a level meaning complete, as ``standing`` judges it."""
    return snapshot.is_complete or snapshot.rag_complete


def _delay(before, after, was_on, now_on) -> str | None:
    """Why ``after`` is later than ``before``, or None when it is not delayed.

    The lead's reason is given only from the quarter's accepted update: a proposal
    governance returned was not reviewed, and may be about another date.
    """
    if _complete(after):
        return None
    if is_delayed(before.target_date, after.target_date):
        moved = (
            f"Target moved from {format_target(before.target_date, before.target_precision)}"
            f" to {format_target(after.target_date, after.target_precision)}."
        )
        update = after.update or {}
        accepted = update.get("status") == UpdateStatus.ACCEPTED
        reason = (update.get("target_change_reason") or "").strip() if accepted else ""
        return f"{moved} Reason given: {reason}" if reason else moved
    if after.is_overdue(now_on) and not before.is_overdue(was_on):
        return (
            f"Its target, {format_target(after.target_date, after.target_precision)}, has passed."
        )
    return None


def _change(action: PublicAction, note: str = "") -> QuarterChange:
    return QuarterChange(ref=action.ref, summary=action.summary, note=note)
