"""The feedback inside the plan: the items behind an action, and the items that served
each commitment (linked to it directly or through the actions that serve it).

Each reads what it shows in a fixed number of queries, however many items are linked.
Every signed-in reader sees the section; only those who may read the strategy's
feedback (``may_read_feedback``) get the links to the items' pages.
"""

from django.db.models import Prefetch
from django.utils import timezone

from planboard.feedback.models import FeedbackItem, LoopState
from planboard.plans.models import Action


def _shown_items(items):
    """``items`` with their services and publication, each marked with its date, loop
    state in words and published "you said, we did" (or ``None``)."""
    items = items.select_related("publication").prefetch_related(
        Prefetch("services", to_attr="service_list")
    )
    labels = dict(LoopState.choices)
    shown = []
    for item in items:
        reached = item.published_at or item.received_at
        item.reached_on = timezone.localtime(reached).date()
        item.loop_words = labels[item.loop_state]
        publication = getattr(item, "publication", None)
        item.published = publication if publication and publication.is_published else None
        shown.append(item)
    return shown


def feedback_behind(action) -> list:
    """The items linked to ``action``, newest first."""
    return _shown_items(FeedbackItem.objects.filter(actions=action))


def feedback_serving(strategy) -> dict[int, list]:
    """``{commitment id: the items that served it}``: linked to the commitment, or to an
    action that serves it, each item once, newest first."""
    wanted: dict[int, set[int]] = {}
    direct = FeedbackItem.commitments.through.objects.filter(
        feedbackitem__strategy=strategy
    ).values_list("commitment_id", "feedbackitem_id")
    for commitment_id, item_id in direct:
        wanted.setdefault(commitment_id, set()).add(item_id)
    behind: dict[int, set[int]] = {}
    through_actions = FeedbackItem.actions.through.objects.filter(
        feedbackitem__strategy=strategy
    ).values_list("action_id", "feedbackitem_id")
    for action_id, item_id in through_actions:
        behind.setdefault(action_id, set()).add(item_id)
    if behind:
        served = Action.commitments.through.objects.filter(action_id__in=behind).values_list(
            "commitment_id", "action_id"
        )
        for commitment_id, action_id in served:
            wanted.setdefault(commitment_id, set()).update(behind[action_id])
    every = set().union(*wanted.values()) if wanted else set()
    if not every:
        return {}
    items = {item.pk: item for item in _shown_items(FeedbackItem.objects.filter(pk__in=every))}
    order = {pk: index for index, pk in enumerate(items)}
    return {
        commitment_id: [items[pk] for pk in sorted(ids, key=order.__getitem__)]
        for commitment_id, ids in wanted.items()
    }
