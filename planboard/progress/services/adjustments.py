"""A reviewer's change to an update as they accept it: another rating or target date.

The lead's proposal is kept as sent (``proposed_rag``, ``new_target_date``); the
reviewer's rating and target are kept beside it with their reason, so the action's page
and the update's history show both. The checks are the lead's own (``check_rating``,
``clean_target_move``), so a reviewer can accept nothing a lead could not propose.
"""

from planboard.plans.models import DatePrecision
from planboard.plans.targets import end_of_span
from planboard.progress.models import Update
from planboard.progress.services.common import CycleError, bounded_text

REASON_NEEDED = "Give the reason you changed the lead's rating or target date"
NOTHING_CHANGED = (
    "Choose a rating or target date different from the lead's, or accept the update as it is"
)


def clean_adjustment_reason(reason) -> str:
    """The reason for a reviewer's change, as kept: required, and within its limit."""
    return bounded_text(
        reason,
        Update.REASON_LIMIT,
        "The reason",
        field="adjustment_reason",
        required=REASON_NEEDED,
    )


def adjust(update, rating, target_date, precision, reason, *, check_rating, clean_target_move):
    """Set the reviewer's ``rating`` and target on ``update`` (not saved), after checking
    them as a lead's would be; a choice equal to the lead's own is no change."""
    action = update.action
    if rating is not None:
        check_rating(action, rating, update.complete)
        if rating.pk == update.proposed_rag_id:
            rating = None
    if target_date is not None:
        if precision not in DatePrecision.values:
            raise CycleError(
                "Give the new target date as a day, a month, a quarter or a year.",
                "adjusted_target_date",
            )
        target_date = end_of_span(target_date, precision)
        proposed = update.new_target_date or action.target_date
        if target_date == proposed:
            target_date = None
    if rating is None and target_date is None:
        raise CycleError(NOTHING_CHANGED, "adjusted_rag")
    reason = clean_adjustment_reason(reason)
    if target_date is not None and target_date != action.target_date:
        # A move of the action's target: the same check as a lead's move.
        clean_target_move(action, target_date, precision, reason)
    update.adjusted_rag = rating
    update.adjusted_target_date = target_date
    update.adjusted_target_precision = precision if target_date else DatePrecision.MONTH
    update.adjustment_reason = reason


def accepted_target(update):
    """The target an accepted update sets, its precision and the reason it moves: the
    reviewer's where they changed it, else the lead's."""
    if update.adjusted_target_date is not None:
        return (
            update.adjusted_target_date,
            update.adjusted_target_precision,
            update.adjustment_reason,
        )
    return update.new_target_date, update.new_target_precision, update.target_change_reason
