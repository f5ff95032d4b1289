"""The three access groups, and setting them up.

planboard grants access through Django groups rather than per-user permissions, so
that giving someone a job in the governance cycle is one tick in the admin.

- **Governance** (the governance team, for example the Head of Clinical Governance):
  every permission on strategies, plans, people and papers. They set up strategies,
  correct the plan, chase and review updates and produce the papers. Their accounts
  are staff accounts, so they can also use the admin.
- **Lead** (action leads: engagement managers, heads of service, directors): may see
  every plan. Their own actions are found through the person in the plan's key that
  their account is linked to (``Person.user``), and they give those actions' updates.
- **Board member** (committee and board members): read only. They read plans,
  findings and papers and change nothing, except the updates of any actions they lead:
  leading an action is one rule whatever the group (``permissions.leads_action``).

A superuser passes every check, as everywhere in Django. The rules that read these
groups ("who governs", "who leads", "who reads") are in ``planboard.people.permissions``.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

GOVERNANCE = "Governance"
LEAD = "Lead"
BOARD_MEMBER = "Board member"

GROUPS = (GOVERNANCE, LEAD, BOARD_MEMBER)

# The apps that hold plan data; groups get permissions on every model of these,
# including the history tables, so a model added later is covered by re-running
# ensure_groups() (``planboard demo`` does).
PLAN_APPS = ("plans", "people", "progress", "papers", "public", "feedback", "engagement")


def _permissions(view_only: bool):
    permissions = Permission.objects.filter(content_type__app_label__in=PLAN_APPS)
    if view_only:
        permissions = permissions.filter(codename__startswith="view_")
    return list(permissions)


@transaction.atomic
def ensure_groups() -> list[str]:
    """Create the access groups if missing and give each exactly its permissions.

    Safe to run again: groups are never duplicated, and their permissions are reset
    to the ones described above. Returns the names of the groups it created.
    """
    created = []
    all_permissions = _permissions(view_only=False)
    view_permissions = _permissions(view_only=True)
    for name, permissions in (
        (GOVERNANCE, all_permissions),
        (LEAD, view_permissions),
        (BOARD_MEMBER, view_permissions),
    ):
        group, was_created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        if was_created:
            created.append(name)
    return created
