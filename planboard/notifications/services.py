"""Telling people what happened: ``notify`` writes the e-mails, the rest are choices.

``notify`` is called by the service in which the event happens, inside its
transaction: the rows and their tasks are written with the event or not at all. An
e-mail a person has turned off (``TurnedOff``) is still written, marked "turned off",
so their "Your e-mails" page says it was not sent; it gets no task.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from planboard.lib.services import ServiceError, service
from planboard.lib.site import site_link
from planboard.lib.users import display_name
from planboard.notifications.models import OPTIONAL, Kind, Notification, Status, TurnedOff
from planboard.notifications.sending import queue
from planboard.people.permissions import (
    planboard_itself,
    require_governance,
    require_own_settings,
)
from planboard.people.recipients import address_of

NOT_OPTIONAL = "Choose only from the e-mails listed: the others cannot be turned off."
NOT_FAILED = "This e-mail has not failed, so there is nothing to send again."


@dataclass(frozen=True)
class Recipient:
    """Someone to write to: an account's user, or only an address (no account)."""

    address: str
    user: object = None
    name: str = ""
    context: dict = field(default_factory=dict, hash=False)


def to_users(users: Iterable, in_key: dict | None = None, context=None) -> list[Recipient]:
    """Recipients for ``users``, at their own address or the plan key's (``in_key``).

    ``context``, when given, is called with each user for what their message alone says.
    """
    return [
        Recipient(
            address_of(user, in_key or {}),
            user,
            user.first_name or display_name(user),
            context(user) if context else {},
        )
        for user in users
    ]


@service
@transaction.atomic
def notify(kind, event: str, recipients: Iterable[Recipient], *, subject, link, context=None):
    """Write one e-mail of ``kind`` about ``event`` to each recipient with an address and
    queue its sending; return the rows written. An address already told of ``event``
    is not told again."""
    planboard_itself("tell people by e-mail what happened")
    kind = Kind(kind)
    recipients = [r for r in recipients if r.address.strip()]
    turned_off = set()
    if kind in OPTIONAL:
        users = [r.user.pk for r in recipients if r.user is not None]
        turned_off = set(
            TurnedOff.objects.filter(kind=kind, user_id__in=users).values_list("user_id", flat=True)
        )
    written, seen = [], set()
    for recipient in recipients:
        address = recipient.address.strip()
        if address.casefold() in seen:
            continue
        seen.add(address.casefold())
        values = {
            **(context or {}),
            **recipient.context,
            "name": recipient.name,
            "link": link,
            "choices": site_link("my_emails"),
        }
        off = recipient.user is not None and recipient.user.pk in turned_off
        row = Notification(
            kind=kind,
            event=event[:200],
            recipient=recipient.user,
            address=address,
            subject=" ".join(subject.split())[:300],
            body=render_to_string(f"notifications/email/{kind}.txt", values),
            html=render_to_string(f"notifications/email/{kind}.html", values),
            link=link,
            status=Status.TURNED_OFF if off else Status.QUEUED,
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # this address was told of this event already
            continue
        if not off:
            queue(row)
        written.append(row)
    return written


def failed_count() -> int:
    """How many e-mails could not be sent (or may not have been), in one query."""
    return Notification.objects.filter(status=Status.FAILED).count()


def turned_off_kinds(user) -> set[str]:
    return set(TurnedOff.objects.filter(user=user).values_list("kind", flat=True))


def clean_receive(values) -> set[str]:
    """The optional kinds ticked to be received; refuses a kind that is not optional."""
    chosen = set(values or ())
    unknown = chosen - {kind.value for kind in OPTIONAL}
    if unknown:
        raise ServiceError(NOT_OPTIONAL, "receive")
    return chosen


@service
@transaction.atomic
def save_choices(account, *, receive, user):
    """Keep the optional e-mails ``account`` ticked to receive; turn the others off."""
    require_own_settings(user, account)
    receive = clean_receive(receive)
    off = {kind.value for kind in OPTIONAL} - receive
    TurnedOff.objects.filter(user=account).exclude(kind__in=off).delete()
    kept = turned_off_kinds(account)
    TurnedOff.objects.bulk_create(
        TurnedOff(user=account, kind=kind, turned_off_at=timezone.now())
        for kind in sorted(off - kept)
    )


@service
@transaction.atomic
def send_again(notification, *, user):
    """Queue a failed e-mail for a new round of tries."""
    require_governance(user, "send e-mails again")
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status != Status.FAILED:
        raise ServiceError(NOT_FAILED)
    locked.status = Status.QUEUED
    locked.attempts = 0
    locked.next_try_at = None
    locked.claimed_at = None
    locked.save(update_fields=["status", "attempts", "next_try_at", "claimed_at"])
    queue(locked)
    return locked
