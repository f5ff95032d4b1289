"""Writing a parsed paper to the database, table by table, with history.

Called by ``services.import_paper`` inside its transaction; it assumes the slug is free
and the paper has been checked. Rows are inserted in bulk (one query per table) and each
gets a historical record with the importing user and the reason given.
"""

from dataclasses import asdict

from planboard.imports.errors import PaperError
from planboard.imports.parsed import Paper, ParsedAction, area_key
from planboard.lib.history import attribute, create_with_history
from planboard.papers.models import CoverSheet
from planboard.people.models import Person, Role
from planboard.plans.models import (
    Action,
    ActionStatus,
    Area,
    Commitment,
    Committee,
    DatePrecision,
    RagLevel,
    Strategy,
    Theme,
)
from planboard.plans.rag import create_scale, match_level


def write_paper(paper: Paper, slug: str, *, user=None, reason: str = "") -> dict:
    """Create the strategy and everything in it; return the counts of what was made."""
    return _Writer(paper, user, reason).write(slug)


class _Writer:
    def __init__(self, paper: Paper, user, reason: str):
        self.paper = paper
        self.history = {"user": user, "reason": reason}

    def write(self, slug: str) -> dict:
        paper = self.paper
        strategy = Strategy(
            slug=slug, source_name=paper.source, **self.fit(Strategy, paper.strategy)
        )
        self.save(strategy)
        scale = [self.fit(RagLevel, level) for level in paper.rag_levels]
        self.levels = create_scale(strategy, scale or None, **self.history)
        committees = self.create(
            Committee,
            [
                Committee(strategy=strategy, position=position, **self.fit(Committee, committee))
                for position, committee in enumerate(paper.committees, start=1)
            ],
        )
        themes = self.create(
            Theme,
            [
                Theme(strategy=strategy, **self.fit(Theme, t, "number", "title"))
                for t in paper.themes
            ],
        )
        commitments = self.create(
            Commitment,
            [
                Commitment(theme=theme, number=c.number, text=c.text)
                for theme, spec in zip(themes, paper.themes, strict=True)
                for c in spec.commitments
            ],
        )
        self.commitment_ids = {(c.theme_id, c.number): c.pk for c in commitments}
        areas = self.create(Area, [Area(strategy=strategy, name=name) for name in paper.areas])
        self.area_ids = {area_key(area.name): area.pk for area in areas}
        roles = self.write_people(strategy)
        actions = self.write_actions(themes)
        self.save(CoverSheet(strategy=strategy, **self.fit(CoverSheet, paper.cover)))
        return {
            "strategy": slug,
            "themes": len(themes),
            "commitments": len(commitments),
            "actions": len(actions),
            "roles": len(roles),
            "people": len(paper.people),
            "committees": len(committees),
            "areas": len(areas),
        }

    def write_people(self, strategy: Strategy) -> list[Role]:
        people = self.paper.people
        roles = self.create(
            Role,
            [Role(strategy=strategy, **self.fit(Role, spec)) for spec in self.paper.roles],
        )
        self.role_ids = {
            id(spec): role.pk for spec, role in zip(self.paper.roles, roles, strict=True)
        }
        self.create(
            Person,
            [
                Person(strategy=strategy, **self.fit(Person, p, "name", "is_ebe_lead", "note"))
                for p in people
            ],
            links={
                "roles": [
                    (at, self.role_ids[id(r)]) for at, p in enumerate(people) for r in p.roles
                ]
            },
        )
        return roles

    def write_actions(self, themes: list[Theme]) -> list[Action]:
        actions, leads, cited = [], [], []
        for theme, spec in zip(themes, self.paper.themes, strict=True):
            for row in spec.actions:
                at = len(actions)
                actions.append(self.action(theme, row))
                leads += [(at, self.role_ids[id(role)]) for role in row.leads]
                cited += [
                    (at, self.commitment_ids[(theme.pk, number)])
                    for number in dict.fromkeys(row.cited_commitments)
                    if (theme.pk, number) in self.commitment_ids
                ]
        return self.create(Action, actions, links={"leads": leads, "commitments": cited})

    def action(self, theme: Theme, row: ParsedAction) -> Action:
        """An action as written; a "Completed" target or a level meaning complete completes it."""
        level = match_level(self.levels, row.rag_text)
        target = row.target
        complete = bool(target and target.complete) or bool(level and level.means_complete)
        date = target.date if target else None
        precision = target.precision if target else DatePrecision.MONTH
        return Action(
            theme=theme,
            number=row.number,
            area_id=self.area_ids.get(area_key(row.area)) if row.area else None,
            cited_commitments=row.cited_commitments,
            text=row.text,
            progress=row.progress,
            target_date=date,
            target_precision=precision,
            target_text=row.target_text,
            original_target_date=date,
            original_target_precision=precision,
            status=ActionStatus.COMPLETE if complete else ActionStatus.IN_PROGRESS,
            rag_level=level,
            rag_text=row.rag_text,
            lead_text=row.lead_text,
            source_line=row.line,
        )

    def create(self, model, objects: list, links=None) -> list:
        return create_with_history(model, objects, links=links, **self.history)

    def fit(self, model, spec, *names: str) -> dict:
        return fit(model, spec, *names, source=self.paper.source)

    def save(self, instance) -> None:
        attribute(instance, self.history["user"], self.history["reason"])
        instance.save()


def fit(model, spec, *names: str, source: str = "") -> dict:
    """The fields ``names`` (default: all) of a parsed dataclass, for ``model``.

    A value longer than its column is refused, naming the field (and the line where
    the parsed item records one): nothing a paper says is silently cut short.
    """
    values = asdict(spec)
    fitted = {name: values[name] for name in names or values}
    for name, value in fitted.items():
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise PaperError(
                f"the {model._meta.verbose_name} {field.verbose_name} is {len(value):,} "
                f"characters long; planboard keeps at most {limit:,}: shorten it",
                source=source,
                line=getattr(spec, "line", None),
            )
    return fitted
