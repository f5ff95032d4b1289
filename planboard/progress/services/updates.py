"""A lead's update on an action: submitted, then returned with a comment or accepted.

No lost work: two people saving the same update at once cannot overwrite each other.
The version read with the form is checked in the UPDATE statement itself
(``planboard.lib.versions.claim``), and the loser gets an ``EditConflict`` carrying the
newer version to show beside their own text.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from planboard.lib import clock, versions
from planboard.lib.history import attribute
from planboard.lib.services import service
from planboard.people.permissions import (
    leads_action,
    own_update,
    require_review_rights,
    require_update_rights,
)
from planboard.plans.models import Action, ActionStatus, DatePrecision, RagLevel, format_target
from planboard.plans.targets import end_of_span
from planboard.progress import notices
from planboard.progress.models import TargetChange, Update, UpdateStatus
from planboard.progress.rules import suggest_for_action
from planboard.progress.services import adjustments
from planboard.progress.services.common import (
    CycleError,
    EditConflict,
    bounded_text,
    lock_period,
)
from planboard.progress.services.periods import current_period

SOMEONE_ELSE_SENT = "Someone else sent an update on this action while you were writing yours."


def clean_narrative(narrative) -> str:
    """The progress narrative as kept: required, and within its limit."""
    return bounded_text(
        narrative,
        Update.NARRATIVE_LIMIT,
        "Progress",
        field="narrative",
        required="Enter the progress made on this action",
    )


def clean_reason(reason) -> str:
    """The reason a target moves, as kept: within its limit (``clean_target_move`` requires
    one when the target really moves)."""
    return bounded_text(reason, Update.REASON_LIMIT, "The reason", field="reason")


def clean_comment(comment, *, returning: bool) -> str:
    """A reviewer's comment, as kept: within its limit, and required to return an update."""
    return bounded_text(
        comment,
        Update.COMMENT_LIMIT,
        "The comment",
        field="comment",
        required="Enter a comment saying what the lead should change" if returning else "",
    )


def check_rating(action, proposed_rag, complete) -> None:
    """A proposed rating must be a level of the action's scale, and one meaning complete
    needs the action marked complete."""
    if proposed_rag is None:
        return
    if not isinstance(proposed_rag, RagLevel):
        raise CycleError("Choose a RAG rating from this strategy's scale", "proposed_rag")
    if proposed_rag.strategy_id != action.theme.strategy_id:
        raise CycleError(
            f'"{proposed_rag.label}" is not a level of this strategy\'s RAG scale.',
            "proposed_rag",
        )
    if proposed_rag.means_complete and not complete:
        raise CycleError(
            f"{proposed_rag.label} means complete: choose another rating, "
            "or tick This action is complete",
            "proposed_rag",
        )


def clean_target_move(action, new_target_date, precision, reason):
    """The new target (the last day of the span given) and its reason, or (None, "") when
    the target does not move; a move needs its reason."""
    if precision not in DatePrecision.values:
        raise CycleError(
            "Give the new target date as a day, a month, a quarter or a year.", "new_target_date"
        )
    reason = clean_reason(reason)
    if new_target_date is not None:
        new_target_date = end_of_span(new_target_date, precision)
    if new_target_date is None or new_target_date == action.target_date:
        return None, ""
    if not reason:
        raise CycleError(reason_needed(action, new_target_date, precision), "reason")
    return new_target_date, reason


def reason_needed(action, new_target_date=None, precision=DatePrecision.MONTH) -> str:
    """What to say when a target moves without a reason (to a date not yet known, on a
    form whose date is still wrong)."""
    if new_target_date is None:
        return "Give the reason the target date changes"
    was = action.target_display or "no target"
    return (
        f"Give the reason the target moves from {was} to "
        f"{format_target(new_target_date, precision)}"
    )


@service
@transaction.atomic
def submit_update(
    action,
    *,
    user,
    narrative,
    proposed_rag=None,
    complete=False,
    new_target_date=None,
    new_target_precision=DatePrecision.MONTH,
    reason="",
    expected_version=None,
    period=None,
    when=None,
):
    """Submit (or resubmit) the update on ``action`` for its strategy's open period.

    ``expected_version`` is the version of the update the form was built from (None
    or 0 for a new update); if someone saved in between, EditConflict is raised.
    ``period``, when a form names one, must be the strategy's open period. An update
    entered by someone who does not lead the action (governance) is marked on_behalf.
    """
    require_update_rights(user, action)
    strategy_id = action.theme.strategy_id
    if period is None:
        period = current_period(strategy_id)
        if period is None:
            raise CycleError("There is no open reporting period to update this action in.")
    period = lock_period(period.pk, strategy_id=strategy_id)
    narrative = clean_narrative(narrative)
    check_rating(action, proposed_rag, complete)
    new_target_date, reason = clean_target_move(
        action, new_target_date, new_target_precision, reason
    )
    fields = {
        "narrative": narrative,
        "proposed_rag": proposed_rag,
        "complete": bool(complete),
        "new_target_date": new_target_date,
        "new_target_precision": new_target_precision if new_target_date else DatePrecision.MONTH,
        "target_change_reason": reason,
        "status": UpdateStatus.SUBMITTED,
        "submitted_by": user,
        "submitted_at": when or clock.now(),
        "on_behalf": not leads_action(user, action),
        "review_comment": "",
        "own_review": False,
    }
    why = "Submitted on the lead's behalf" if fields["on_behalf"] else "Submitted"
    update = Update.objects.filter(action=action, period=period).first()
    if update is None:
        if expected_version:
            raise EditConflict(None, "The update you were editing no longer exists.")
        update = Update(action=action, period=period, **fields)
        attribute(update, user, why)
        try:
            with transaction.atomic():
                update.save()
        except IntegrityError:  # someone created it between our read and our insert
            current = _reread().get(action=action, period=period)
            raise EditConflict(current, SOMEONE_ELSE_SENT) from None
        return update
    if not expected_version:
        raise EditConflict(_reread().get(pk=update.pk), SOMEONE_ELSE_SENT)
    update = _claim(update, expected_version)
    if update.is_accepted:
        raise CycleError(
            f"The update on {action.ref} for {period.label} is already accepted; "
            "ask the governance team to return it if it needs changing."
        )
    if update.is_returned:
        why = "Resubmitted after return" + (" on the lead's behalf" if fields["on_behalf"] else "")
    for name, value in fields.items():
        setattr(update, name, value)
    attribute(update, user, why)
    update.save()
    return update


def _reread():
    return Update.objects.select_related(
        "action__theme", "period", "proposed_rag", "submitted_by", "reviewed_by"
    )


def _claim(update, expected_version):
    """``update`` taken for writing at ``expected_version`` and refreshed in place, so
    nothing stale is written back; else a conflict carrying the newer version."""
    versions.claim(Update, expected_version, conflict=EditConflict, reread=_reread(), pk=update.pk)
    update.refresh_from_db()
    return update


def _take_for_review(update, user, expected_version):
    """``update`` and its period, locked for review at ``expected_version``.

    The update must be waiting, and still one ``user`` may review: the services ask
    the rule before they write, and again here of the row as claimed, so who gave it
    is never taken from a stale copy. ``own_review`` records a review of one's own
    update that the strategy allowed, which the paper's appendix counts.
    """
    period = lock_period(update.period_id)
    update = _claim(update, expected_version)
    if not update.is_waiting:
        raise CycleError(
            f"This update is {update.get_status_display().lower()}, not waiting for review."
        )
    require_review_rights(user, update)
    update.own_review = bool(own_update(user, update))
    return update, period


@service
@transaction.atomic
def return_update(update, *, user, comment, expected_version, when=None):
    """Send an update back to its lead with a comment; they edit and resubmit it.

    The governance team reviews, but not their own update (``require_review_rights``).
    """
    require_review_rights(user, update)
    comment = clean_comment(comment, returning=True)
    update, _period = _take_for_review(update, user, expected_version)
    update.status = UpdateStatus.RETURNED
    update.review_comment = comment
    update.reviewed_by = user
    update.reviewed_at = when or clock.now()
    attribute(update, user, "Returned to the lead")
    update.save()
    notices.update_returned(update, user)
    return update


@service
@transaction.atomic
def accept_update(
    update,
    *,
    user,
    expected_version,
    today=None,
    when=None,
    comment="",
    adjusted_rag=None,
    adjusted_target_date=None,
    adjusted_target_precision=DatePrecision.MONTH,
    adjustment_reason="",
):
    """Accept an update and apply it to its action: progress, RAG, status, target date.

    The action's history records the change as the reviewer's, with the period as the
    reason; a moved target is also a TargetChange row with the lead's reason, and the
    original target is kept. The rating the rules suggest is stored beside the one
    accepted, so a paper can show both where they differ. The governance team
    accepts, but not their own update (``require_review_rights``).

    ``adjusted_rag`` and ``adjusted_target_date``, with their ``adjustment_reason``,
    accept the update with the reviewer's rating or target in place of the lead's
    (``adjustment``); the lead's proposal is kept beside them.
    """
    require_review_rights(user, update)
    comment = clean_comment(comment, returning=False)
    update, period = _take_for_review(update, user, expected_version)
    adjusted = adjusted_rag is not None or adjusted_target_date is not None
    if adjusted:
        adjustments.adjust(
            update,
            adjusted_rag,
            adjusted_target_date,
            adjusted_target_precision,
            adjustment_reason,
            check_rating=check_rating,
            clean_target_move=clean_target_move,
        )
    now = when or clock.now()
    today = today or timezone.localdate(now)
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("theme__strategy")
        .get(pk=update.action_id)
    )
    to_date, to_precision, reason = adjustments.accepted_target(update)
    if to_date is not None and to_date != action.target_date:
        TargetChange.objects.create(
            action=action,
            update=update,
            from_date=action.target_date,
            from_precision=action.target_precision,
            to_date=to_date,
            to_precision=to_precision,
            reason=reason,
            changed_by=user,
            changed_at=now,
        )
        if action.original_target_date is None:
            action.original_target_date = action.target_date
            action.original_target_precision = action.target_precision
        action.target_date = to_date
        action.target_precision = to_precision
        action.target_text = format_target(action.target_date, action.target_precision)
    action.progress = update.narrative
    if update.complete:
        action.status = ActionStatus.COMPLETE
        action.completed_on = action.completed_on or today
    elif action.status == ActionStatus.NOT_STARTED:
        # An accepted update that does not say "complete" leaves a complete action
        # complete: reopening one is a correction to the plan, made in the admin.
        action.status = ActionStatus.IN_PROGRESS
    rating = update.accepted_rag
    if rating is not None:
        action.rag_level = rating
        action.rag_text = rating.label
    action.version += 1  # the row is locked for this transaction
    behalf = " (entered on the lead's behalf)" if update.on_behalf else ""
    changed = ", changed by the reviewer" if adjusted else ""
    attribute(action, user, f"Update for {period.label} accepted{behalf}{changed}")
    action.save()
    update.suggested_rag = suggest_for_action(
        action, action.theme.strategy.rag_levels.all(), today, accepted_this_period=True
    )
    update.status = UpdateStatus.ACCEPTED
    update.reviewed_by = user
    update.reviewed_at = now
    update.review_comment = comment
    attribute(update, user, "Accepted with the reviewer's changes" if adjusted else "Accepted")
    update.save()
    notices.update_accepted(update, user)
    return update


def suggested_rating(action, *, as_of=None, period=None, accepted_this_period=None, levels=None):
    """The level the RAG rules suggest for ``action`` now, for the update form.

    ``accepted_this_period`` and ``levels`` (the strategy's scale), when the caller has
    them, save reading them again.
    """
    strategy = action.theme.strategy
    if accepted_this_period is None:
        period = period or current_period(strategy)
        accepted_this_period = (
            period is not None
            and Update.objects.filter(
                action=action, period=period, status=UpdateStatus.ACCEPTED
            ).exists()
        )
    if levels is None:
        levels = strategy.rag_levels.all()
    return suggest_for_action(action, levels, as_of or clock.today(), accepted_this_period)
