"""What closing a period leaves unaccepted, and what becomes of each.

The close page lists it, the governance team confirms it, ``close_period`` records it
(``Update.not_accepted_at_close``) and the closed period keeps showing it, so nothing is
dropped silently: an update waiting for review or returned to its lead when the period
closes is never accepted, and an open action without an update closes without one.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from planboard.people.models import Person
from planboard.plans.models import Action
from planboard.progress.models import Update, UpdateStatus

NO_UPDATE = "No update given"

AT_CLOSE = {
    UpdateStatus.SUBMITTED: (
        "Kept as not accepted at close; the plan keeps the rating and target it had."
    ),
    UpdateStatus.RETURNED: ("Kept as not accepted at close; the lead can no longer send it again."),
    NO_UPDATE: "Closes with no update; the paper lists it as not updated.",
}


@dataclass(frozen=True)
class Unaccepted:
    """An open action whose update for the period is not accepted, or not given."""

    ref: str
    text: str
    leads: str
    state: str
    at_close: str
    status: str = ""  # the update's status; "" when no update was given

    @property
    def is_update(self) -> bool:
        return bool(self.status)


def unaccepted(period) -> list[Unaccepted]:
    """The period's updates not accepted, then its open actions without an update, each
    in plan order: what closing the period now would leave unaccepted."""
    updates = (
        Update.objects.filter(period=period)
        .exclude(status=UpdateStatus.ACCEPTED)
        .select_related("action__theme")
        .prefetch_related("action__leads", people_of("action__leads__people"))
        .order_by("action__theme__number", "action__number")
    )
    rows = [
        _row(u.action, UpdateStatus(u.status).label, AT_CLOSE[u.status], u.status) for u in updates
    ]
    missing = (
        Action.objects.filter(theme__strategy_id=period.strategy_id)
        .in_plan()
        .open()
        .exclude(updates__period=period)
        .select_related("theme")
        .prefetch_related("leads", people_of("leads__people"))
        .in_plan_order()
    )
    rows.extend(_row(a, NO_UPDATE, AT_CLOSE[NO_UPDATE]) for a in missing)
    return rows


def people_of(path):
    """The people holding the roles at ``path``, by name."""
    return Prefetch(path, Person.objects.order_by("name"))


def _row(action, state, at_close, status="") -> Unaccepted:
    return Unaccepted(
        ref=action.ref,
        text=action.text,
        leads=_leads(action),
        state=state,
        at_close=at_close,
        status=status,
    )


def _leads(action) -> str:
    """Each lead role with the people who hold it: "EM (Mia Jones)"; as written if none."""
    names = []
    for role in action.leads.all():
        people = ", ".join(person.name for person in role.people.all())
        names.append(f"{role.short_name} ({people})" if people else role.short_name)
    return "; ".join(names) or action.lead_text or "None named"
