"""Who may do what: every "who may" rule of planboard, in one place.

Three questions decide everything (the access groups are set up in
``planboard.people.access``):

- **who governs**: an active member of the Governance group (or an active superuser).
  The governance team sets up and changes strategies and plans, runs reporting
  periods, reviews updates, edits cover sheets, asks for paper files, imports, and
  decides what the public page shows.
- **who leads**: an active account linked to a person in a plan's key who holds one of
  an action's lead roles (``leads_action``; ``actions_led_by`` and ``lead_accounts`` ask
  the same of many actions at once). One rule, whatever the account's group: whoever
  leads an action may give its update, finds it in "My actions", is reminded about it
  and is counted for it, so a board member who leads actions (a director) updates
  them too, and an account in no group that is linked to a lead role likewise. The
  Lead group says what someone's job is and lets them read; it grants no action by
  itself. Governance may give any update, on the lead's behalf.
- **who reviews an update**: the governance team, but not their own update (one they
  gave, or one given on their behalf): a second member of the governance team must,
  unless the strategy allows its small team to (``own_update_refusal``).
- **who reads**: every active, signed-in account reads every plan, finding and paper
  (Django's ``LoginRequiredMiddleware`` asks it of every page). The public pages are
  for anyone, signed in or not, and say so with ``login_not_required``.

The ``is_``/``may_`` functions answer a question; the ``require_`` functions refuse
with ``PermissionDenied`` and a one-sentence reason, and are what the services
(``planboard.lib.services``) call before they write. ``user=None`` is the command
line: only someone with a shell on the server can run a command, and a rule says
whether it lets the command line through.
"""

from django.core.exceptions import PermissionDenied

from planboard.lib.services import permission_asked
from planboard.people.access import GOVERNANCE, LEAD
from planboard.people.models import Person, Role

COMMAND_LINE = None


def is_active(user) -> bool:
    """A signed-in account that has not been switched off."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def in_group(user, name: str) -> bool:
    """True for an active user in the group ``name``, and for any active superuser."""
    if not is_active(user):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=name).exists()


def is_governance(user) -> bool:
    """Governs: may set up and change strategies, plans, people, papers, the public page."""
    return in_group(user, GOVERNANCE)


def is_lead(user) -> bool:
    """In the Lead group. Who may update an action is ``leads_action``, whatever the group."""
    return in_group(user, LEAD)


def may_send_files(user) -> bool:
    """May send planboard a file (a table to import, a Word template for papers): the
    governance team, the only people any page takes a file from. Asked of a request
    that could carry one before its body is read (``planboard.web.request_limits``)."""
    return is_governance(user)


def roles_held(user, strategy=None) -> set[int]:
    """Ids of the roles (of ``strategy``, or of every strategy) held by the people
    linked to ``user``; none for an account that is not active."""
    if not is_active(user):
        return set()
    roles = Role.objects.filter(people__user=user)
    if strategy is not None:
        roles = roles.filter(strategy=strategy)
    return set(roles.values_list("pk", flat=True))


def leads_action(user, action, held: set[int] | None = None) -> bool:
    """Who leads: True when ``user`` (active) is linked to a person in the key who holds
    one of the action's lead roles, whatever the account's group. ``held`` (from
    ``roles_held``), when a page already has it and the action's leads are prefetched,
    saves the queries."""
    if held is None:
        held = roles_held(user, action.theme.strategy_id)
        return bool(held) and action.leads.filter(pk__in=held).exists()
    return bool(held) and any(role.pk in held for role in action.leads.all())


def actions_led_by(user):
    """``leads_action`` for every action at once: the ids of the actions ``user`` leads,
    as a subquery for ``Action.objects.filter(pk__in=...)``.

    Roles first, then the actions through the link table: one join at a time. A single
    five-table join can get a nested-loop plan on PostgreSQL tables without statistics
    (fresh or just bulk-loaded) that takes minutes on a few hundred actions.
    """
    links = Role.actions.through.objects
    return links.filter(role_id__in=sorted(roles_held(user))).values("action_id")


def lead_accounts(strategy) -> dict[int, set]:
    """``leads_action`` for every role of ``strategy`` at once: ``{role id: the active
    accounts linked to people holding it}``, in two queries."""
    people = Person.objects.filter(strategy=strategy, user__isnull=False, user__is_active=True)
    holders: dict[int, set] = {}
    for person in people.select_related("user").prefetch_related("roles"):
        for role in person.roles.all():
            holders.setdefault(role.pk, set()).add(person.user)
    return holders


def may_update(user, action) -> bool:
    """Whoever leads the action (``leads_action``) may update it; governance may update any."""
    return is_governance(user) or leads_action(user, action)


def may_read_feedback(user, strategy) -> bool:
    """Who reads a strategy's feedback items (what was said, the responses, where the
    loop stands): the governance team, and whoever leads an action of the strategy
    (``leads_action`` for any of its actions), who links the feedback behind the
    changes they make. The source's staff-only fields are shown to them too; nothing
    of an item reaches a public page unless it is published."""
    if is_governance(user):
        return True
    held = roles_held(user, strategy.pk)
    return bool(held) and Role.actions.through.objects.filter(role_id__in=held).exists()


def own_update(user, update, held: set[int] | None = None) -> str:
    """How ``update`` is ``user``'s own, as the start of a sentence, or "" when it is not.

    An update is someone's own when they gave it, or when the governance team gave it
    on its leads' behalf and they hold one of the action's lead roles (a deputy typing
    the lead's report in does not make it anyone else's). An update a fellow lead gave
    in their own name is not: reviewing it is the second pair of eyes. ``held`` (from
    ``roles_held``), when a page already has it, saves asking for each update.
    """
    if not is_active(user):
        return ""
    if update.submitted_by_id == user.pk:
        return "You gave this update"
    if not update.on_behalf:
        return ""
    action = update.action
    if leads_action(user, action, held):
        return f"This update was given on your behalf, as a lead of action {action.ref}"
    return ""


def own_update_refusal(user, update, held: set[int] | None = None) -> str:
    """Why a member of the governance team may not accept or return ``update``, in one
    sentence, or "" when they may: it is their own (``own_update``), and the strategy
    does not allow its team to review their own updates (``Strategy.allow_own_review``,
    for a team too small for a second reviewer)."""
    own = own_update(user, update, held)
    if own and not update.action.theme.strategy.allow_own_review:
        return f"{own}, so another member of the governance team must accept or return it."
    return ""


# --- refusals, for services and for views that refuse a page outright --------------


def require_governance(user, doing: str, *, command_line_ok: bool = False) -> None:
    """Refuse unless ``user`` governs (or is the command line, where that is allowed).

    ``doing`` completes "Only the governance team may ...".
    """
    permission_asked()
    if user is COMMAND_LINE and command_line_ok:
        return
    if not is_governance(user):
        raise PermissionDenied(f"Only the governance team may {doing}.")


def require_update_rights(user, action) -> None:
    """Refuse unless ``user`` may give ``action``'s update (see ``may_update``)."""
    permission_asked()
    if not may_update(user, action):
        raise PermissionDenied(
            f"You do not lead action {action.ref}, so you cannot give its update. "
            "Only its leads and the governance team can."
        )


def require_review_rights(user, update) -> None:
    """Refuse unless ``user`` governs and ``update`` is not their own to review (see
    ``own_update_refusal``): a second member of the governance team must."""
    require_governance(user, "review updates")
    refusal = own_update_refusal(user, update)
    if refusal:
        raise PermissionDenied(refusal)


def require_feedback_rights(user, doing: str) -> None:
    """Refuse unless ``user`` governs: the governance team records feedback, its
    responses and the map of services, links it to commitments and publishes "you said,
    we did". The command line (a sync or an import run on the server) may too."""
    require_governance(user, doing, command_line_ok=True)


def may_link_feedback(user, action) -> bool:
    """May link feedback to ``action``: the governance team, or whoever leads the action
    (``leads_action``), who knows which change it made."""
    return is_governance(user) or leads_action(user, action)


def require_feedback_link_rights(user, action) -> None:
    """Refuse unless ``user`` may link feedback to ``action`` (``may_link_feedback``);
    the command line may too."""
    permission_asked()
    if user is COMMAND_LINE or may_link_feedback(user, action):
        return
    raise PermissionDenied(
        f"You do not lead action {action.ref}, so you cannot link feedback to it. "
        "Only its leads and the governance team can."
    )


def may_propose_publication(user, item) -> bool:
    """May propose ``item``'s "you said, we did" as a draft for the governance team to
    approve: the governance team, or whoever leads an action the item is linked to
    (``leads_action``), who made the change it tells of."""
    if is_governance(user):
        return True
    held = roles_held(user, item.strategy_id)
    return bool(held) and item.actions.filter(leads__in=held).exists()


def require_publication_proposal_rights(user, item) -> None:
    """Refuse unless ``user`` may propose ``item``'s "you said, we did"
    (``may_propose_publication``); the command line may too."""
    permission_asked()
    if user is COMMAND_LINE or may_propose_publication(user, item):
        return
    raise PermissionDenied(
        "Only the governance team and the leads of the actions this feedback is linked to "
        'may propose its "you said, we did".'
    )


def require_feedback_reader(user, strategy) -> None:
    """Refuse unless ``user`` may read ``strategy``'s feedback (``may_read_feedback``)."""
    permission_asked()
    if not may_read_feedback(user, strategy):
        raise PermissionDenied(
            "Only the governance team and the leads of the strategy's actions may read its "
            "feedback."
        )


def require_engagement_rights(user, doing: str) -> None:
    """Refuse unless ``user`` governs: the governance team keeps the engagement map
    (adds activities, imports a register, keeps the rate card, publishes outcomes). The
    command line (an import run on the server) may too. Every signed-in account reads
    the map and the activities; the private register is ``may_see_register``'s."""
    require_governance(user, doing, command_line_ok=True)


def leads_activity(user, activity) -> bool:
    """True when ``user`` (active) is the person in the key named as ``activity``'s lead."""
    if not is_active(user) or activity.lead_id is None:
        return False
    return activity.lead.user_id == user.pk


def may_edit_activity(user, activity) -> bool:
    """May change an activity, its participation and its outcome: the governance team,
    or its lead (``leads_activity``)."""
    return is_governance(user) or leads_activity(user, activity)


def require_activity_rights(user, activity) -> None:
    """Refuse unless ``user`` may change ``activity`` (``may_edit_activity``); the
    command line may too."""
    permission_asked()
    if user is COMMAND_LINE or may_edit_activity(user, activity):
        return
    raise PermissionDenied(
        "Only the activity's lead and the governance team can change this activity."
    )


def may_see_register(user, activity=None) -> bool:
    """Who sees the private register of involvement and reward (people's names, consent,
    contact, access needs, hours and pay): the governance team, all of it; an activity's
    lead, that activity's part of it. Nobody else, whatever their group."""
    if is_governance(user):
        return True
    return activity is not None and leads_activity(user, activity)


def require_register_rights(user, activity=None) -> None:
    """Refuse unless ``user`` may see and keep the register (of ``activity``, or all of
    it when ``activity`` is None): ``may_see_register``; the command line may too."""
    permission_asked()
    if user is COMMAND_LINE or may_see_register(user, activity):
        return
    raise PermissionDenied(
        "The register of involvement and reward is kept by the governance team and each "
        "activity's lead only."
    )


def require_file_rights(user) -> None:
    """Refuse a file from anyone who may not send one (see ``may_send_files``)."""
    permission_asked()
    if not may_send_files(user):
        raise PermissionDenied("Only the governance team may send files.")


def require_own_settings(user, account) -> None:
    """Refuse unless ``user`` is signed in as ``account``: each person chooses their own
    e-mails, and no one else does (not even the governance team)."""
    permission_asked()
    if not is_active(user) or user.pk != getattr(account, "pk", None):
        raise PermissionDenied("You may change only your own choices of e-mails.")


def require_own_tokens(user, account) -> None:
    """Refuse unless ``user`` is signed in as ``account``: each person makes and revokes
    their own API tokens. The command line (an operator on the server) may do it for
    any account."""
    permission_asked()
    if user is COMMAND_LINE:
        return
    if not is_active(user) or user.pk != getattr(account, "pk", None):
        raise PermissionDenied("You may make and revoke only your own API tokens.")


def open_to_anyone(doing: str) -> None:
    """Anyone may do this, signed in or not (asking for the public page in another format).

    Asked so that the decision is explicit in the service, like any other rule.
    """
    permission_asked()


def planboard_itself(doing: str) -> None:
    """No person's permission is needed: planboard tidies or finishes its own records
    (a paper job a permitted person asked for, a job that never finished)."""
    permission_asked()
