"""Update completion: how many of a period's open actions have had their update.

The rate is updated actions / open actions, overall and by lead role, for the period
page and the governance digest. The choices, so every page and e-mail agrees:

- An update counts as **received** when it waits for review or is accepted. A returned
  update is back with its lead, so the action still owes one.
- An action is **open** in the period when it is not complete, or when the period's
  own received update marks it complete: it was open when the quarter began, and
  finishing it must not take it out of the count it was just added to.
- An open (or planned) period is measured live from the plan; a closed period from its
  snapshots, so its rate is the one reported at the time, whatever happens later.
- An action led by several roles counts once overall and once for each role; actions
  with no lead role count overall only.
- It counts actions and their lead roles, not accounts: the actions missing here are
  those the reminders chase (``reminders.outstanding_actions``), each from whoever
  leads it by the one rule of ``permissions.leads_action``, or from nobody when no
  account leads it.

Either way the work is two queries at most, whatever the size of the plan.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from planboard.plans.models import Action
from planboard.progress.models import RECEIVED, ActionSnapshot, Update


class _Tally:
    """The rate and the shortfall of anything counting ``updated`` out of ``open``."""

    @property
    def rate(self) -> float | None:
        return self.updated / self.open if self.open else None

    @property
    def missing(self) -> int:
        return self.open - self.updated


@dataclass(frozen=True)
class RoleCompletion(_Tally):
    """One lead role's share: ``role`` is its short name ("EM", "Head of SUEMU")."""

    role: str
    updated: int
    open: int


@dataclass(frozen=True)
class Completion(_Tally):
    """A period's completion; ``rate`` is None when it has no open actions."""

    period: object
    updated: int
    open: int
    by_role: list[RoleCompletion] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    is_open: bool
    updated: bool
    leads: list[str]


def completion_rate(period) -> Completion:
    """The update completion of ``period``: overall and by lead role, sorted by name."""
    rows = _frozen_rows(period) if period.is_closed else _live_rows(period)
    updated = open_ = 0
    roles = defaultdict(lambda: [0, 0])
    for row in rows:
        if not row.is_open:
            continue
        open_ += 1
        updated += row.updated
        for name in set(row.leads):
            roles[name][0] += row.updated
            roles[name][1] += 1
    by_role = [
        RoleCompletion(role=name, updated=counts[0], open=counts[1])
        for name, counts in sorted(roles.items(), key=lambda item: (item[0].casefold(), item[0]))
    ]
    return Completion(period=period, updated=updated, open=open_, by_role=by_role)


def _live_rows(period):
    received = Update.objects.filter(action=OuterRef("pk"), period=period, status__in=RECEIVED)
    actions = (
        Action.objects.filter(theme__strategy_id=period.strategy_id, retired_on__isnull=True)
        .annotate(received=Exists(received), finished=Exists(received.filter(complete=True)))
        .only("pk", "status")
        .prefetch_related("leads")
    )  # two queries: the actions, their leads
    for action in actions:
        yield _Row(
            is_open=not action.is_complete or action.finished,
            updated=action.received,
            leads=[role.short_name for role in action.leads.all()],
        )


def _frozen_rows(period):
    snapshots = ActionSnapshot.objects.filter(period=period).only("status", "update", "leads")
    for snapshot in snapshots.order_by():
        finished = snapshot.update_received and bool(snapshot.update.get("complete"))
        yield _Row(
            is_open=not snapshot.is_complete or finished,
            updated=snapshot.update_received,
            leads=list(snapshot.leads),
        )
