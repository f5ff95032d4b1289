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
    every = text.split()
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
class AreaGroup:
    """Consecutive actions of one theme under one area, and the commitments it cites."""

    area: object
    actions: list = field(default_factory=list)

    @property
    def cited(self) -> list[int]:
        numbers = {n for action in self.actions for n in action.cited_commitments or []}
        return sorted(numbers)


@dataclass
class ThemeSection:
    theme: object
    commitments: list
    groups: list[AreaGroup] = field(default_factory=list)

    @property
    def action_count(self) -> int:
        return sum(len(group.actions) for group in self.groups)


def plan_sections(themes, actions, today: datetime.date, *, keep_empty=True) -> list[ThemeSection]:
    """One section per theme with its actions grouped in runs of the same area.

    ``themes`` should have their commitments prefetched and ``actions`` be in plan order.
    Themes without actions are left out unless ``keep_empty`` (a filtered plan hides them).
    Each action gets ``overdue_today`` (overdue on ``today``) and ``latest_progress`` (its
    progress ``shorten``-ed), worked out here rather than by the template.
    """
    sections = {theme.pk: ThemeSection(theme, list(theme.commitments.all())) for theme in themes}
    for action in actions:
        action.overdue_today = action.is_overdue(today)
        action.latest_progress = shorten(action.progress)
        section = sections[action.theme_id]
        if not section.groups or section.groups[-1].area != action.area:
            section.groups.append(AreaGroup(action.area))
        section.groups[-1].actions.append(action)
    return [s for s in sections.values() if keep_empty or s.action_count]


def plan_structure(strategy) -> dict:
    """What the governance team's "Change the plan" part of the plan page lists: the
    areas and the retired actions, in two queries."""
    from planboard.plans.models import Action

    retired = Action.objects.for_strategy(strategy).filter(retired_on__isnull=False)
    return {
        "areas": list(strategy.areas.order_by("name")),
        "retired": list(retired.select_related("theme").in_plan_order()),
    }
