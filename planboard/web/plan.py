"""The plan laid out as the paper lays it out: theme, commitments, then a table by area.

In the paper each theme's implementation table is a run of rows under an area cell
("SUSEG 1,2,3,6,7,10, 12") that names the commitments the rows serve. The page rebuilds
those runs from the actions in plan order, so a filtered plan keeps the same shape.
"""

from dataclasses import dataclass, field


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


def plan_sections(themes, actions, *, keep_empty=True) -> list[ThemeSection]:
    """One section per theme with its actions grouped in runs of the same area.

    ``themes`` should have their commitments prefetched and ``actions`` be in plan order.
    Themes without actions are left out unless ``keep_empty`` (a filtered plan hides them).
    """
    sections = {theme.pk: ThemeSection(theme, list(theme.commitments.all())) for theme in themes}
    for action in actions:
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
