"""Writing a strategy in the JSON exchange format (described in ``exchange``).

Export, import and export again must give a byte-identical file, so every list is read
in a fixed order (plan order, then a stable key), and accounts are collected as they are
met and listed once, by username, at the end.
"""

import base64
import datetime

from django.db.models import F, Prefetch

from planboard.imports.engagement_exchange import export_engagement
from planboard.imports.exchange import (
    ACTION,
    COMMITMENT,
    COMMITTEE,
    COVER,
    FORMAT,
    LEVEL,
    PAPER,
    PERIOD,
    PERSON,
    RECORD,
    ROLE,
    SNAPSHOT,
    STRATEGY,
    TARGET_CHANGE,
    TEMPLATE,
    THEME,
    UPDATE,
    VERSION,
)
from planboard.people.models import Role
from planboard.plans.models import Action, Commitment
from planboard.progress.models import ActionSnapshot, PeriodRecord, TargetChange, Update
from planboard.public.exchange import export_public


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _dump(instance, names) -> dict:
    return {name: _plain(getattr(instance, name)) for name in names}


def export_strategy(strategy, *, with_register: bool = False) -> dict:
    """Everything ``strategy`` holds, as plain data in format version 1; the private
    register of engagement only ``with_register``."""
    return _Exporter(strategy, with_register).run()


class _Exporter:
    def __init__(self, strategy, with_register: bool = False):
        self.strategy = strategy
        self.with_register = with_register
        self.accounts = {}

    def who(self, user):
        if user is None:
            return None
        self.accounts[user.get_username()] = user
        return user.get_username()

    def run(self) -> dict:
        s = self.strategy
        themes = s.themes.prefetch_related("commitments").order_by("number")
        roles = s.roles.order_by("pk")  # the key's order
        leads = Prefetch("leads", Role.objects.order_by("-in_key", "title"))
        cited = Prefetch("commitments", Commitment.objects.select_related("theme"))
        actions = (
            Action.objects.for_strategy(s)
            .select_related("theme", "area", "rag_level", "retired_by")
            .prefetch_related(leads, cited)
            .in_plan_order()
        )
        periods = s.periods.select_related("closed_by").order_by("starts_on")
        data = {
            "format": FORMAT,
            "version": VERSION,
            "strategy": _dump(s, STRATEGY),
            "rag_levels": [_dump(lv, LEVEL) for lv in s.rag_levels.order_by("position", "pk")],
            "committees": [_dump(c, COMMITTEE) for c in s.committees.order_by("position", "pk")],
            "areas": [{"name": a.name} for a in s.areas.order_by("name")],
            "themes": [
                {
                    **_dump(t, THEME),
                    "commitments": [_dump(c, COMMITMENT) for c in _by_number(t)],
                }
                for t in themes
            ],
            "roles": [_dump(role, ROLE) for role in roles],
            "people": self.people(),
            "actions": [self.action(action) for action in actions],
            "periods": [{**_dump(p, PERIOD), "closed_by": self.who(p.closed_by)} for p in periods],
            "updates": self.updates(),
            "target_changes": self.target_changes(),
            "snapshots": self.snapshots(),
            "period_records": [
                {**_dump(r, RECORD), "period": r.period.label}
                for r in PeriodRecord.objects.filter(period__strategy=s)
                .select_related("period")
                .order_by("period__starts_on")
            ],
            "cover_sheets": self.cover_sheets(),
            "paper_templates": self.templates(),
            "papers": self.papers(),
            "public": export_public(s),
            **export_engagement(s, with_register=self.with_register),
        }
        data["users"] = [
            {"username": name, "first_name": user.first_name, "last_name": user.last_name}
            for name, user in sorted(self.accounts.items())
        ]
        return data

    def people(self) -> list:
        roles = Prefetch("roles", Role.objects.order_by("-in_key", "title"))
        people = self.strategy.people.select_related("user").prefetch_related(roles)
        return [
            {
                **_dump(person, PERSON),
                "roles": [role.title for role in person.roles.all()],
                "user": self.who(person.user),
            }
            for person in people.order_by("name")
        ]

    def action(self, action) -> dict:
        commitments = sorted(action.commitments.all(), key=lambda c: (c.theme.number, c.number))
        item = {
            **_dump(action, ACTION),
            "ref": action.ref,
            "area": action.area.name if action.area else None,
            "rag_level": action.rag_level.label if action.rag_level else None,
            "leads": [role.title for role in action.leads.all()],
            "commitments": [c.ref for c in commitments],
        }
        if action.retired_by is not None:  # who retired it; left out otherwise
            item["retired_by"] = self.who(action.retired_by)
        return item

    def updates(self) -> list:
        updates = (
            Update.objects.filter(period__strategy=self.strategy)
            .select_related(
                "action__theme",
                "period",
                "proposed_rag",
                "adjusted_rag",
                "suggested_rag",
                "submitted_by",
                "reviewed_by",
            )
            .order_by("period__starts_on", "action__theme__number", "action__number")
        )
        return [
            {
                **_dump(u, UPDATE),
                "action": u.action.ref,
                "period": u.period.label,
                "proposed_rag": u.proposed_rag.label if u.proposed_rag else None,
                "suggested_rag": u.suggested_rag.label if u.suggested_rag else None,
                "adjusted_rag": u.adjusted_rag.label if u.adjusted_rag else None,
                "submitted_by": self.who(u.submitted_by),
                "reviewed_by": self.who(u.reviewed_by),
            }
            for u in updates
        ]

    def target_changes(self) -> list:
        changes = (
            TargetChange.objects.filter(action__theme__strategy=self.strategy)
            .select_related("action__theme", "update__period", "changed_by")
            .order_by("action__theme__number", "action__number", "changed_at", "pk")
        )
        return [
            {
                **_dump(change, TARGET_CHANGE),
                "action": change.action.ref,
                "update": change.update.period.label if change.update else None,
                "changed_by": self.who(change.changed_by),
            }
            for change in changes
        ]

    def snapshots(self) -> list:
        snapshots = (
            ActionSnapshot.objects.filter(period__strategy=self.strategy)
            .select_related("period", "action__theme")
            .order_by("period__starts_on", "theme_number", "number", "ref")
        )
        return [
            {
                **_dump(snap, SNAPSHOT),
                "period": snap.period.label,
                "action": snap.action.ref if snap.action else None,
            }
            for snap in snapshots
        ]

    def cover_sheets(self) -> list:
        # The strategy's own sheet first, then the periods' in order.
        sheets = self.strategy.cover_sheets.select_related("period").order_by(
            F("period__starts_on").asc(nulls_first=True)
        )
        return [{**_dump(c, COVER), "period": c.period.label if c.period else None} for c in sheets]

    def templates(self) -> list:
        templates = self.strategy.paper_templates.select_related("uploaded_by")
        return [
            {
                **_dump(t, TEMPLATE),
                "content": base64.b64encode(bytes(t.content)).decode("ascii"),
                "uploaded_by": self.who(t.uploaded_by),
            }
            for t in templates.order_by("name", "uploaded_at", "pk")
        ]

    def papers(self) -> list:
        papers = self.strategy.generated_papers.select_related(
            "period", "template", "requested_by"
        ).order_by("requested_at", "pk")
        return [
            {
                **_dump(p, PAPER),
                "period": p.period.label if p.period else None,
                "template": (
                    {"name": p.template.name, "checksum": p.template.checksum}
                    if p.template
                    else None
                ),
                "requested_by": self.who(p.requested_by),
            }
            for p in papers
        ]


def _by_number(theme):
    return sorted(theme.commitments.all(), key=lambda c: c.number)
