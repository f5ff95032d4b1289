"""Writing the rows of a table into a strategy: matched with its actions, only what differs.

Re-importing a file updates the actions it matches (by ref, or by text where a row has
no ref) instead of adding them again, and only actions that really change get a new
version and a history row, with the importing user and the reason "Imported from FILE".
A row matching a retired action leaves it retired and unchanged (counted as
``retired``). Ratings the scale does not know are kept as written, never guessed.

New and changed actions are written in bulk, with their links and history rows: a few
queries per table whatever the number of rows, so a tracker of 10,000 actions imports
within a web request (see docs/performance.md).
"""

from planboard.imports import columns as kinds
from planboard.imports import progress
from planboard.imports.dates import TargetDate
from planboard.imports.leads import resolver_for
from planboard.imports.parsed import area_key
from planboard.imports.table_header import COMMITMENTS, REVISED, SOURCE, Header, norm
from planboard.imports.table_rows import RowData
from planboard.lib.history import BATCH, attribute, create_with_history, update_with_history
from planboard.people.models import Role
from planboard.plans.models import (
    Action,
    ActionStatus,
    Area,
    Commitment,
    DatePrecision,
    Strategy,
    Theme,
)
from planboard.plans.rag import create_scale, match_level
from planboard.public.models import ThemePublication
from planboard.public.wording import unlisted_themes


def create_strategy(slug: str, title: str, source: str, history: dict) -> Strategy:
    strategy = Strategy(slug=slug, title=title, source_name=source)
    attribute(strategy, history["user"], history["reason"])
    strategy.save()
    create_scale(strategy, user=history["user"], reason=history["reason"])
    return strategy


class TableWriter:
    """Matches rows with the strategy's actions and writes the differences, with history."""

    def __init__(
        self, strategy, header: Header, history: dict, *, theme_title, default_theme, titles=None
    ):
        self.strategy = strategy
        self.header = header
        self.history = history
        self.theme_title = theme_title
        self.default_theme = default_theme
        self.titles = titles  # {number: title} of new themes, when the import page chose
        # What the import did, for its undoing: the records it created, by model, and
        # the history rows of the records it changed.
        self.done = Done()
        self.leads_summary = {"roles_created": [], "leads_unmatched": []}

    def write(self, rows: list[RowData]) -> dict:
        existing = list(
            Action.objects.for_strategy(self.strategy)
            .select_for_update(of=("self",))
            .select_related("theme", "area")
            .in_plan_order()
        )
        self.linked = {name: _links(name, existing) for name in ("leads", "commitments")}
        matches = _match(rows, existing)
        themes = self._themes(
            {row.theme for row, found in zip(rows, matches, strict=True) if not found}
        )
        numbers = _numbers(rows, matches, existing)
        theme_of = [
            found.theme if found else themes[row.theme]
            for row, found in zip(rows, matches, strict=True)
        ]
        area_ids = self._areas(rows) if self.header.has(kinds.AREA) else {}
        leads = self._leads(rows) if self.header.has(kinds.LEAD) else None
        served = None
        if self.header.has(kinds.AREA) or self.header.has(COMMITMENTS):
            served = self._commitments(rows, theme_of)
        levels = list(self.strategy.rag_levels.all())
        new, links = [], {"leads": [], "commitments": []}
        counts = {"updated": 0, "unchanged": 0, "retired": 0}
        changed = Changes()
        progress.expect(len(rows))
        for at, (row, found) in enumerate(zip(rows, matches, strict=True)):
            progress.reached(at + 1)
            level = match_level(levels, row.rag_text) if self.header.has(kinds.RAG) else None
            values = self._values(row, level, area_ids)
            status = row.status
            if level is not None and level.means_complete:
                status = ActionStatus.COMPLETE
            lead_ids = [role.pk for role in leads[at]] if leads is not None else None
            served_ids = served[at] if served is not None else None
            if found is None:
                links["leads"] += [(len(new), pk) for pk in lead_ids or []]
                links["commitments"] += [(len(new), pk) for pk in served_ids or []]
                new.append(self._new(row, theme_of[at], numbers[at], values, status))
            elif found.is_retired:  # retired in planboard on purpose: left as it is
                counts["retired"] += 1
            elif self._update(found, row, values, status, lead_ids, served_ids, changed):
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        self.done.created(create_with_history(Action, new, links=links, **self.history))
        self.done.changed(changed.save(self.history))
        return {"created": len(new), **counts, **self.leads_summary}

    def _values(self, row: RowData, level, area_ids: dict) -> dict:
        """The fields the table's columns give; a column the table lacks is left alone."""
        has = self.header.has
        values = {"text": row.text}
        if has(kinds.PROGRESS):
            values["progress"] = row.progress
        if has(kinds.AREA):
            values["area_id"] = area_ids[area_key(row.area)] if row.area else None
        if has(kinds.AREA) or has(COMMITMENTS):
            values["cited_commitments"] = row.cited
        if has(kinds.TARGET):
            target = row.target or TargetDate(None, DatePrecision.MONTH)
            values["target_date"] = target.date
            values["target_precision"] = target.precision
            values["target_text"] = row.target_text
        if has(kinds.RAG):
            values["rag_level_id"] = level.pk if level else None
            values["rag_text"] = row.rag_text
        if has(kinds.LEAD):
            values["lead_text"] = row.lead_text
        if has(REVISED) and row.original is not None:  # the target moved: the first kept
            values["original_target_date"] = row.original.date
            values["original_target_precision"] = row.original.precision
        if has(SOURCE):
            values["source"] = row.source
        if has(kinds.REF):
            values["ref_as_written"] = row.ref_text
        return values

    def _new(self, row: RowData, theme, number: int, values: dict, status) -> Action:
        original = {
            "original_target_date": values.get("target_date"),
            "original_target_precision": values.get("target_precision", DatePrecision.MONTH),
        }
        return Action(
            theme=theme,
            number=number,
            source_line=row.row,
            status=status or ActionStatus.IN_PROGRESS,
            **(original | values),
        )

    def _update(self, action: Action, row, values, status, lead_ids, served_ids, changed) -> bool:
        """Note what differs in ``changed``, to be written as one new version with one
        history row; False if nothing does.

        A complete action stays complete: reopening one is a correction made by hand,
        as when an update is accepted.
        """
        changes = {name: value for name, value in values.items() if getattr(action, name) != value}
        if status and action.status != status and action.status != ActionStatus.COMPLETE:
            changes["status"] = status
        if (
            "target_date" in changes
            and action.original_target_date is None
            and ("original_target_date" not in values)
        ):
            changes["original_target_date"] = action.target_date or values["target_date"]
            changes["original_target_precision"] = (
                action.target_precision if action.target_date else values["target_precision"]
            )
        m2m = {}
        for name, ids in (("leads", lead_ids), ("commitments", served_ids)):
            if ids is not None and set(ids) != self.linked[name].get(action.pk, set()):
                m2m[name] = ids
        if not changes and not m2m:
            return False
        for name, value in changes.items():
            setattr(action, name, value)
        action.version += 1
        action.source_line = row.row
        attribute(action, self.history["user"], self.history["reason"])
        changed.add(action, changes, m2m)
        return True

    def _themes(self, wanted: set[int]) -> dict[int, Theme]:
        themes = {theme.number: theme for theme in self.strategy.themes.all()}
        missing = sorted(wanted - set(themes))
        made = self._create(
            Theme,
            [
                Theme(strategy=self.strategy, number=number, title=self._title(number, missing))
                for number in missing
            ],
        )
        # Off the public page until something of them is published.
        self._create(ThemePublication, unlisted_themes(made))
        return themes | {theme.number: theme for theme in made}

    def _title(self, number: int, missing: list[int]) -> str:
        if self.titles is not None:
            return self.titles.get(number, f"Theme {number}")
        if number == self.default_theme or len(missing) == 1:
            return self.theme_title
        return f"Theme {number}"

    def _areas(self, rows: list[RowData]) -> dict[str, int]:
        areas = {area_key(area.name): area for area in self.strategy.areas.all()}
        names = {area_key(row.area): row.area for row in rows if row.area}
        self._create(
            Area,
            [Area(strategy=self.strategy, name=n) for key, n in names.items() if key not in areas],
        )
        return {area_key(area.name): area.pk for area in self.strategy.areas.all()}

    def _leads(self, rows: list[RowData]) -> list[list[Role]]:
        """Each row's roles, matched to the strategy's key: its roles and the people holding
        them (see ``leads``). A lead the key does not name is kept only as written and
        reported by the checker: no role is added to a key. A strategy with no roles yet
        takes its key from the table, one role per distinct lead, listed in the summary.
        A new way of writing a key role is kept as its alias, as the paper import does."""
        resolver = resolver_for(self.strategy)
        roles = resolver.key_roles
        if not roles:
            resolver.make_role = lambda title: Role(strategy=self.strategy, title=title)
        aliases = {role.pk: list(role.aliases or []) for role in roles}
        found = [resolver.resolve(row.lead_text) for row in rows]
        created = self._create(Role, list(resolver.unresolved.values()))
        self.leads_summary = {
            "roles_created": [role.title for role in created],
            "leads_unmatched": [lead.written for lead in resolver.unmatched.values()],
        }
        for role in roles:
            if list(role.aliases or []) != aliases[role.pk]:
                attribute(role, self.history["user"], self.history["reason"])
                role.save(update_fields=["aliases"])
                self.done.changed([role.history.latest("history_id")])
        return found

    def _commitments(self, rows: list[RowData], theme_of: list[Theme]) -> list[list[int]]:
        """The commitments each row serves: by number within its theme, or by their words
        (a commitment the theme does not have yet is added to it)."""
        known = list(Commitment.objects.filter(theme__strategy=self.strategy))
        by_number = {(c.theme_id, c.number): c.pk for c in known}
        by_text = {(c.theme_id, norm(c.text)): c for c in known}
        next_number = {}
        for c in known:
            next_number[c.theme_id] = max(next_number.get(c.theme_id, 0), c.number)
        added = {}
        for row, theme in zip(rows, theme_of, strict=True):
            for text in row.commitment_texts:
                key = (theme.pk, norm(text))
                if key not in by_text and key not in added:
                    next_number[theme.pk] = next_number.get(theme.pk, 0) + 1
                    added[key] = Commitment(theme=theme, number=next_number[theme.pk], text=text)
        for commitment in self._create(Commitment, list(added.values())):
            by_text[(commitment.theme_id, norm(commitment.text))] = commitment
        return [
            list(
                dict.fromkeys(
                    [by_number[(t.pk, n)] for n in row.cited if (t.pk, n) in by_number]
                    + [by_text[(t.pk, norm(text))].pk for text in row.commitment_texts]
                )
            )
            for row, t in zip(rows, theme_of, strict=True)
        ]

    def _create(self, model, objects: list) -> list:
        made = create_with_history(model, objects, **self.history) if objects else []
        self.done.created(made)
        return made


class Done:
    """What an import did: {model label: [pks]} created, {model label: [history ids]} of
    the changes it made, as ``imports.undo`` reads them."""

    def __init__(self):
        self.made: dict[str, list[int]] = {}
        self.history: dict[str, list[int]] = {}

    def created(self, objects) -> None:
        for obj in objects:
            self.made.setdefault(obj._meta.label_lower, []).append(obj.pk)

    def changed(self, history_rows) -> None:
        for row in history_rows or []:
            label = row.instance_type._meta.label_lower
            self.history.setdefault(label, []).append(row.history_id)


class Changes:
    """The changed actions of an import, saved together: their fields in bulk, their links
    as ``.set()`` would leave them, then one history row each with its links."""

    def __init__(self):
        self.actions: list[Action] = []
        self.fields: set[str] = {"version", "source_line"}
        self.links: dict[str, dict[int, list[int]]] = {"leads": {}, "commitments": {}}

    def add(self, action: Action, changes: dict, m2m: dict) -> None:
        self.actions.append(action)
        self.fields.update(changes)
        for name, ids in m2m.items():
            self.links[name][action.pk] = ids

    def save(self, history: dict) -> None:
        for name, wanted in self.links.items():
            if wanted:
                _relink(name, wanted)
        return update_with_history(Action, self.actions, sorted(self.fields), **history)


def _links(name: str, actions: list[Action]) -> dict[int, set[int]]:
    """The pks each action links to through its many-to-many field ``name``."""
    field = Action._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    pks = [action.pk for action in actions]
    linked: dict[int, set[int]] = {}
    for start in range(0, len(pks), BATCH):
        found = through.objects.filter(**{f"{source}__in": pks[start : start + BATCH]})
        for action, other in found.values_list(source, target):
            linked.setdefault(action, set()).add(other)
    return linked


def _relink(name: str, wanted: dict[int, list[int]]) -> None:
    """Give each action (by pk) exactly the ``name`` links listed, as ``.set()`` would:
    the links it keeps stay as they are; the others are deleted, the new ones added."""
    field = Action._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    pks = list(wanted)
    have = {}
    for start in range(0, len(pks), BATCH):
        found = through.objects.filter(**{f"{source}__in": pks[start : start + BATCH]})
        for pk, action, other in found.values_list("pk", source, target):
            have[(action, other)] = pk
    want = [(action, other) for action, ids in wanted.items() for other in dict.fromkeys(ids)]
    gone = sorted(set(have.values()) - {have[pair] for pair in want if pair in have})
    for start in range(0, len(gone), BATCH):
        through.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    added = [through(**{source: a, target: o}) for a, o in want if (a, o) not in have]
    through.objects.bulk_create(added, batch_size=BATCH)


def _match(rows: list[RowData], existing: list[Action]) -> list[Action | None]:
    """The action each row updates: the one at its ref, else the first unclaimed action
    with the same words (spacing and case aside); None for a new action."""
    by_ref = {(action.theme.number, action.number): action for action in existing}
    by_written: dict[str, list[Action]] = {}
    for action in existing:
        if action.ref_as_written:
            by_written.setdefault(norm(action.ref_as_written), []).append(action)
    by_text: dict[str, list[Action]] = {}
    for action in existing:
        by_text.setdefault(norm(action.text), []).append(action)
    found = [
        _written(by_written.get(norm(row.ref_text), []), row)
        or (by_ref.get((row.theme, row.number)) if row.number else None)
        for row in rows
    ]
    claimed = {action.pk for action in found if action}
    for at, row in enumerate(rows):
        if found[at] is None and row.number is None:
            free = [a for a in by_text.get(norm(row.text), []) if a.pk not in claimed]
            if free:
                found[at] = free[0]
                claimed.add(free[0].pk)
    return found


def _written(actions: list[Action], row: RowData) -> Action | None:
    """The action of the row's ref as written; where refs start again under each heading,
    the one in the row's area."""
    if len(actions) > 1:
        actions = [a for a in actions if a.area and area_key(a.area.name) == area_key(row.area)]
    return actions[0] if len(actions) == 1 else None


def _numbers(rows: list[RowData], matches: list, existing: list[Action]) -> list[int | None]:
    """A number for each new action: its ref's, or the next after every number its theme
    has or the table gives it."""
    last: dict[int, int] = {}
    for theme, number in [(a.theme.number, a.number) for a in existing] + [
        (row.theme, row.number) for row in rows if row.number
    ]:
        last[theme] = max(last.get(theme, 0), number)
    numbers = []
    for row, found in zip(rows, matches, strict=True):
        if found is not None:
            numbers.append(None)
        elif row.number:
            numbers.append(row.number)
        else:
            last[row.theme] = last.get(row.theme, 0) + 1
            numbers.append(last[row.theme])
    return numbers
