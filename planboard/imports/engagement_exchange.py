"""Engagement in the strategy's JSON exchange (``exchange``): the keys ``directorates``
and ``activities``, and, only when asked for by name, ``register``.

- ``directorates``: the feedback app's directorates and services, which feedback and
  engagement share: name, code, kind and parent (by name), by name.
- ``activities``: every field of each activity, its participation
  (``{perspective: count}``), its equality counts, and its links by natural keys:
  directorates and services by name, commitments and actions by ref, the lead by name.
- ``register``: the private register (``participants``, the rate card ``rates`` and
  ``involvements``), written only by ``export --with-register``. People in it have no
  natural key (two may share a name), so an involvement names its participant and its
  activity by their place in the file's lists, and its rate by name and start day.

A strategy without directorates or activities is written without these keys, as before
they were added, and a file without them (an older one) loads as before. The loader is
called by ``exchange_load`` inside its transaction, after the plan and the key are made.
"""

import datetime
from decimal import Decimal

from django.db.models import Prefetch

from planboard.engagement.models import (
    Activity,
    EqualityCount,
    Involvement,
    Participant,
    Participation,
    RewardRate,
)
from planboard.feedback.models import Service
from planboard.imports.exchange import (
    ExchangeError,
    build,
    find,
    located,
    own_fields,
    section_items,
)
from planboard.lib.history import create_with_history
from planboard.plans.models import Action, Commitment

DIRECTORATE = own_fields(Service)
ACTIVITY = own_fields(Activity)
PARTICIPANT = own_fields(Participant)
RATE = own_fields(RewardRate)
INVOLVEMENT = own_fields(Involvement)
EQUALITY = ("characteristic", "category", "count")
SECTIONS = ("directorates", "activities")


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _dump(instance, names) -> dict:
    return {name: _plain(getattr(instance, name)) for name in names}


def _activities(strategy):
    by_plan = ("theme__number", "number")
    return (
        Activity.objects.filter(strategy=strategy)
        .select_related("lead")
        .prefetch_related(
            Prefetch("services", Service.objects.order_by("name")),
            Prefetch("commitments", Commitment.objects.select_related("theme").order_by(*by_plan)),
            Prefetch("actions", Action.objects.select_related("theme").order_by(*by_plan)),
            "participation",
            "equality_counts",
        )
        .order_by("starts_on", "title", "pk")
    )


def export_engagement(strategy, *, with_register: bool = False) -> dict:
    """The strategy's directorates and activities (and, asked for, its private register)."""
    services = Service.objects.filter(strategy=strategy).select_related("parent")
    activities = list(_activities(strategy))
    data = {
        "directorates": [
            {**_dump(s, DIRECTORATE), "parent": s.parent.name if s.parent else None}
            for s in services.order_by("name")
        ],
        "activities": [_activity(activity) for activity in activities],
    }
    data = {key: rows for key, rows in data.items() if rows}  # none: the file as before
    if with_register:
        data["register"] = _register(strategy, activities)
    return data


def _activity(activity) -> dict:
    return {
        **_dump(activity, ACTIVITY),
        "services": [s.name for s in activity.services.all()],
        "commitments": [c.ref for c in activity.commitments.all()],
        "actions": [a.ref for a in activity.actions.all()],
        "lead": activity.lead.name if activity.lead else None,
        "participation": {row.perspective: row.count for row in activity.participation.all()},
        "equality_counts": [_dump(row, EQUALITY) for row in activity.equality_counts.all()],
    }


def _register(strategy, activities) -> dict:
    participants = list(Participant.objects.filter(strategy=strategy).order_by("name", "pk"))
    rates = RewardRate.objects.filter(strategy=strategy).order_by("name", "valid_from")
    at_person = {p.pk: index for index, p in enumerate(participants)}
    at_activity = {a.pk: index for index, a in enumerate(activities)}
    involvements = (
        Involvement.objects.filter(activity__strategy=strategy)
        .select_related("rate")
        .order_by("took_part_on", "pk")
    )
    rows = sorted(
        (
            {
                **_dump(i, INVOLVEMENT),
                "participant": at_person[i.participant_id],
                "activity": at_activity[i.activity_id],
                "rate": {"name": i.rate.name, "valid_from": _plain(i.rate.valid_from)}
                if i.rate
                else None,
            }
            for i in involvements
        ),
        key=lambda row: (row["activity"], row["took_part_on"], row["participant"]),
    )
    return {
        "participants": [_dump(p, PARTICIPANT) for p in participants],
        "rates": [_dump(rate, RATE) for rate in rates],
        "involvements": rows,
    }


# --- reading ----------------------------------------------------------------------


class EngagementLoader:
    """Makes the file's engagement for the strategy ``importer`` (``exchange_load``'s)
    has made, with its plan and key."""

    def __init__(self, importer):
        self.data, self.strategy, self.history = importer.data, importer.strategy, importer.history
        self.commitments, self.actions = importer.commitments, importer.actions

    def create(self, model, objects, links=None) -> list:
        return create_with_history(model, objects, links=links, **self.history)

    def run(self) -> dict:
        self.load_directorates()
        self.load_activities()
        counts = {
            section: len(self.data[section]) for section in SECTIONS if self.data.get(section)
        }
        register = self.data.get("register")
        if register is not None:
            if not isinstance(register, dict):
                raise ExchangeError('"register" must be an object.')
            self.load_register(register)
            counts["register_participants"] = len(register.get("participants") or [])
        return counts

    def load_directorates(self) -> None:
        """Directorates before the services under them, whatever the file's order."""
        waiting = []
        for where, item in section_items(self.data, "directorates"):
            with located(where):
                record = build(Service, item, DIRECTORATE, strategy=self.strategy)
                waiting.append((where, record, item.get("parent")))
        self.services = {}
        while waiting:
            ready = [w for w in waiting if w[2] is None or w[2] in self.services]
            if not ready:
                where, record, parent = waiting[0]
                raise ExchangeError(f'{where}: there is no directorate "{parent}" above it.')
            for _, record, parent in ready:
                record.parent = self.services.get(parent)
            for where, record in zip(
                [w[0] for w in ready], self.create(Service, [w[1] for w in ready]), strict=True
            ):
                if record.name in self.services:
                    raise ExchangeError(f'{where}: "{record.name}" appears twice in directorates.')
                self.services[record.name] = record
            waiting = [w for w in waiting if w not in ready]

    def load_activities(self) -> None:
        people = {p.name: p for p in self.strategy.people.order_by("-pk")}
        activities, links, specs = [], {"services": [], "commitments": [], "actions": []}, []
        for where, item in section_items(self.data, "activities"):
            with located(where):
                activity = build(Activity, item, ACTIVITY, strategy=self.strategy)
                name = item.get("lead")
                activity.lead = find(people, name, "person") if name is not None else None
                at = len(activities)
                for field, found, what in (
                    ("services", self.services, "directorate or service"),
                    ("commitments", self.commitments, "commitment"),
                    ("actions", self.actions, "action"),
                ):
                    links[field] += [
                        (at, find(found, key, what).pk) for key in item.get(field) or []
                    ]
                specs.append((where, item))
                activities.append(activity)
        self.activities = self.create(Activity, activities, links=links)
        counts, equality = [], []
        for activity, (where, item) in zip(self.activities, specs, strict=True):
            with located(where):
                participation = item.get("participation") or {}
                if not isinstance(participation, dict):
                    raise ExchangeError('"participation" must be an object.')
                for perspective, count in sorted(participation.items()):
                    row = {"perspective": perspective, "count": count}
                    counts.append(
                        build(Participation, row, ("perspective", "count"), activity=activity)
                    )
                for index, row in enumerate(item.get("equality_counts") or []):
                    with located(f"equality_counts[{index}]"):
                        equality.append(build(EqualityCount, row, EQUALITY, activity=activity))
        self.create(Participation, counts)
        self.create(EqualityCount, equality)

    def load_register(self, register: dict) -> None:
        participants = []
        for where, item in section_items(register, "participants"):
            with located(f"register.{where}"):
                participants.append(build(Participant, item, PARTICIPANT, strategy=self.strategy))
        participants = self.create(Participant, participants)
        rates = {}
        for where, item in section_items(register, "rates"):
            with located(f"register.{where}"):
                rate = build(RewardRate, item, RATE, strategy=self.strategy)
                rates[(rate.name, rate.valid_from.isoformat())] = rate
        created = self.create(RewardRate, list(rates.values()))
        rates = dict(zip(rates, created, strict=True))
        involvements = []
        for where, item in section_items(register, "involvements"):
            with located(f"register.{where}"):
                spec = item.get("rate")
                rate = None
                if spec is not None:
                    rate = find(rates, (spec["name"], spec["valid_from"]), "rate")
                involvements.append(
                    build(
                        Involvement,
                        item,
                        INVOLVEMENT,
                        participant=_at(participants, item["participant"], "participant"),
                        activity=_at(self.activities, item["activity"], "activity"),
                        rate=rate,
                    )
                )
        self.create(Involvement, involvements)


def _at(records: list, index, what: str):
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(records):
        raise ExchangeError(f'"{what}" is {index!r}, not the place of one in the file.')
    return records[index]
