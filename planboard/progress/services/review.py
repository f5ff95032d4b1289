"""Accepting several updates at once: all of them, or none.

The reviewer ticks the updates they have read and accepts them together. Each is
accepted by ``accept_update``, with its own permission check and version check, in one
transaction: if any one cannot be accepted (the reviewer's own, changed since the page
was read, no longer waiting), nothing is, and the refusal names its action.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from planboard.lib.services import service
from planboard.people.permissions import require_governance
from planboard.progress.models import Update
from planboard.progress.services.common import CycleError, EditConflict
from planboard.progress.services.updates import accept_update

CHANGED = "the update changed while you were reading it. Read it again below, then decide."


# The words planboard's own messages start with, lowered after "Action 1.9: "; any
# other first word (a RAG level's label, a period's, a person's name) is kept as written.
OPENING_WORDS = frozenset(
    "A An Choose Enter Give Leave Only Read Select Someone That The This You".split()
)


def naming(ref: str, message: str) -> str:
    """``message`` as said about action ``ref``: "Action 1.9: enter a comment ..."."""
    message = str(message)
    first = message.split(" ", 1)[0]
    if first in OPENING_WORDS:
        message = first.lower() + message[len(first) :]
    return f"Action {ref}: {message}"


@service
@transaction.atomic
def accept_updates(period, chosen, *, user, today=None, when=None):
    """Accept every update of ``period`` named in ``chosen`` (update id to the version
    the reviewer read), or none; returns them accepted, in plan order.

    A CycleError about the field ``selected`` names the first action refused.
    """
    require_governance(user, "review updates")
    if not chosen:
        raise CycleError("Select the updates you want to accept", "selected")
    updates = list(
        Update.objects.filter(pk__in=list(chosen), period=period).select_related(
            "action__theme", "period"
        )
    )
    if len(updates) != len(chosen):
        raise CycleError(
            f"An update you selected is not one of {period.label}'s. Open the queue again.",
            "selected",
        )
    accepted = []
    for update in updates:
        ref = update.action.ref
        try:
            accepted.append(
                accept_update(
                    update, user=user, expected_version=chosen[update.pk], today=today, when=when
                )
            )
        except EditConflict as conflict:
            raise CycleError(naming(ref, CHANGED), "selected") from conflict
        except (CycleError, PermissionDenied) as refusal:
            raise CycleError(naming(ref, refusal), "selected") from refusal
    return accepted
