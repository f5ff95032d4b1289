"""Adding, changing, moving, retiring and restoring actions on planboard's own pages.

An action's ref is its theme's number and its own (``2.7``). Moving it to another
theme gives it the next free number there (or one chosen that is free), and leaves
the numbers of the actions around it as they were: no other ref changes. Updates,
target changes, findings and snapshots hold an action by id, so they move with it.

A new action is unpublished (it has no public summary), and changing an action's
wording never changes the public page, which shows only the public summary written
for it. A retired action keeps its ref, history and the snapshots taken of it, but
leaves the plan page, the papers, completion and reminders (``ActionQuerySet.in_plan``)
until it is restored.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from planboard.lib import clock, versions
from planboard.lib.services import ServiceError, service
from planboard.people.editing import save_record
from planboard.people.permissions import require_governance
from planboard.plans.editing import ActionConflict, fields_from_other_strategies
from planboard.plans.models import Action
from planboard.plans.structure import (
    DOING,
    REASON_LIMIT,
    check_number,
    clean_text,
    next_number,
)
from planboard.plans.targets import DatePrecision

TARGET_TEXT_LIMIT = 100


@dataclass
class ActionValues:
    """What a person sets of an action: its words, target, theme, area, leads and
    commitments. ``number`` None means the next free number in ``theme``."""

    text: str
    theme: object
    number: int | None = None
    target_date: datetime.date | None = None
    target_precision: str = DatePrecision.MONTH
    target_text: str = ""
    area: object = None
    leads: list = field(default_factory=list)
    commitments: list = field(default_factory=list)


def _checked(values: ActionValues, action: Action) -> tuple[dict, dict]:
    """The action's fields and links from ``values``, checked; ``action`` is the one
    being changed (its theme may be about to change)."""
    text = clean_text(values.text, "text", "action", limit=None)
    target_text = " ".join((values.target_text or "").split())
    if len(target_text) > TARGET_TEXT_LIMIT:
        raise ServiceError(
            f"The target date must be {TARGET_TEXT_LIMIT} characters or fewer", "target"
        )
    number = check_number(values.number)
    fields = {
        "text": text,
        "theme": values.theme,
        "area": values.area,
        "target_date": values.target_date,
        "target_precision": values.target_precision,
        "target_text": target_text,
    }
    links = {"leads": list(values.leads), "commitments": list(values.commitments)}
    retired = [c for c in links["commitments"] if c.is_retired]
    if retired:
        raise ServiceError(f"Commitment {retired[0].ref} is retired", "commitments")
    probe = Action(theme=values.theme, area=values.area)
    wrong = fields_from_other_strategies(probe, links)
    if wrong or values.theme.strategy_id != action_strategy(action, values):
        raise ServiceError(
            "Choose from the strategy this action belongs to.", (wrong or ["theme"])[0]
        )
    return {**fields, "number": number}, links


def action_strategy(action, values) -> int:
    return action.theme.strategy_id if action.pk else values.theme.strategy_id


def _number_in(theme, wanted, *, moving=None) -> int:
    """``wanted``, or the next free number in ``theme``; refused when another action
    (retired ones too: they keep their refs) has it."""
    rows = Action.objects.select_for_update().filter(theme=theme)
    if moving is not None:
        rows = rows.exclude(pk=moving.pk)
    if wanted is None:
        return next_number(rows)
    if rows.filter(number=wanted).exists():
        raise ServiceError(
            f"Action {theme.number}.{wanted} already exists: choose another number, or leave "
            "the number empty for the next free one",
            "number",
        )
    return wanted


@service
@transaction.atomic
def add_action(values: ActionValues, *, user) -> Action:
    """A new action in ``values.theme``, unpublished, with its history."""
    require_governance(user, DOING)
    action = Action(theme=values.theme, number=1)
    fields, links = _checked(values, action)
    fields["number"] = _number_in(values.theme, fields["number"])
    for name, value in fields.items():
        setattr(action, name, value)
    action.original_target_date = action.target_date
    action.original_target_precision = action.target_precision
    return save_record(action, user=user, links=links, reason="Action added on planboard")


@service
@transaction.atomic
def change_action(action, values: ActionValues, *, version, user, reason="") -> Action:
    """Change an action's words, target, leads, area or commitments, or move it to
    another theme or number. ``ActionConflict`` when someone saved it since."""
    require_governance(user, DOING)
    fields, links = _checked(values, action)
    action = _claim(action, version)
    moving = fields["theme"].pk != action.theme_id
    if fields["number"] is None:
        fields["number"] = (
            _number_in(fields["theme"], None, moving=action) if moving else action.number
        )
    elif moving or fields["number"] != action.number:
        fields["number"] = _number_in(fields["theme"], fields["number"], moving=action)
    before = action.ref
    changed = [name for name, value in fields.items() if getattr(action, name) != value]
    changed += [name for name, chosen in links.items() if _linked(action, name) != chosen]
    for name, value in fields.items():
        setattr(action, name, value)
    if action.original_target_date is None:
        action.original_target_date = action.target_date
        action.original_target_precision = action.target_precision
    said = f"Action changed on planboard ({', '.join(changed) or 'nothing'})"
    if action.ref != before:
        said = f"Action {before} moved to {action.ref} on planboard ({', '.join(changed)})"
    return save_record(
        action, user=user, links=links, reason=f"{said}: {reason}" if reason else said
    )


def _linked(action, name) -> list:
    return sorted(getattr(action, name).all(), key=lambda record: record.pk)


def _claim(action, version) -> Action:
    if version is None:
        raise ServiceError("This form was changed outside planboard. Open the page again.")
    versions.claim(Action, version, conflict=ActionConflict, pk=action.pk)
    return Action.objects.select_related("theme__strategy").get(pk=action.pk)


@service
@transaction.atomic
def retire_action(action, *, reason, version, user) -> Action:
    """Take ``action`` out of the plan, saying why. It keeps its ref and history."""
    require_governance(user, DOING)
    reason = clean_text(reason, "reason", "reason for retiring it", limit=REASON_LIMIT)
    action = _claim(action, version)
    if action.is_retired:
        raise ServiceError(f"Action {action.ref} is already retired", "reason")
    action.retired_on = clock.today()
    action.retired_reason = reason
    action.retired_by = user
    return save_record(action, user=user, reason=f"Action retired: {reason}")


@service
@transaction.atomic
def restore_action(action, *, version, user) -> Action:
    """Bring a retired action back into the plan, under its own ref."""
    require_governance(user, DOING)
    action = _claim(action, version)
    if not action.is_retired:
        raise ServiceError(f"Action {action.ref} is not retired")
    action.retired_on = None
    action.retired_reason = ""
    action.retired_by = None
    return save_record(action, user=user, reason="Action restored to the plan")
