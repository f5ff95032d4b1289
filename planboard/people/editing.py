"""Corrections to a plan's records and its key of roles and people, saved as a whole.

The governance team makes them in the admin today. Every save and delete of a plan's
records goes through these two services (``planboard.lib.admin`` routes the admin's
there), so each asks the same permission and records who made the change;
``planboard.plans.editing`` adds the checks an action needs before it saves one.
"""

from django.db import transaction

from planboard.lib.history import attribute
from planboard.lib.services import service
from planboard.people.permissions import require_governance

DOING = "change plans"
# Records planboard's own pages edit with a version; a save here moves it on too.
VERSIONED = {"people.Role", "people.Person", "plans.RagLevel"}


@service
@transaction.atomic
def save_record(instance, *, user, links=None, reason=""):
    """Save a plan record (and its many-to-many ``links``) as ``user`` corrected it."""
    require_governance(user, DOING, command_line_ok=True)
    verb = "Added" if instance._state.adding else "Changed"
    if not instance._state.adding and instance._meta.label in VERSIONED:
        instance.version += 1  # a page open on the record then knows it has moved on
    attribute(instance, user, reason or f"{verb} in the admin")
    instance.save()
    for name, chosen in (links or {}).items():
        getattr(instance, name).set(chosen)
    return instance


@service
@transaction.atomic
def delete_record(instance, *, user):
    """Delete a plan record (and what it owns), as ``user`` decided."""
    require_governance(user, DOING, command_line_ok=True)
    attribute(instance, user, "Deleted in the admin")
    instance.delete()
