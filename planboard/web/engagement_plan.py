"""The engagement inside the plan: the activities serving an action, and how many
serve each commitment (directly or through its actions, as the map counts them).

Each is read in a fixed number of queries, however many activities there are; a page
with no activities shows nothing of them.
"""

from collections import Counter

from planboard.engagement import mapping
from planboard.engagement.models import Activity, Level


def activities_serving(action) -> list:
    """The activities naming ``action``, newest first, each with its level's tag colour
    (one query)."""
    found = list(Activity.objects.filter(actions=action).order_by("-starts_on", "title", "pk"))
    for activity in found:
        activity.level_colour = Level(activity.level).colour
    return found


def activities_per_commitment(strategy) -> dict[int, int]:
    """``{commitment id: how many activities serve it}`` (four queries, one when the
    strategy has no activities)."""
    kept = list(Activity.objects.filter(strategy=strategy).values("id"))
    if not kept:
        return {}
    _, served = mapping.commitment_columns(strategy, kept)
    return dict(Counter(pk for found in served.values() for pk in found))
