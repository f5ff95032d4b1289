"""What waits in the moderation queue of a strategy's feedback: the items whose loop is
closed with no "you said, we did" yet, the drafts proposed for approval, and the other
summaries not on the public page."""

from django.db.models import Q

from planboard.feedback.models import FeedbackItem, FeedbackPublication, LoopState
from planboard.web.feedback_forms import loop_filter


def closed_unwritten(strategy):
    """The items whose loop is closed and that have no "you said, we did" yet."""
    closed = Q(change_made_at__isnull=False) | loop_filter(LoopState.NO_CHANGE)
    return FeedbackItem.objects.filter(closed, strategy=strategy, publication__isnull=True)


def awaiting_approval(strategy):
    """The summaries that are not on the public page: never approved, or withdrawn."""
    return FeedbackPublication.objects.filter(item__strategy=strategy).filter(
        Q(approved_at__isnull=True) | Q(withdrawn_at__isnull=False)
    )


PROPOSED = Q(proposed_at__isnull=False, approved_at__isnull=True)


def proposed(strategy):
    """The drafts: proposed by a lead or the governance team, not approved yet (the
    part of ``awaiting_approval`` that is the queue's inflow)."""
    return awaiting_approval(strategy).filter(PROPOSED)


def queue_counts(strategy) -> dict[str, int]:
    """How many items wait in each part of the queue, for the feedback list's header."""
    return {
        "to_write_up": closed_unwritten(strategy).count(),
        "to_approve": awaiting_approval(strategy).count(),
    }
