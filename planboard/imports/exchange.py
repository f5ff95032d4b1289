"""A whole strategy as JSON: ``export_strategy`` writes it, ``import_strategy`` reads it back.

The format moves a strategy from one planboard to another (a demo to production, a
trust to a new server) and keeps it as a readable, diffable file. Export, import into
an empty database and export again give byte-identical files (``dumps``): lists come in
a fixed order, nothing refers to a database id, dates and times are ISO 8601 (times in
UTC with their offset), and keys are sorted.

Format ``planboard-strategy``, version 1 (``docs/json-format.md`` describes every field)::

    {
      "format": "planboard-strategy", "version": 1,
      "strategy": {"slug", "title", "organisation", "period", "approval", "plan_title",
                   "plan_version", "introduction", "source_name", "created_at"},
      "rag_levels": [...], "committees": [...], "areas": [...],
      "themes": [{"number", "title", "commitments": [{"number", "text"}]}],
      "roles": [...], "people": [...], "actions": [...],
      "periods": [...], "updates": [...], "target_changes": [...],
      "snapshots": [...], "period_records": [...], "cover_sheets": [...],
      "paper_templates": [...], "papers": [...], "users": [...],
      "public": {"published", "summary", "themes": [...], "actions": [...]}
    }

Things refer to each other by natural keys: an action by its ref ("1.3"), a commitment
by its ref, a theme by its number, a RAG level by its label, a role by its title, a
person by name, an area by name, a period by its label, an account by its username.

What is not carried, and why:
- generated papers' files: a paper's record keeps its file name, format, size and
  SHA-256 checksum (which proves which file went to a meeting), not the bytes; a
  closed period's paper can be generated again from its snapshots and record;
- the change history (django-simple-history rows): the import gives each row one
  "created" record, attributed to the importing user, with the file as its reason;
  ``planboard backup`` keeps the full history;
- reminders sent (a log that stops the same e-mail going twice in a day).
A strategy's own Word templates are carried whole (base64), as they are the trust's
own configuration and a template without its file cannot be used.

Accounts are referred to by username. On import, an account of that username is used
if there is one; otherwise an inactive account that cannot sign in is created (with
the name the file gives), so who submitted, reviewed and closed what is not lost; the
summary lists them. Import is all or nothing, and refuses an unknown format or version
and a slug already in use.
"""

import base64
import binascii
import datetime
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import DatabaseError, transaction
from django.db.models import F, Prefetch

from planboard.imports.history import create_with_history
from planboard.papers.models import CoverSheet, GeneratedPaper, PaperTemplate
from planboard.people.models import Person, Role
from planboard.plans.models import (
    Action,
    Area,
    Commitment,
    Committee,
    RagLevel,
    Strategy,
    Theme,
)
from planboard.progress.models import (
    ActionSnapshot,
    PeriodRecord,
    ReportingPeriod,
    TargetChange,
    Update,
)
from planboard.public.exchange import PublicSectionError, export_public, import_public

FORMAT = "planboard-strategy"
VERSION = 1


class ExchangeError(Exception):
    """A file the import refuses; its message is one sentence saying what and where."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


def dumps(data: dict) -> str:
    """The export as text: indented, keys sorted, non-ASCII kept, ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# --- fields -----------------------------------------------------------------


def own_fields(model, *, leave_out=()) -> tuple[str, ...]:
    """The model's own columns: not its id, not its links to other rows, not file bytes."""
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not field.is_relation
        and field.get_internal_type() != "BinaryField"
        and field.name not in leave_out
    )


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _dump(instance, names) -> dict:
    return {name: _plain(getattr(instance, name)) for name in names}


STRATEGY = own_fields(Strategy)
LEVEL = own_fields(RagLevel)
COMMITTEE = own_fields(Committee)
ROLE = own_fields(Role)
PERSON = own_fields(Person)
ACTION = own_fields(Action, leave_out=("number",))
PERIOD = own_fields(ReportingPeriod)
UPDATE = own_fields(Update)
TARGET_CHANGE = own_fields(TargetChange)
SNAPSHOT = own_fields(ActionSnapshot)
RECORD = own_fields(PeriodRecord)
COVER = own_fields(CoverSheet)
TEMPLATE = own_fields(PaperTemplate)
PAPER = own_fields(GeneratedPaper)
# Set by the database when a row is inserted; the import writes the file's value after.
INSERTED_AT = {Strategy: "created_at", PeriodRecord: "created_at"}
INSERTED_AT |= {PaperTemplate: "uploaded_at", GeneratedPaper: "requested_at"}


# --- export -----------------------------------------------------------------


def export_strategy(strategy) -> dict:
    """Everything ``strategy`` holds, as plain data in format version 1."""
    return _Exporter(strategy).run()


class _Exporter:
    def __init__(self, strategy):
        self.strategy = strategy
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
            .select_related("theme", "area", "rag_level")
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
                    "number": t.number,
                    "title": t.title,
                    "commitments": [{"number": c.number, "text": c.text} for c in _by_number(t)],
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
        return {
            **_dump(action, ACTION),
            "ref": action.ref,
            "area": action.area.name if action.area else None,
            "rag_level": action.rag_level.label if action.rag_level else None,
            "leads": [role.title for role in action.leads.all()],
            "commitments": [c.ref for c in commitments],
        }

    def updates(self) -> list:
        updates = (
            Update.objects.filter(period__strategy=self.strategy)
            .select_related(
                "action__theme",
                "period",
                "proposed_rag",
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


# --- import -----------------------------------------------------------------


def import_strategy(data: dict, *, user=None, source: str = "") -> dict:
    """Create the strategy ``data`` describes, all or nothing; return what was made.

    ``user`` is recorded as the author of the rows' history (None: the command line);
    ``source`` names the file in that history. Raises ExchangeError on a file that is
    not version 1 of the format, on a slug already taken, and on bad or inconsistent data.
    """
    check_header(data)
    reason = f"Imported from {source}" if source else "Imported from a JSON export"
    try:
        with transaction.atomic():
            return _Importer(data, user, reason).run()
    except DatabaseError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ExchangeError(f"The strategy could not be saved ({first}).") from None


def check_header(data) -> None:
    """Refuse anything but version 1 of the planboard strategy format."""
    if not isinstance(data, dict) or "format" not in data:
        raise ExchangeError(
            f'This is not a planboard strategy export: it has no "format": "{FORMAT}".'
        )
    if data["format"] != FORMAT:
        raise ExchangeError(
            f'This is not a planboard strategy export: its format is "{data["format"]}", '
            f'not "{FORMAT}".'
        )
    if data.get("version") != VERSION:
        raise ExchangeError(
            f"This export is version {data.get('version')!r} of the strategy format; "
            f"this planboard reads version {VERSION} only."
        )
    if not isinstance(data.get("strategy"), dict):
        raise ExchangeError('This export has no "strategy" object.')


@contextmanager
def _at(where: str):
    """Say where in the file a problem is: ``actions[12]: ...``."""
    try:
        yield
    except ExchangeError as err:
        raise ExchangeError(f"{where}: {err}") from None
    except ValidationError as err:
        raise ExchangeError(f"{where}: {' '.join(err.messages)}") from None
    except KeyError as err:
        raise ExchangeError(f"{where}: the field {err} is missing.") from None
    except (TypeError, ValueError, AttributeError) as err:
        raise ExchangeError(f"{where}: {err}") from None


def _load(model, item, names, **links):
    """An unsaved ``model`` from the file's ``item``: each field converted and checked."""
    if not isinstance(item, dict):
        raise ExchangeError(f"expected an object, found {type(item).__name__}.")
    values = {}
    for name in names:
        field = model._meta.get_field(name)
        if name in item:
            value = field.to_python(item[name])
        elif field.has_default():
            value = field.get_default()
        elif field.null or name == INSERTED_AT.get(model):
            value = None
        elif field.blank:
            value = ""
        else:
            raise KeyError(name)
        if value is None and not field.null and name != INSERTED_AT.get(model):
            raise ExchangeError(f'"{name}" cannot be empty.')
        if field.choices and value not in (None, "") and value not in dict(field.flatchoices):
            allowed = ", ".join(str(key) for key, _ in field.flatchoices)
            raise ExchangeError(f'"{name}" is "{value}", which is not one of {allowed}.')
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ExchangeError(f'"{name}" is {len(value):,} characters long; at most {limit:,}.')
        values[name] = value
    return model(**values, **links)


def _items(data, section) -> Iterator[tuple[str, object]]:
    items = data.get(section) or []
    if not isinstance(items, list):
        raise ExchangeError(f'"{section}" must be a list.')
    for index, item in enumerate(items):
        yield f"{section}[{index}]", item


def _find(found: dict, key, what: str):
    if key not in found:
        raise ExchangeError(f'there is no {what} "{key}" in the file.')
    return found[key]


def _split_ref(ref) -> tuple[int, int]:
    theme, _, number = str(ref).partition(".")
    if not (theme.isdigit() and number.isdigit()):
        raise ExchangeError(f'"{ref}" is not a ref such as "1.3".')
    return int(theme), int(number)


class _Importer:
    def __init__(self, data: dict, user, reason: str):
        self.data = data
        self.history = {"user": user, "reason": reason}
        self.names = {}
        for where, item in _items(data, "users"):
            with _at(where):
                self.names[str(item["username"])] = item
        self.accounts = {}
        self.created_accounts = []
        self.notes = []

    def run(self) -> dict:
        self.strategy = self.create_strategy()
        self.levels = self.labelled(RagLevel, "rag_levels", LEVEL, key="label")
        self.labelled(Committee, "committees", COMMITTEE, key=None)
        self.areas = self.labelled(Area, "areas", ("name",), key="name")
        self.create_themes()
        self.roles = self.labelled(Role, "roles", ROLE, key="title")
        self.create_people()
        self.create_actions()
        self.create_periods()
        self.create_updates()
        self.create_target_changes()
        self.create_snapshots()
        self.create_records()
        self.create_cover_sheets()
        self.create_papers()
        try:
            public = import_public(
                self.strategy,
                self.data.get("public"),
                themes=self.themes,
                actions=self.actions,
                **self.history,
            )
        except PublicSectionError as err:
            raise ExchangeError(str(err)) from None
        summary = {"strategy": self.strategy.slug}
        summary |= {section: len(self.data.get(section) or []) for section in SECTIONS}
        summary["commitments"] = len(self.commitments)
        summary["public_actions"] = public
        summary["accounts_created"] = sorted(self.created_accounts)
        summary["notes"] = self.notes
        return summary

    # --- helpers

    def create(self, model, objects, links=None) -> list:
        if model in HISTORY:
            return create_with_history(model, objects, links=links, **self.history)
        return model.objects.bulk_create(objects)

    def restore_times(self, model, created, items) -> None:
        """Write the file's insertion times over the ones the database just set."""
        name = INSERTED_AT[model]
        for instance, item in zip(created, items, strict=True):
            when = model._meta.get_field(name).to_python(item.get(name))
            if when is not None:
                model.objects.filter(pk=instance.pk).update(**{name: when})

    def account(self, username):
        """The account called ``username``; an inactive one is created if there is none."""
        if username is None:
            return None
        username = str(username)
        if username not in self.accounts:
            model = get_user_model()
            found = model.objects.filter(username=username).first()
            if found is None:
                names = self.names.get(username, {})
                found = model(
                    username=username,
                    first_name=str(names.get("first_name") or "")[:150],
                    last_name=str(names.get("last_name") or "")[:150],
                    is_active=False,
                )
                found.set_unusable_password()
                found.full_clean(exclude=["password"])
                found.save()
                self.created_accounts.append(username)
            self.accounts[username] = found
        return self.accounts[username]

    def labelled(self, model, section, names, *, key) -> dict:
        """Rows of ``section`` belonging to the strategy, by ``key`` (which must be unique)."""
        objects, places = [], []
        for where, item in _items(self.data, section):
            with _at(where):
                objects.append(_load(model, item, names, strategy=self.strategy))
                places.append(where)
        found = {}
        for where, instance in zip(places, self.create(model, objects), strict=True):
            value = getattr(instance, key) if key else where
            if value in found:
                raise ExchangeError(f'{where}: "{value}" appears twice in {section}.')
            found[value] = instance
        return found

    # --- the strategy and its plan

    def create_strategy(self):
        item = self.data["strategy"]
        with _at("strategy"):
            strategy = _load(Strategy, item, STRATEGY)
            validate_slug(strategy.slug)
        if Strategy.objects.filter(slug=strategy.slug).exists():
            raise ExchangeError(
                f'A strategy with the slug "{strategy.slug}" already exists; '
                "delete it first or import the file into another database."
            )
        strategy._history_user = self.history["user"]
        strategy._change_reason = self.history["reason"]
        strategy.save()
        self.restore_times(Strategy, [strategy], [item])
        strategy.refresh_from_db()
        return strategy

    def create_themes(self) -> None:
        themes, specs = [], []
        for where, item in _items(self.data, "themes"):
            with _at(where):
                themes.append(_load(Theme, item, ("number", "title"), strategy=self.strategy))
                specs.append((where, item.get("commitments") or []))
        themes = self.create(Theme, themes)
        self.themes = {theme.number: theme for theme in themes}
        commitments = []
        for theme, (where, items) in zip(themes, specs, strict=True):
            for index, item in enumerate(items):
                with _at(f"{where}.commitments[{index}]"):
                    commitments.append(_load(Commitment, item, ("number", "text"), theme=theme))
        self.commitments = {
            f"{c.theme.number}.{c.number}": c for c in self.create(Commitment, commitments)
        }

    def create_people(self) -> None:
        people, links = [], []
        for where, item in _items(self.data, "people"):
            with _at(where):
                person = _load(Person, item, PERSON, strategy=self.strategy)
                person.user = self.account(item.get("user"))
                links += [
                    (len(people), _find(self.roles, title, "role").pk)
                    for title in item.get("roles") or []
                ]
                people.append(person)
        self.create(Person, people, links={"roles": links})

    def create_actions(self) -> None:
        actions, leads, cited = [], [], []
        for where, item in _items(self.data, "actions"):
            with _at(where):
                theme_number, number = _split_ref(item["ref"])
                action = _load(
                    Action,
                    item,
                    ACTION,
                    theme=_find(self.themes, theme_number, "theme"),
                    number=number,
                )
                area = item.get("area")
                action.area = _find(self.areas, area, "area") if area is not None else None
                level = item.get("rag_level")
                action.rag_level = _find(self.levels, level, "RAG level") if level else None
                at = len(actions)
                leads += [(at, _find(self.roles, t, "role").pk) for t in item.get("leads") or []]
                cited += [
                    (at, _find(self.commitments, ref, "commitment").pk)
                    for ref in item.get("commitments") or []
                ]
                actions.append(action)
        created = self.create(Action, actions, links={"leads": leads, "commitments": cited})
        self.actions = {action.ref: action for action in created}

    # --- the quarterly cycle

    def create_periods(self) -> None:
        periods = []
        for where, item in _items(self.data, "periods"):
            with _at(where):
                period = _load(ReportingPeriod, item, PERIOD, strategy=self.strategy)
                period.closed_by = self.account(item.get("closed_by"))
                periods.append(period)
        self.periods = {p.label: p for p in self.create(ReportingPeriod, periods)}

    def level(self, label):
        return _find(self.levels, label, "RAG level") if label else None

    def create_updates(self) -> None:
        updates = []
        for where, item in _items(self.data, "updates"):
            with _at(where):
                update = _load(
                    Update,
                    item,
                    UPDATE,
                    action=_find(self.actions, item["action"], "action"),
                    period=_find(self.periods, item["period"], "period"),
                    proposed_rag=self.level(item.get("proposed_rag")),
                    suggested_rag=self.level(item.get("suggested_rag")),
                )
                update.submitted_by = self.account(item["submitted_by"])
                if update.submitted_by is None:
                    raise ExchangeError('"submitted_by" cannot be empty.')
                update.reviewed_by = self.account(item.get("reviewed_by"))
                updates.append(update)
        self.updates = {(u.action.ref, u.period.label): u for u in self.create(Update, updates)}

    def create_target_changes(self) -> None:
        changes = []
        for where, item in _items(self.data, "target_changes"):
            with _at(where):
                action = _find(self.actions, item["action"], "action")
                period = item.get("update")
                update = None
                if period is not None:
                    update = _find(self.updates, (action.ref, period), "update")
                change = _load(TargetChange, item, TARGET_CHANGE, action=action, update=update)
                change.changed_by = self.account(item.get("changed_by"))
                changes.append(change)
        self.create(TargetChange, changes)

    def create_snapshots(self) -> None:
        """Snapshots are inserted as ``close_period`` inserts them, never saved one by one."""
        snapshots = []
        for where, item in _items(self.data, "snapshots"):
            with _at(where):
                ref = item.get("action")
                snapshots.append(
                    _load(
                        ActionSnapshot,
                        item,
                        SNAPSHOT,
                        period=_find(self.periods, item["period"], "period"),
                        action=_find(self.actions, ref, "action") if ref is not None else None,
                    )
                )
        ActionSnapshot.objects.bulk_create(snapshots)

    def create_records(self) -> None:
        records, items = [], []
        for where, item in _items(self.data, "period_records"):
            with _at(where):
                period = _find(self.periods, item["period"], "period")
                records.append(_load(PeriodRecord, item, RECORD, period=period))
                items.append(item)
        self.restore_times(PeriodRecord, PeriodRecord.objects.bulk_create(records), items)

    # --- papers

    def create_cover_sheets(self) -> None:
        sheets = []
        for where, item in _items(self.data, "cover_sheets"):
            with _at(where):
                label = item.get("period")
                period = _find(self.periods, label, "period") if label is not None else None
                sheets.append(_load(CoverSheet, item, COVER, strategy=self.strategy, period=period))
        self.create(CoverSheet, sheets)

    def create_papers(self) -> None:
        templates, items = [], []
        for where, item in _items(self.data, "paper_templates"):
            with _at(where):
                template = _load(PaperTemplate, item, TEMPLATE, strategy=self.strategy)
                try:
                    template.content = base64.b64decode(item["content"], validate=True)
                except binascii.Error:
                    raise ExchangeError('"content" is not base64.') from None
                if hashlib.sha256(template.content).hexdigest() != template.checksum:
                    raise ExchangeError("the file does not match its checksum.")
                template.uploaded_by = self.account(item.get("uploaded_by"))
                templates.append(template)
                items.append(item)
        created = PaperTemplate.objects.bulk_create(templates)
        self.restore_times(PaperTemplate, created, items)
        papers, items = [], []
        for where, item in _items(self.data, "papers"):
            with _at(where):
                label = item.get("period")
                paper = _load(
                    GeneratedPaper,
                    item,
                    PAPER,
                    strategy=self.strategy,
                    period=_find(self.periods, label, "period") if label is not None else None,
                    template=self.template(item.get("template"), created),
                )
                paper.requested_by = self.account(item.get("requested_by"))
                papers.append(paper)
                items.append(item)
        self.restore_times(GeneratedPaper, GeneratedPaper.objects.bulk_create(papers), items)

    def template(self, spec, own):
        """The Word template a paper was made with: the strategy's own, else a shared one."""
        if spec is None:
            return None
        checksum = spec["checksum"]
        found = [t for t in own if t.checksum == checksum] or list(
            PaperTemplate.objects.filter(strategy__isnull=True, checksum=checksum).order_by("pk")
        )
        if found:
            return found[0]
        self.notes.append(
            f'The Word template "{spec.get("name")}" a paper was made with is not in this '
            "database; the paper's record keeps no template."
        )
        return None


SECTIONS = (
    "rag_levels",
    "committees",
    "areas",
    "themes",
    "roles",
    "people",
    "actions",
    "periods",
    "updates",
    "target_changes",
    "snapshots",
    "period_records",
    "cover_sheets",
    "paper_templates",
    "papers",
)
# Models whose rows keep a change history (django-simple-history).
HISTORY = {Strategy, RagLevel, Committee, Area, Theme, Commitment, Action, Role, Person}
HISTORY |= {ReportingPeriod, Update, CoverSheet}
