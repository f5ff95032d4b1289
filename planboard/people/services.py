"""Changes to the key of roles and people that are not corrections in the admin."""

from django.db import transaction

from planboard.lib.history import attribute
from planboard.lib.services import service
from planboard.people.permissions import require_governance


@service
@transaction.atomic
def link_account(person, account, *, user):
    """Link ``account`` to ``person`` in a plan's key, so the actions that person leads
    are the account's to update. ``user`` None is the command line."""
    require_governance(user, "link accounts to people in a plan's key", command_line_ok=True)
    person.user = account
    person.version += 1  # a page open on the person then knows it has moved on
    attribute(person, user, "Account linked")
    person.save(update_fields=["user", "version"])
    return person
