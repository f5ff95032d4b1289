"""The seed plan with a closed quarter: 2016/17 Q3 (October to December 2016)."""

import datetime
import hashlib

import pytest

from planboard.progress.services import close_period, open_period
from tests.progress.cycle import Q3
from tests.shared import shared


@shared
def gail(cast):
    """Gail, of the governance team, who opens and closes the periods."""
    return cast.gail


@shared
def closed_q3(seed_strategy, gail):
    period = open_period(seed_strategy, Q3, user=gail)
    return close_period(period, user=gail)


@shared
def closed_q3_with_exceptions(seed_strategy, gail):
    """Q3 closed after action 1.1 was made overdue and Amber, and action 2.1 Red."""
    from planboard.plans.models import Action, ActionStatus

    period = open_period(seed_strategy, Q3, user=gail)
    actions = Action.objects.for_strategy(seed_strategy).select_related("theme")
    late = actions.get(theme__number=1, number=1)
    late.target_date = datetime.date(2016, 11, 30)
    late.status = ActionStatus.IN_PROGRESS
    late.rag_level = seed_strategy.rag_levels.get(label="Amber")
    late.save()
    red = actions.get(theme__number=2, number=1)
    red.rag_level = seed_strategy.rag_levels.get(label="Red")
    red.save()
    return close_period(period, user=gail)


# What each paper came to in each format, kept for this test process (``written_once``).
_written: dict[tuple, bytes] = {}


@pytest.fixture
def written_once(monkeypatch):
    """Each paper written in each format once per test process, then the same bytes again.

    For tests of what is done with paper files (the pages listing them, whether they are
    out of date), not of writing them. Every format prints only what the ``Paper``
    holds (planboard/papers/freshness.py), so a paper whose fingerprint, format and
    options match one written before comes to what that one came to.
    """
    from planboard.papers import formats
    from planboard.papers.formats import charts
    from planboard.papers.freshness import _digest

    def key(*parts):
        return tuple(
            hashlib.sha256(part).hexdigest() if isinstance(part, bytes) else part for part in parts
        )

    def once(function, name):
        def written(paper, *args, **options):
            found = key(
                name, _digest(paper), *args, *(p for o in sorted(options.items()) for p in o)
            )
            if found not in _written:
                _written[found] = function(paper, *args, **options)
            return _written[found]

        return written

    monkeypatch.setattr(formats, "render", once(formats.render, "render"))
    monkeypatch.setattr(charts, "rag_chart", once(charts.rag_chart, "chart"))
