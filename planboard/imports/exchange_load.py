"""Reading a strategy from the JSON exchange format (described in ``exchange``), all or nothing.

The file may come from another planboard, or be edited by hand, so every row is
converted and checked field by field before it is saved, and a refusal names its place
in the file. Rows are inserted in bulk, in the order they refer to each other, each
with one "created" history record attributed to the importing user.
"""

import base64
import binascii
import hashlib

from django.contrib.auth import get_user_model
from django.core.validators import validate_slug
from django.db import DatabaseError, transaction

from planboard.imports.engagement_exchange import EngagementLoader
from planboard.imports.exchange import (
    ACTION,
    COMMITMENT,
    COMMITTEE,
    COVER,
    INSERTED_AT,
    LEVEL,
    PAPER,
    PERIOD,
    PERSON,
    RECORD,
    ROLE,
    SECTIONS,
    SNAPSHOT,
    STRATEGY,
    TARGET_CHANGE,
    TEMPLATE,
    THEME,
    UPDATE,
    ExchangeError,
    build,
    check_header,
    find,
    located,
    section_items,
    split_ref,
)
from planboard.lib.history import attribute, create_with_history
from planboard.lib.services import service
from planboard.papers.models import CoverSheet, GeneratedPaper, PaperTemplate
from planboard.people.models import Person, Role
from planboard.people.permissions import require_governance
from planboard.plans.models import Action, Area, Commitment, Committee, RagLevel, Strategy, Theme
from planboard.progress.models import (
    ActionSnapshot,
    PeriodRecord,
    ReportingPeriod,
    TargetChange,
    Update,
)
from planboard.public.exchange import PublicSectionError, import_public


@service
def import_strategy(data: dict, *, user=None, source: str = "") -> dict:
    """Create the strategy ``data`` describes, all or nothing; return what was made.

    ``user`` is recorded as the author of the rows' history (None: the command line);
    ``source`` names the file in that history. Raises ExchangeError on a file that is
    not version 1 of the format, on a slug already taken, and on bad or inconsistent data.
    """
    require_governance(user, "import strategies", command_line_ok=True)
    check_header(data)
    reason = f"Imported from {source}" if source else "Imported from a JSON export"
    try:
        with transaction.atomic():
            return _Importer(data, user, reason).run()
    except DatabaseError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ExchangeError(f"The strategy could not be saved ({first}).") from None


class _Importer:
    def __init__(self, data: dict, user, reason: str):
        self.data = data
        self.history = {"user": user, "reason": reason}
        self.names = {}
        for where, item in section_items(data, "users"):
            with located(where):
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
        engagement = EngagementLoader(self).run()
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
        summary |= engagement
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
        for where, item in section_items(self.data, section):
            with located(where):
                objects.append(build(model, item, names, strategy=self.strategy))
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
        with located("strategy"):
            strategy = build(Strategy, item, STRATEGY)
            validate_slug(strategy.slug)
        if Strategy.objects.filter(slug=strategy.slug).exists():
            raise ExchangeError(
                f'A strategy with the slug "{strategy.slug}" already exists; '
                "delete it first or import the file into another database."
            )
        attribute(strategy, self.history["user"], self.history["reason"])
        strategy.save()
        self.restore_times(Strategy, [strategy], [item])
        strategy.refresh_from_db()
        return strategy

    def create_themes(self) -> None:
        themes, specs = [], []
        for where, item in section_items(self.data, "themes"):
            with located(where):
                themes.append(build(Theme, item, THEME, strategy=self.strategy))
                specs.append((where, item.get("commitments") or []))
        themes = self.create(Theme, themes)
        self.themes = {theme.number: theme for theme in themes}
        commitments = []
        for theme, (where, items) in zip(themes, specs, strict=True):
            for index, item in enumerate(items):
                with located(f"{where}.commitments[{index}]"):
                    commitments.append(build(Commitment, item, COMMITMENT, theme=theme))
        self.commitments = {
            f"{c.theme.number}.{c.number}": c for c in self.create(Commitment, commitments)
        }

    def create_people(self) -> None:
        people, links = [], []
        for where, item in section_items(self.data, "people"):
            with located(where):
                person = build(Person, item, PERSON, strategy=self.strategy)
                person.user = self.account(item.get("user"))
                links += [
                    (len(people), find(self.roles, title, "role").pk)
                    for title in item.get("roles") or []
                ]
                people.append(person)
        self.create(Person, people, links={"roles": links})

    def create_actions(self) -> None:
        actions, leads, cited = [], [], []
        for where, item in section_items(self.data, "actions"):
            with located(where):
                theme_number, number = split_ref(item["ref"])
                action = build(
                    Action,
                    item,
                    ACTION,
                    theme=find(self.themes, theme_number, "theme"),
                    number=number,
                )
                area = item.get("area")
                action.area = find(self.areas, area, "area") if area is not None else None
                level = item.get("rag_level")
                action.rag_level = find(self.levels, level, "RAG level") if level else None
                action.retired_by = self.account(item.get("retired_by"))
                at = len(actions)
                leads += [(at, find(self.roles, t, "role").pk) for t in item.get("leads") or []]
                cited += [
                    (at, find(self.commitments, ref, "commitment").pk)
                    for ref in item.get("commitments") or []
                ]
                actions.append(action)
        created = self.create(Action, actions, links={"leads": leads, "commitments": cited})
        self.actions = {action.ref: action for action in created}

    # --- the quarterly cycle

    def create_periods(self) -> None:
        periods = []
        for where, item in section_items(self.data, "periods"):
            with located(where):
                period = build(ReportingPeriod, item, PERIOD, strategy=self.strategy)
                period.closed_by = self.account(item.get("closed_by"))
                periods.append(period)
        self.periods = {p.label: p for p in self.create(ReportingPeriod, periods)}

    def level(self, label):
        return find(self.levels, label, "RAG level") if label else None

    def create_updates(self) -> None:
        updates = []
        for where, item in section_items(self.data, "updates"):
            with located(where):
                update = build(
                    Update,
                    item,
                    UPDATE,
                    action=find(self.actions, item["action"], "action"),
                    period=find(self.periods, item["period"], "period"),
                    proposed_rag=self.level(item.get("proposed_rag")),
                    suggested_rag=self.level(item.get("suggested_rag")),
                    adjusted_rag=self.level(item.get("adjusted_rag")),
                )
                update.submitted_by = self.account(item["submitted_by"])
                if update.submitted_by is None:
                    raise ExchangeError('"submitted_by" cannot be empty.')
                update.reviewed_by = self.account(item.get("reviewed_by"))
                updates.append(update)
        self.updates = {(u.action.ref, u.period.label): u for u in self.create(Update, updates)}

    def create_target_changes(self) -> None:
        changes = []
        for where, item in section_items(self.data, "target_changes"):
            with located(where):
                action = find(self.actions, item["action"], "action")
                period = item.get("update")
                update = None
                if period is not None:
                    update = find(self.updates, (action.ref, period), "update")
                change = build(TargetChange, item, TARGET_CHANGE, action=action, update=update)
                change.changed_by = self.account(item.get("changed_by"))
                changes.append(change)
        self.create(TargetChange, changes)

    def create_snapshots(self) -> None:
        """Snapshots are inserted as ``close_period`` inserts them, never saved one by one."""
        snapshots = []
        for where, item in section_items(self.data, "snapshots"):
            with located(where):
                ref = item.get("action")
                snapshots.append(
                    build(
                        ActionSnapshot,
                        item,
                        SNAPSHOT,
                        period=find(self.periods, item["period"], "period"),
                        action=find(self.actions, ref, "action") if ref is not None else None,
                    )
                )
        ActionSnapshot.objects.bulk_create(snapshots)

    def create_records(self) -> None:
        records, items = [], []
        for where, item in section_items(self.data, "period_records"):
            with located(where):
                period = find(self.periods, item["period"], "period")
                records.append(build(PeriodRecord, item, RECORD, period=period))
                items.append(item)
        self.restore_times(PeriodRecord, PeriodRecord.objects.bulk_create(records), items)

    # --- papers

    def create_cover_sheets(self) -> None:
        sheets = []
        for where, item in section_items(self.data, "cover_sheets"):
            with located(where):
                label = item.get("period")
                period = find(self.periods, label, "period") if label is not None else None
                sheets.append(build(CoverSheet, item, COVER, strategy=self.strategy, period=period))
        self.create(CoverSheet, sheets)

    def create_papers(self) -> None:
        templates, items = [], []
        for where, item in section_items(self.data, "paper_templates"):
            with located(where):
                template = build(PaperTemplate, item, TEMPLATE, strategy=self.strategy)
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
        for where, item in section_items(self.data, "papers"):
            with located(where):
                label = item.get("period")
                paper = build(
                    GeneratedPaper,
                    item,
                    PAPER,
                    strategy=self.strategy,
                    period=find(self.periods, label, "period") if label is not None else None,
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


# Models whose rows keep a change history (django-simple-history).
HISTORY = {Strategy, RagLevel, Committee, Area, Theme, Commitment, Action, Role, Person}
HISTORY |= {ReportingPeriod, Update, CoverSheet}
