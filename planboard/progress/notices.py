"""The e-mails the quarterly cycle sends (``planboard.notifications``): an update
returned to its leads or accepted, and a period opened to the leads of its open actions.

Each is called by the service where the event happens, inside its transaction.
"""

from planboard.lib.letters import long_date, shorten
from planboard.lib.site import site_link
from planboard.lib.users import display_name
from planboard.notifications.models import Kind
from planboard.notifications.services import notify, to_users
from planboard.people.recipients import addresses, leads_by_user
from planboard.plans.models import Action
from planboard.progress.periods import period_slug


def _leads(action):
    strategy = action.theme.strategy
    action = Action.objects.prefetch_related("leads").select_related("theme").get(pk=action.pk)
    by_user, _ = leads_by_user(strategy, [action])
    return to_users(by_user, addresses(strategy))


def _about(update, user) -> dict:
    action = update.action
    return {
        "ref": action.ref,
        "text": shorten(action.text),
        "period": update.period.label,
        "strategy": action.theme.strategy.title,
        "reviewer": display_name(user),
        "comment": update.review_comment,
    }


def update_returned(update, user) -> list:
    """Tell the action's leads their update is returned, with the reviewer's comment."""
    action = update.action
    return notify(
        Kind.UPDATE_RETURNED,
        f"update-returned:{update.pk}:{update.version}",
        _leads(action),
        subject=f"Your update on action {action.ref} was returned: {update.period.label}",
        link=site_link("update_action", slug=action.theme.strategy.slug, ref=action.ref),
        context=_about(update, user),
    )


def update_accepted(update, user) -> list:
    """Tell the action's leads their update is accepted."""
    action = update.action
    return notify(
        Kind.UPDATE_ACCEPTED,
        f"update-accepted:{update.pk}:{update.version}",
        _leads(action),
        subject=f"The update on action {action.ref} was accepted: {update.period.label}",
        link=site_link("action", slug=action.theme.strategy.slug, ref=action.ref),
        context=_about(update, user)
        | {"changed": update.changes_made, "reason": update.adjustment_reason},
    )


def period_opened(period) -> list:
    """Tell every lead of an open action of the strategy that the period is open, each
    with the actions they lead."""
    strategy = period.strategy
    actions = (
        Action.objects.for_strategy(strategy).in_plan().open().with_plan_relations().in_plan_order()
    )
    by_user, _ = leads_by_user(strategy, actions)

    def theirs(user):
        return {"actions": [{"ref": a.ref, "text": shorten(a.text)} for a in by_user[user]]}

    return notify(
        Kind.PERIOD_OPENED,
        f"period-opened:{period.pk}",
        to_users(by_user, addresses(strategy), theirs),
        subject=f"{period.label} is open for updates: {strategy.title}",
        link=site_link("period", slug=strategy.slug, period=period_slug(period.label)),
        context={
            "period": period.label,
            "strategy": strategy.title,
            "due": long_date(period.updates_due),
            "my_actions": site_link("my_actions"),
        },
    )
