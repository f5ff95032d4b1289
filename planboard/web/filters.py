"""Narrowing a plan's actions to what a reader asked for on the plan page.

The criteria are plain values so that the same filter can serve the page, an export or an
API, and each criterion can be tested without a request. Every criterion is a database
filter, so a filtered plan costs the same number of queries as the whole plan.
"""

import datetime
from dataclasses import dataclass, fields

RAG_NOT_RATED = "not-rated"
RAG_NOT_IN_KEY = "not-in-key"


@dataclass(frozen=True)
class PlanFilter:
    """What the reader asked for; an empty value means "any".

    ``theme`` is a theme's number, ``area`` an area's id, ``lead`` a role's id, ``rag`` a
    level's id as text or one of ``RAG_NOT_RATED`` and ``RAG_NOT_IN_KEY``, ``status`` an
    ``ActionStatus`` value; ``overdue`` keeps only actions overdue on the as-of date.
    """

    theme: int | None = None
    area: int | None = None
    lead: int | None = None
    rag: str = ""
    status: str = ""
    overdue: bool = False

    @property
    def is_active(self) -> bool:
        return any(getattr(self, field.name) not in (None, "", False) for field in fields(self))


def filter_actions(actions, criteria: PlanFilter, as_of: datetime.date):
    """The actions of ``actions`` (an ``ActionQuerySet``) that meet every criterion.

    "Not rated" means no rating at all; "not in key" means a rating was written that the
    strategy's scale does not define (the paper's "Yellow"). Overdue is judged on ``as_of``.
    """
    if criteria.theme is not None:
        actions = actions.filter(theme__number=criteria.theme)
    if criteria.area is not None:
        actions = actions.filter(area_id=criteria.area)
    if criteria.lead is not None:
        actions = actions.filter(leads=criteria.lead)
    if criteria.rag == RAG_NOT_RATED:
        actions = actions.not_rated()
    elif criteria.rag == RAG_NOT_IN_KEY:
        actions = actions.rated_outside_key()
    elif criteria.rag:
        actions = actions.filter(rag_level_id=int(criteria.rag))
    if criteria.status:
        actions = actions.filter(status=criteria.status)
    if criteria.overdue:
        actions = actions.overdue(as_of)
    return actions
