"""Who is told about what: the leads of actions, the governance team, and where to write.

The reminders (``planboard.progress.reminders``) and the notifications
(``planboard.notifications``) ask the same questions of the plan's key, so they are
answered once here.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from planboard.lib.users import display_name
from planboard.people.access import GOVERNANCE
from planboard.people.models import Person
from planboard.people.permissions import lead_accounts


def leads_by_user(strategy, actions) -> tuple[dict, list]:
    """Group ``actions`` by the accounts that lead them (``permissions.leads_action``).

    Returns ``{user: [actions in the order given]}``, sorted by name, and the actions
    nobody can be told about (no lead role, or no one holding it has an account). The
    actions' ``leads`` should be prefetched.
    """
    holders = lead_accounts(strategy)
    by_user, unreachable = {}, []
    for action in actions:
        users = {user for role in action.leads.all() for user in holders.get(role.pk, ())}
        if not users:
            unreachable.append(action)
        for user in users:
            by_user.setdefault(user, []).append(action)
    return dict(sorted(by_user.items(), key=lambda item: display_name(item[0]))), unreachable


def governance_users():
    """Active members of the Governance group and active superusers, as ``is_governance``."""
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | Q(groups__name=GOVERNANCE)).distinct()


def addresses(strategy) -> dict:
    """``{user id: address}`` from the plan's key, for accounts with no address of their own."""
    people = Person.objects.filter(strategy=strategy, user__isnull=False).exclude(email="")
    return dict(people.order_by("-pk").values_list("user_id", "email"))


def address_of(user, in_key: dict) -> str:
    """The address to write to ``user`` at: their account's, else the key's, else ""."""
    return user.email or in_key.get(user.pk, "")
