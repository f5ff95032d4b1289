"""The e-mails a request for another format sends (``planboard.notifications``): to the
governance team when it arrives, and to the person who asked when it is answered, if
the contact they gave is an e-mail address.

The e-mails hold no one's name or contact details beyond the answer's own addressee:
the request is read on the requests page, shown only to the governance team.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from planboard.lib.site import site_link
from planboard.notifications.models import Kind
from planboard.notifications.services import Recipient, notify, to_users
from planboard.people.recipients import addresses, governance_users


def _about(request) -> dict:
    return {"strategy": request.strategy.title, "format": request.format_display}


def request_received(request) -> list:
    """Tell the governance team a request for another format has arrived."""
    strategy = request.strategy
    governors = governance_users().order_by("last_name", "first_name", "username")
    return notify(
        Kind.REQUEST_RECEIVED,
        f"request-received:{request.pk}",
        to_users(governors, addresses(strategy)),
        subject=f"A request for the {strategy.title} in another format",
        link=site_link("public_requests", slug=strategy.slug),
        context=_about(request),
    )


def email_address(contact: str) -> str:
    """``contact`` when it is one e-mail address, else ""."""
    contact = contact.strip()
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


def request_answered(request) -> list:
    """Tell the person who asked that their request is answered, if they gave an e-mail."""
    address = email_address(request.contact)
    if not address:
        return []
    strategy = request.strategy
    return notify(
        Kind.REQUEST_ANSWERED,
        f"request-answered:{request.pk}",
        [Recipient(address, None, request.name)],
        subject=f"Your request for the {strategy.title} in another format",
        link=site_link("public_strategy", slug=strategy.slug),
        context=_about(request),
    )
