"""The quarterly cycle arranged for pages: periods by their URL names, "My actions", queues.

Everything here reads; every change goes through ``planboard.progress.services``. Each
function loads what a page shows in a fixed number of queries, however many actions.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.http import Http404

from planboard.lib.users import display_name
from planboard.people.models import Role
from planboard.people.permissions import (
    actions_led_by,
    is_active,
    own_update,
    own_update_refusal,
    roles_held,
)
from planboard.plans.models import Action, TagColour, tag_colours
from planboard.progress.models import ReportingPeriod, Update, UpdateStatus
from planboard.progress.periods import period_slug, quarter_containing
from planboard.progress.rules import suggest_rating


def find_period(strategy, slug: str) -> ReportingPeriod:
    """The strategy's period whose label reads as ``slug`` in a URL, or 404."""
    for period in strategy.periods.all():
        if period_slug(period.label) == slug:
            return period
    raise Http404("No such reporting period.")


def leads_anything(user) -> bool:
    """True when ``user`` leads an action in the plan, so has "My actions" to see."""
    return led_actions(user).exists()


def next_period_label(periods, today) -> str:
    """The label to offer when opening a period: the first planned one, else the next quarter."""
    planned = [p for p in periods if p.status == "planned"]
    if planned:
        return min(planned, key=lambda p: p.starts_on).label
    if periods:
        latest = max(periods, key=lambda p: p.ends_on)
        label, _, _ = quarter_containing(latest.ends_on + datetime.timedelta(days=1))
        return label
    label, _, _ = quarter_containing(today)
    return label


# --- My actions -------------------------------------------------------------


class MyUpdateStatus(models.TextChoices):
    """Where a lead's update for the open period stands, in the words "My actions" uses."""

    # No update given for the period yet: not an action's status "Not started".
    NO_UPDATE = "no-update", "No update yet"
    SUBMITTED = UpdateStatus.SUBMITTED.value, UpdateStatus.SUBMITTED.label
    RETURNED = UpdateStatus.RETURNED.value, "Returned to you"
    ACCEPTED = UpdateStatus.ACCEPTED.value, UpdateStatus.ACCEPTED.label
    COMPLETE = "complete", "Complete: none due"

    # A sent update keeps its own status's colour.
    colour = tag_colours(
        {"no-update": TagColour.GREY, "complete": TagColour.WHITE}
        | {status.value: status.colour for status in UpdateStatus}
    )


@dataclass
class MyAction:
    action: Action
    update: Update | None

    @property
    def status(self) -> MyUpdateStatus:
        """The update's status; complete when the action is done and has none, else no
        update yet."""
        if self.update is not None:
            return MyUpdateStatus(self.update.status)
        if self.action.is_complete:
            return MyUpdateStatus.COMPLETE
        return MyUpdateStatus.NO_UPDATE

    @property
    def owed(self) -> bool:
        """Whether the lead still owes this action's update: none sent (and the action
        not complete), or the one sent was returned to them."""
        return self.status in (MyUpdateStatus.NO_UPDATE, MyUpdateStatus.RETURNED)


@dataclass
class MyStrategy:
    strategy: object
    period: ReportingPeriod | None
    items: list[MyAction] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return sum(item.owed for item in self.items)


def led_actions(user):
    """The actions in the plan that ``user`` leads (``permissions.actions_led_by``)."""
    if not is_active(user):
        return Action.objects.none()
    return Action.objects.in_plan().filter(pk__in=actions_led_by(user))


def my_actions(user) -> list[MyStrategy]:
    """``user``'s actions grouped by strategy, each with its update in the open period."""
    actions = list(
        led_actions(user)
        .select_related("theme__strategy", "rag_level")
        .prefetch_related("leads")
        .order_by("theme__strategy__title", "theme__strategy_id", "theme__number", "number")
    )
    strategy_ids = {action.theme.strategy_id for action in actions}
    periods = {
        p.strategy_id: p
        for p in ReportingPeriod.objects.open().filter(strategy_id__in=strategy_ids)
    }
    updates = {
        u.action_id: u
        for u in Update.objects.filter(
            period__in=list(periods.values()), action__in=[a.pk for a in actions]
        ).select_related("reviewed_by", "submitted_by")
    }
    groups: dict[int, MyStrategy] = {}
    for action in actions:
        strategy = action.theme.strategy
        group = groups.get(strategy.pk)
        if group is None:
            group = groups[strategy.pk] = MyStrategy(strategy, periods.get(strategy.pk))
        group.items.append(MyAction(action, updates.get(action.pk) if group.period else None))
    return list(groups.values())


# --- Review queue -----------------------------------------------------------


@dataclass
class ReviewItem:
    """An update as the reviewer weighs it: proposed, current and suggested ratings.

    ``refusal`` says why this reviewer may not accept or return it (their own update);
    ``own_note`` says when it is their own and the strategy lets them review it.
    """

    update: Update
    suggested: object
    refusal: str = ""
    own_note: str = ""
    previous: Update | None = None  # the action's last accepted update before this period

    @property
    def action(self):
        return self.update.action

    @property
    def target_change(self) -> str:
        update = self.update
        if update.new_target_date is None:
            return ""
        before = self.action.target_display or "no target date"
        return f"{before} to {update.new_target_display}"


def review_items(period, levels, today, reviewer=None, theme=None, lead=None) -> list[ReviewItem]:
    """Every update of ``period`` with what the rules would suggest once it is accepted,
    and whether ``reviewer`` (a member of the governance team) may decide on it.

    ``theme`` (a theme number) and ``lead`` (a role's id) keep only the updates on the
    actions of that theme, or led by that role. Each waiting update carries its action's
    last accepted update of an earlier period, read for all of them at once.
    """
    updates = (
        Update.objects.filter(period=period)
        .select_related(
            "action__theme__strategy",
            "action__rag_level",
            "proposed_rag",
            "adjusted_rag",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related("action__leads")
    )
    if theme is not None:
        updates = updates.filter(action__theme__number=theme)
    if lead is not None:
        updates = updates.filter(action__leads=lead)
    updates = list(updates)
    previous = previous_accepted(period, [u.action_id for u in updates if u.is_waiting])
    held = roles_held(reviewer, period.strategy_id)
    items = []
    for update in updates:
        action = update.action
        suggested = suggest_rating(
            levels=levels,
            complete=update.complete or action.is_complete,
            target_date=update.new_target_date or action.target_date,
            as_of=today,
            accepted_this_period=True,
        )
        item = ReviewItem(update, suggested, previous=previous.get(action.pk))
        if reviewer is not None and update.is_waiting:
            item.refusal = own_update_refusal(reviewer, update, held)
            own = "" if item.refusal else own_update(reviewer, update, held)
            if own:
                item.own_note = (
                    f"{own}. This strategy lets its governance team review their own "
                    "updates; if you accept it, the paper's appendix will say so."
                )
        items.append(item)
    return items


def previous_accepted(period, action_ids) -> dict:
    """Each action's last accepted update of a period that began before ``period``, by
    action id: one query however many actions."""
    earlier = (
        Update.objects.filter(
            action_id__in=action_ids,
            status=UpdateStatus.ACCEPTED,
            period__strategy_id=period.strategy_id,
            period__starts_on__lt=period.starts_on,
        )
        .select_related("period", "proposed_rag", "adjusted_rag")
        .order_by("action_id", "-period__starts_on")
    )
    found = {}
    for update in earlier:
        found.setdefault(update.action_id, update)
    return found


def review_filters(strategy) -> tuple[list, list]:
    """The themes and the lead roles the queue can be narrowed to: (number, title) and
    (id, name) pairs, in plan order and by title."""
    themes = list(strategy.themes.order_by("number").values_list("number", "title"))
    roles = Role.objects.filter(strategy=strategy, actions__isnull=False).distinct()
    leads = [(role.pk, str(role)) for role in roles.order_by("title", "pk")]
    return themes, leads


def adjustment_text(update) -> str:
    """What the reviewer changed of the lead's proposal as they accepted it, and why."""
    who = display_name(update.reviewed_by) if update.reviewed_by else "The reviewer"
    return f"{who} changed {update.changes_made}. Reason: {update.adjustment_reason}"
