"""The plan laid out as the paper lays it out: theme, commitments, then a table by area.

In the paper each theme's implementation table is a run of rows under an area cell
("SUSEG 1,2,3,6,7,10, 12") that names the commitments the rows serve. The page rebuilds
those runs from the actions in plan order, so a filtered plan keeps the same shape.

Each row also says whether its action is overdue (the one rule of ``plans/targets.py``)
and the start of its latest progress: the narrative of its latest accepted update, the
one the board last saw (an update waiting for review is not on the plan until accepted).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from markupsafe import Markup

from planboard.web.plan_rows import (
    AREA_AT,
    BODY_CLOSE,
    BODY_OPEN,
    CITED_AT,
    PROGRESS_AT,
    THEME_AT,
    RowWriter,
    area_heading,
    cited_numbers,
    read_rows,
)

#: Any ref will do: an action's address is written around it once per page (a slug has
#: no dot, so the ref is found once in the address).
SPARE_REF = "9999.9999"

#: How much of the latest progress a row of the plan shows; the action's page shows it all.
PROGRESS_WORDS = 30
PROGRESS_CHARACTERS = 240
ELLIPSIS = "…"


@dataclass(frozen=True)
class Shortened:
    """The start of a text, cut on a word boundary; ``cut`` when words were left out."""

    text: str
    cut: bool


def shorten(text: str, words: int = PROGRESS_WORDS, characters: int = PROGRESS_CHARACTERS):
    """The first ``words`` words of ``text`` (fewer if they run past ``characters``), on one
    line, with an ellipsis where it was cut. A word is never cut: a first word longer than
    ``characters`` is kept whole."""
    every = text.split(None, words)  # the first words, then the rest in one piece
    kept, length = [], 0
    for word in every[:words]:
        if kept and length + 1 + len(word) > characters:
            break
        length += len(word) + (1 if kept else 0)
        kept.append(word)
    if len(kept) == len(every):
        return Shortened(" ".join(kept), cut=False)
    kept[-1] = kept[-1].rstrip(".,;:") or kept[-1]
    return Shortened(" ".join(kept) + ELLIPSIS, cut=True)


@dataclass
class ThemeSection:
    """A theme of the plan page: its commitments, and its table's rows by area as markup
    (``body``, the table's row groups, one per run of actions under one area)."""

    theme: object
    commitments: list
    action_count: int = 0
    body: list = field(default_factory=list)

    @property
    def rows(self) -> Markup:
        # Written by plan_rows, which escapes every value it puts in them.
        return Markup("".join(self.body))  # noqa: S704


@dataclass(frozen=True)
class PlanParts:
    """What the plan page reads of a strategy besides its actions, once per request: its
    themes with their commitments in the plan, its areas, roles and RAG levels (the
    filters offer them and the rows name them)."""

    themes: list
    areas: list
    roles: list
    levels: list


def plan_parts(strategy) -> PlanParts:
    from planboard.plans.models import Commitment

    in_plan = Commitment.objects.filter(retired_on__isnull=True)
    themes = strategy.themes.prefetch_related(Prefetch("commitments", in_plan))
    return PlanParts(
        themes=list(themes),
        areas=list(strategy.areas.all()),
        roles=list(strategy.roles.all()),
        levels=list(strategy.rag_levels.all()),
    )


def plan_sections(
    strategy, parts: PlanParts, actions, today: datetime.date, *, keep_empty=True
) -> list[ThemeSection]:
    """One section per theme with its actions' rows in runs of the same area.

    ``actions`` should be in plan order.
    Themes without actions are left out unless ``keep_empty`` (a filtered plan hides them).
    Each row says whether its action is overdue on ``today`` and the start of its latest
    progress (``shorten``); the rows are read and written by ``plan_rows``.
    """
    rows, leads = read_rows(parts.roles, actions)
    levels = {level.pk: level for level in parts.levels}
    areas = {area.pk: area.name for area in parts.areas}
    themes = parts.themes
    sections = {theme.pk: ThemeSection(theme, list(theme.commitments.all())) for theme in themes}
    numbers = {theme.pk: theme.number for theme in themes}
    prefix, suffix = reverse("action", kwargs={"slug": strategy.slug, "ref": SPARE_REF}).split(
        SPARE_REF
    )
    writer = RowWriter(lambda ref: f"{prefix}{ref}{suffix}", numbers, levels, leads, today)
    run_theme, run_area, run_rows, run_cited = None, object(), [], set()

    def close_run():
        if run_theme is not None:
            body = sections[run_theme].body
            body.append(BODY_OPEN)
            body.append(area_heading(areas.get(run_area), sorted(run_cited)))
            body.extend(run_rows)
            body.append(BODY_CLOSE)

    for row in rows:
        theme_id, area_id = row[THEME_AT], row[AREA_AT]
        if theme_id != run_theme or area_id != run_area:
            close_run()
            run_theme, run_area, run_rows, run_cited = theme_id, area_id, [], set()
        run_cited.update(cited_numbers(row[CITED_AT]))
        run_rows.append(writer.write(row, shorten(row[PROGRESS_AT])))
        sections[theme_id].action_count += 1
    close_run()
    return [s for s in sections.values() if keep_empty or s.action_count]


def plan_structure(strategy, parts: PlanParts) -> dict:
    """What the governance team's "Change the plan" part of the plan page lists: the
    areas (in the order of their names) and the retired actions, in one more query."""
    from planboard.plans.models import Action

    retired = Action.objects.for_strategy(strategy).filter(retired_on__isnull=False)
    return {
        "areas": sorted(parts.areas, key=lambda area: area.name),
        "retired": list(retired.select_related("theme").in_plan_order()),
    }
