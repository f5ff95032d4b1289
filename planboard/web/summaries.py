"""Counts shown on the home page: each strategy's actions by RAG level of its own scale.

Each strategy keeps its own scale (RAG, BRAG, Green/Yellow/Red ...), so the counts are
per level of that scale, plus the actions without a rating and those rated with words the
scale does not define. Two queries, however many strategies and actions there are.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from planboard.plans.models import Action, RagLevel, TagColour
from planboard.web.display import NOT_IN_KEY, NOT_RATED


@dataclass(frozen=True)
class RagCount:
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class StrategySummary:
    strategy: object
    total: int
    ratings: list[RagCount]


def strategy_summaries(strategies) -> list[StrategySummary]:
    """Each strategy with its number of actions and their distribution over its scale."""
    strategies = list(strategies)
    ids = [s.pk for s in strategies]
    levels = defaultdict(list)
    for level in RagLevel.objects.filter(strategy_id__in=ids):
        levels[level.strategy_id].append(level)
    counts = defaultdict(dict)
    rows = (
        Action.objects.filter(theme__strategy_id__in=ids, retired_on__isnull=True)
        .values("theme__strategy_id", "rag_level_id")
        .annotate(total=Count("id"), written=Count("id", filter=~Q(rag_text="")))
        .order_by()
    )
    for row in rows:
        counts[row["theme__strategy_id"]][row["rag_level_id"]] = row
    summaries = []
    for strategy in strategies:
        by_level = counts[strategy.pk]
        unrated = by_level.get(None, {"total": 0, "written": 0})
        ratings = [
            RagCount(level.label, level.colour, by_level.get(level.pk, {}).get("total", 0))
            for level in levels[strategy.pk]
        ]
        ratings.append(RagCount(NOT_RATED, TagColour.GREY, unrated["total"] - unrated["written"]))
        ratings.append(RagCount(NOT_IN_KEY, TagColour.WHITE, unrated["written"]))
        total = sum(row["total"] for row in by_level.values())
        summaries.append(StrategySummary(strategy, total, ratings))
    return summaries
