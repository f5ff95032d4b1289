"""Closing the loop: responses to an item, and the loop's dates kept in step with them.

The loop runs received -> responded -> change planned -> change made, or no change
possible. Each step's date is stored on the item (``responded_at``,
``change_planned_at``, ``change_made_at``, ``no_change_at``) so the time to respond and
to change can be measured with plain queries; ``record_response`` sets them from all of
the item's responses each time one is recorded, so a response recorded twice, late or
out of order leaves the same dates: the first response, and the first claim of each kind.
"""

import datetime

from django.db import transaction

from planboard.feedback.models import TEXT_LIMIT, Change, FeedbackItem, FeedbackResponse
from planboard.feedback.services import SHORT_LIMIT, clean_text
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.people.permissions import require_feedback_rights

LOOP_DATES = ("responded_at", "change_planned_at", "change_made_at", "no_change_at")
CLAIM_DATES = {
    Change.PLANNED: "change_planned_at",
    Change.MADE: "change_made_at",
    Change.NOT_POSSIBLE: "no_change_at",
}


def clean_response(values: dict) -> dict:
    """A response's ``values`` checked and tidied, or a ``ServiceError`` naming the field."""
    responded_at = values.get("responded_at")
    if not isinstance(responded_at, datetime.datetime):
        raise ServiceError("Give the time of the response.", "responded_at")
    change = values.get("change") or Change.NONE
    if change not in Change.values:
        raise ServiceError("Choose what the response says about a change.", "change")
    reason = clean_text(values.get("change_reason"), "change_reason", TEXT_LIMIT)
    if change == Change.NOT_POSSIBLE and not reason:
        raise ServiceError(
            "Say why no change is possible: the person is owed the reason.", "change_reason"
        )
    return {
        "source_id": clean_text(values.get("source_id"), "source_id", SHORT_LIMIT),
        "author": clean_text(values.get("author"), "author", 200),
        "organisation": clean_text(values.get("organisation"), "organisation", 300),
        "responded_at": responded_at,
        "text": clean_text(values.get("text"), "text", TEXT_LIMIT, required=True),
        "change": change,
        "change_reason": reason,
    }


def response_differs(response: FeedbackResponse, clean: dict) -> bool:
    """Whether ``clean`` values (``clean_response``'s) differ from ``response``'s."""
    return any(getattr(response, name) != value for name, value in clean.items())


def loop_dates(responses) -> dict:
    """The loop's dates that ``responses`` give: the first response, and the first
    claim of each kind."""
    dates = dict.fromkeys(LOOP_DATES)
    for response in sorted(responses, key=lambda r: r.responded_at):
        dates["responded_at"] = dates["responded_at"] or response.responded_at
        step = CLAIM_DATES.get(response.change)
        if step and dates[step] is None:
            dates[step] = response.responded_at
    return dates


def keep_loop_in_step(item: FeedbackItem, *, user, reason: str) -> bool:
    """Set ``item``'s loop dates from its responses; True if they changed. Called by
    the services here, inside their transaction, after their permission check."""
    dates = loop_dates(item.responses.all())
    if all(getattr(item, name) == value for name, value in dates.items()):
        return False
    for name, value in dates.items():
        setattr(item, name, value)
    attribute(item, user, reason)
    item.save(update_fields=list(LOOP_DATES))
    return True


@service
@transaction.atomic
def record_response(item: FeedbackItem, *, user, **values) -> tuple[FeedbackResponse, bool]:
    """Record a response to ``item`` (or bring up to date the one with the same source
    id), then the loop's dates; returns the response and whether it was new.

    ``values``: ``source_id``, ``author``, ``organisation``, ``responded_at`` (a time),
    ``text``, ``change`` (a ``Change``) and ``change_reason`` (needed when no change is
    possible).
    """
    require_feedback_rights(user, "record responses to feedback")
    clean = clean_response(values)
    response = None
    if clean["source_id"]:
        response = item.responses.filter(source_id=clean["source_id"]).first()
    created = response is None
    if created:
        response = FeedbackResponse(item=item)
    if created or response_differs(response, clean):
        for name, value in clean.items():
            setattr(response, name, value)
        attribute(response, user, "Response recorded" if created else "Response updated")
        response.save()
    keep_loop_in_step(item, user=user, reason="Loop brought up to date")
    return response, created


@service
@transaction.atomic
def delete_response(response: FeedbackResponse, *, user) -> None:
    """Remove a response recorded by mistake; the loop's dates follow."""
    require_feedback_rights(user, "record responses to feedback")
    item = response.item
    attribute(response, user, "Response removed")
    response.delete()
    keep_loop_in_step(item, user=user, reason="Loop brought up to date")
