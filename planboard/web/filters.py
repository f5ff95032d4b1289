"""Narrowing a plan's actions to what a reader asked for on the plan page.

The criteria are plain values so that the same filter can serve the page, an export or an
API, and each criterion can be tested without a request. Every criterion is a database
filter, so a filtered plan costs the same number of queries as the whole plan.

The search matches an action by its ref, exactly or as the start of it ("1" or "1." is
every action of theme 1, "1.2" is action 1.2; the same for the ref the tracker writes,
"A12" or "1.2.3"), or by words: every word of the search is somewhere in the action's
text or its latest progress, in any order, whatever the case.
"""

import datetime
import re
from dataclasses import dataclass, fields

from django.db.models import Q

RAG_NOT_RATED = "not-rated"
RAG_NOT_IN_KEY = "not-in-key"


@dataclass(frozen=True)
class PlanFilter:
    """What the reader asked for; an empty value means "any".

    ``theme`` is a theme's number, ``area`` an area's id, ``lead`` a role's id, ``rag`` a
    level's id as text or one of ``RAG_NOT_RATED`` and ``RAG_NOT_IN_KEY``, ``status`` an
    ``ActionStatus`` value; ``overdue`` keeps only actions overdue on the as-of date;
    ``search`` is what the reader typed in the search box.
    """

    search: str = ""
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
    if criteria.search.strip():
        actions = actions.filter(search_condition(criteria.search))
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


PLANBOARD_REF = re.compile(r"(\d{1,5})(?:\.(\d{0,5}))?")


def search_condition(search: str) -> Q:
    """The condition an action meets when ``search`` finds it: by ref, or by its words."""
    words = search.split()
    by_words = Q()
    for word in words:
        by_words &= Q(text__icontains=word) | Q(progress__icontains=word)
    return ref_condition(" ".join(words)) | by_words


def ref_condition(term: str) -> Q:
    """The actions whose ref is ``term`` or starts with ``term`` and a dot, in planboard's
    own refs ("1.2") and in the refs the tracker wrote ("A12", "1.2.3")."""
    stem = term.rstrip(".")
    if not stem or " " in stem:
        return Q(pk__in=[])
    written = Q(ref_as_written__iexact=stem) | Q(ref_as_written__istartswith=f"{stem}.")
    own = PLANBOARD_REF.fullmatch(term)
    if own is None:
        return written
    theme, number = own.groups()
    if number:
        return written | Q(theme__number=int(theme), number=int(number))
    return written | Q(theme__number=int(theme))
