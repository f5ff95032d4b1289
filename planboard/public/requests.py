"""Requests for a strategy's progress in another format: sent by anyone, answered by
the governance team.

A request holds a member of the public's name and contact details, so it is shown only
to the governance team; its history records when and by whom it was answered, never
the personal details themselves.
"""

from django.db import transaction

from planboard.lib import clock
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.people.permissions import open_to_anyone, require_governance
from planboard.public import notices, throttle
from planboard.public.models import InformationRequest, RequestedFormat

DETAILS_LIMIT = 2000


class RequestError(ServiceError):
    """A request for another format the rules refuse, naming the field."""


class TooManyRequests(RequestError):
    """The address has sent as many requests as it may this hour."""


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _bounded(value, field: str, *, limit: int, required: str, too_long: str) -> str:
    value = _text(value)
    if required and not value:
        raise RequestError(required, field)
    if len(value) > limit:
        raise RequestError(too_long, field)
    return value


def clean_format(value) -> str:
    if not value:
        raise RequestError("Choose the format you need", "format")
    if value not in RequestedFormat.values:
        raise RequestError("Choose one of the formats listed", "format")
    return value


def clean_language(format_asked, language) -> str:
    """The language asked for: needed when the format is another language."""
    required = "Enter the language you need" if format_asked == RequestedFormat.LANGUAGE else ""
    limit = InformationRequest._meta.get_field("language").max_length
    return _bounded(
        language,
        "language",
        limit=limit,
        required=required,
        too_long=f"The language must be {limit} characters or fewer",
    )


def clean_name(name) -> str:
    limit = InformationRequest._meta.get_field("name").max_length
    return _bounded(
        name,
        "name",
        limit=limit,
        required="Enter your name",
        too_long=f"Your name must be {limit} characters or fewer",
    )


def clean_contact(contact) -> str:
    limit = InformationRequest._meta.get_field("contact").max_length
    return _bounded(
        contact,
        "contact",
        limit=limit,
        required="Enter an email address, phone number or postal address",
        too_long=f"Your contact details must be {limit} characters or fewer",
    )


def clean_details(details) -> str:
    return _bounded(
        details,
        "details",
        limit=DETAILS_LIMIT,
        required="",
        too_long=f"What you need must be {DETAILS_LIMIT} characters or fewer",
    )


@service
@transaction.atomic
def send_request(
    strategy, *, format, language="", details="", name, contact, when=None, address=None
):
    """Record someone's request for ``strategy``'s progress in another format.

    A request sent from the web gives the client's ``address``: it is counted against
    the hourly limit, and refused with ``TooManyRequests`` past it.
    """
    open_to_anyone("ask for the public page in another format")
    format = clean_format(format)
    request = InformationRequest(
        strategy=strategy,
        format=format,
        language=clean_language(format, language) if format == RequestedFormat.LANGUAGE else "",
        details=clean_details(details),
        name=clean_name(name),
        contact=clean_contact(contact),
        received_at=when or clock.now(),
    )
    if address is not None and not throttle.take_place(address):
        raise TooManyRequests(throttle.TOO_MANY_REQUESTS)
    attribute(request, None, "Request received")
    request.save()
    notices.request_received(request)
    return request


@service
@transaction.atomic
def answer_request(request, *, user, when=None) -> bool:
    """Mark ``request`` answered; False when someone had already marked it."""
    require_governance(user, "answer requests for other formats")
    locked = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.answered_at is not None:
        return False
    locked.answered_at = when or clock.now()
    locked.answered_by = user
    attribute(locked, user, "Marked as answered")
    locked.save()
    notices.request_answered(locked)
    request.answered_at, request.answered_by = locked.answered_at, locked.answered_by
    return True


@service
@transaction.atomic
def forget_request(request, *, user) -> None:
    """Delete a request, to honour someone's wish to be forgotten."""
    require_governance(user, "delete requests for other formats")
    attribute(request, user, "Deleted")
    request.delete()
