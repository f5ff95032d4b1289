"""Small builders for test data: a strategy with a scale, themes, commitments and actions."""

import datetime
import itertools

from planboard.people.models import Person, Role
from planboard.plans.models import (
    Action,
    ActionStatus,
    Area,
    Commitment,
    DatePrecision,
    Strategy,
    Theme,
)
from planboard.plans.rag import create_scale

_counter = itertools.count(1)


def make_strategy(slug=None, title="Test strategy", **fields):
    """A strategy with the default Green/Amber/Red scale."""
    strategy = Strategy.objects.create(
        slug=slug or f"strategy-{next(_counter)}", title=title, **fields
    )
    create_scale(strategy)
    return strategy


def make_theme(strategy, number=None, title="A theme", commitments=0):
    number = number or strategy.themes.count() + 1
    theme = Theme.objects.create(strategy=strategy, number=number, title=title)
    for n in range(1, commitments + 1):
        Commitment.objects.create(theme=theme, number=n, text=f"We will do thing {n}.")
    return theme


def make_role(strategy, title, abbreviation="", in_key=True):
    return Role.objects.create(
        strategy=strategy, title=title, abbreviation=abbreviation, in_key=in_key
    )


def make_person(strategy, name, roles=(), user=None):
    person = Person.objects.create(strategy=strategy, name=name, user=user)
    person.roles.set(roles)
    return person


def make_action(
    theme,
    text="Do the thing.",
    area=None,
    target=datetime.date(2017, 3, 31),
    precision=DatePrecision.MONTH,
    rating="",
    leads=(),
    commitments=(),
    status=ActionStatus.IN_PROGRESS,
    **fields,
):
    """An action at the end of ``theme``; ``rating`` is matched against the scale."""
    from planboard.plans.rag import match_level

    if isinstance(area, str):
        area, _ = Area.objects.get_or_create(strategy=theme.strategy, name=area)
    action = Action.objects.create(
        theme=theme,
        number=theme.actions.count() + 1,
        area=area,
        text=text,
        target_date=target,
        target_precision=precision,
        original_target_date=target,
        original_target_precision=precision,
        target_text=target.strftime("%b %y") if target else "",
        rag_text=rating,
        rag_level=match_level(theme.strategy.rag_levels.all(), rating),
        status=status,
        cited_commitments=[c.number for c in commitments],
        **fields,
    )
    action.leads.set(leads)
    action.commitments.set(commitments)
    return action


def make_large_plan(slug="large", actions=490, themes=6):
    """A synthetic plan of ``actions`` actions spread over ``themes`` themes."""
    from planboard.plans.synthetic import build_synthetic_plan

    return build_synthetic_plan(slug=slug, actions=actions, themes=themes)
