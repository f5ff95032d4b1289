"""Corrections to an action: kept within one strategy, and version-checked.

Strategies, RAG scales, themes, commitments, areas and committees are saved and deleted
by ``planboard.people.editing``'s two services, like the key of roles and people; an
action is also checked before it is saved, so its links stay within its strategy and
two people correcting it at once cannot overwrite each other.
"""

from django.db import transaction

from planboard.lib import versions
from planboard.lib.history import update_with_history
from planboard.lib.services import ServiceError, service
from planboard.people.editing import DOING, save_record
from planboard.people.key import roles_of
from planboard.people.permissions import require_governance
from planboard.plans.models import Action
from planboard.plans.rag import match_level

OTHER_STRATEGY = "Choose from the strategy this action's theme belongs to."


class ActionConflict(versions.EditConflict):
    default_message = (
        "Someone else saved this action after you opened it, so your changes were not saved."
    )


def fields_from_other_strategies(action, links: dict) -> list[str]:
    """The fields of ``action`` (and its ``links``) that point into another strategy
    than its theme's."""
    if action.theme_id is None:
        return []
    strategy_id = action.theme.strategy_id
    checks = [
        ("area", [action.area], lambda area: area.strategy_id),
        ("rag_level", [action.rag_level], lambda level: level.strategy_id),
        ("leads", links.get("leads") or [], lambda role: role.strategy_id),
        ("commitments", links.get("commitments") or [], lambda c: c.theme.strategy_id),
    ]
    return [
        field
        for field, values, owner in checks
        if any(value is not None and owner(value) != strategy_id for value in values)
    ]


@service
@transaction.atomic
def save_action(action, *, user, links=None, opened_version=None, changed=()):
    """Save a correction to ``action`` made from a form opened at ``opened_version``.

    A rating chosen from the scale becomes the rating as written; a rating written
    anew is matched against the scale. ``ActionConflict`` when someone saved since.
    """
    require_governance(user, DOING, command_line_ok=True)
    links = links or {}
    wrong = fields_from_other_strategies(action, links)
    if wrong:
        raise ServiceError(OTHER_STRATEGY, wrong[0])
    if action.pk is not None and opened_version is not None:
        versions.claim(Action, opened_version, conflict=ActionConflict, pk=action.pk)
        action.version = opened_version + 1
    if "rag_level" in changed:
        action.rag_text = action.rag_level.label if action.rag_level else ""
    elif "rag_text" in changed:
        action.rag_level = match_level(action.theme.strategy.rag_levels.all(), action.rag_text)
    return save_record(action, user=user, links=links)


@service
@transaction.atomic
def set_action_leads(action, roles, *, version, user) -> Action:
    """Say which roles of the key lead ``action``; the rest of the action is unchanged
    and its leads as written (``lead_text``) are kept as the source wrote them."""
    require_governance(user, "change an action's leads")
    roles = roles_of(action.theme.strategy, roles, "leads")
    versions.claim(Action, version, conflict=ActionConflict, pk=action.pk)
    action = Action.objects.select_related("theme").get(pk=action.pk)
    through = Action.leads.through
    through.objects.filter(action=action).delete()
    through.objects.bulk_create(through(action=action, role=role) for role in roles)
    update_with_history(Action, [action], ["version"], user=user, reason="Leads changed")
    return action
