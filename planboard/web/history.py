"""An action's change history: who changed what, when, from what to what.

django-simple-history stores a full copy of the action (and of its leads and commitments)
at every change. The differences between consecutive copies are computed here in Python
from a fixed number of queries, however long the history, and are shown as the reader
sees the plan: "Mar 2017", "Amber", "EM, Head of SUEMU", not database ids.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from planboard.lib.users import display_name as user_name
from planboard.people.models import Role
from planboard.plans.models import ActionStatus, Area, Commitment, RagLevel, format_target

KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


# What a page shows for a field with no value, in the reader's words, never "None".
NOT_SET = {
    "Action": "no text",
    "Progress": "no progress recorded",
    "Area": "no area",
    "Target date": "no target date",
    "Original target date": "no target date",
    "Status": "no status",
    "Completed on": "not completed",
    "RAG rating": "no rating",
    "RAG as written": "no rating written",
    "Leads": "no leads",
    "Leads as written": "no leads written",
    "Commitments": "no commitments",
    "Cited commitments": "no commitments cited",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str

    @property
    def not_set(self) -> str:
        """The words for an empty ``before`` or ``after``: "no rating", "no area"..."""
        return NOT_SET.get(self.field, "not set")


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    kind: str
    reason: str
    changes: list[FieldChange]


def action_history(action) -> list[HistoryEntry]:
    """The changes to ``action``, newest first; copies that changed nothing shown are left out."""
    records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    names = _Names(type(action).history.model, records)
    entries = []
    previous = None
    for record in records:
        values = names.values(record)
        if previous is None:
            changes = []
        else:
            changes = [
                FieldChange(label, previous[label], value)
                for label, value in values.items()
                if previous[label] != value
            ]
        previous = values
        reason = record.history_change_reason or ""
        if record.history_type == "~" and not changes and not reason:
            continue
        who = user_name(record.history_user) if record.history_user else "System"
        entries.append(
            HistoryEntry(record.history_date, who, KINDS[record.history_type], reason, changes)
        )
    entries.reverse()
    return entries


class _Names:
    """Names of everything the history copies point to, each kind loaded in one query."""

    def __init__(self, history_model, records):
        ids = [record.history_id for record in records]
        self.leads = _linked(history_model.leads.model, "role_id", ids)
        self.served = _linked(history_model.commitments.model, "commitment_id", ids)
        self.areas = _in_bulk(Area.objects, {r.area_id for r in records})
        self.levels = _in_bulk(RagLevel.objects, {r.rag_level_id for r in records})
        self.roles = _in_bulk(Role.objects, {i for s in self.leads.values() for i in s})
        self.commitments = _in_bulk(
            Commitment.objects.select_related("theme"), {i for s in self.served.values() for i in s}
        )

    def values(self, record) -> dict[str, str]:
        """What the reader sees of each field in one copy, labelled as on the action page."""
        return {
            "Action": record.text,
            "Progress": record.progress,
            "Area": _name(self.areas, record.area_id, "area"),
            "Target date": format_target(record.target_date, record.target_precision)
            or record.target_text,
            "Original target date": format_target(
                record.original_target_date, record.original_target_precision
            ),
            "Status": _status(record.status),
            "Completed on": f"{record.completed_on:%-d %b %Y}" if record.completed_on else "",
            "RAG rating": _name(self.levels, record.rag_level_id, "level"),
            "RAG as written": record.rag_text,
            "Leads": _join(
                sorted(
                    _name(self.roles, pk, "role", short=True)
                    for pk in self.leads[record.history_id]
                )
            ),
            "Leads as written": record.lead_text,
            "Commitments": self.commitment_refs(self.served[record.history_id]),
            "Cited commitments": _join(str(n) for n in record.cited_commitments or []),
        }

    def commitment_refs(self, pks) -> str:
        found = sorted(
            (self.commitments[pk] for pk in pks if pk in self.commitments),
            key=lambda c: (c.theme.number, c.number),
        )
        missing = ["(deleted commitment)"] * sum(pk not in self.commitments for pk in pks)
        return _join([c.ref for c in found] + missing)


def _linked(m2m_history_model, column, history_ids) -> dict[int, set[int]]:
    linked = defaultdict(set)
    if history_ids:
        rows = m2m_history_model.objects.filter(history_id__in=history_ids)
        for history_id, target in rows.values_list("history_id", column):
            linked[history_id].add(target)
    return linked


def _in_bulk(queryset, ids):
    ids = {i for i in ids if i is not None}
    return queryset.in_bulk(ids) if ids else {}


def _name(objects, pk, what, *, short=False) -> str:
    if pk is None:
        return ""
    obj = objects.get(pk)
    if obj is None:
        return f"(deleted {what})"
    return obj.short_name if short else str(obj)


def _status(value) -> str:
    try:
        return ActionStatus(value).label
    except ValueError:
        return value


def _join(items) -> str:
    return ", ".join(items)
