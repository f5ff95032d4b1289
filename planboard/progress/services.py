"""The state changes of the quarterly cycle, one named function each.

Views, commands and tests all call these, so every path checks the same permission,
writes the same history and runs in one transaction. Two people saving the same
update at once cannot overwrite each other: the version read with the form is checked
in the UPDATE statement itself, and the loser gets an EditConflict with the newer
version to show beside their own text.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from planboard.people.access import is_governance
from planboard.people.models import Role
from planboard.plans.models import Action, ActionStatus, DatePrecision, format_target
from planboard.progress.models import (
    ActionSnapshot,
    PeriodStatus,
    ReportingPeriod,
    TargetChange,
    Update,
    UpdateStatus,
)
from planboard.progress.periods import parse_quarter_label
from planboard.progress.rules import suggest_for_action


class CycleError(ValueError):
    """A request the cycle refuses; its message is one sentence for the user."""


class EditConflict(Exception):
    """Someone else saved first; ``current`` is the newer version, re-read."""

    def __init__(self, current, message="Someone else saved a newer version first."):
        super().__init__(message)
        self.current = current


# --- who may do what --------------------------------------------------------


def roles_held(user, strategy) -> set[int]:
    """Ids of the strategy's roles held by the people linked to ``user``."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Role.objects.filter(strategy=strategy, people__user=user).values_list("pk", flat=True)
    )


def leads_action(user, action) -> bool:
    """True when ``user`` holds one of the action's lead roles."""
    held = roles_held(user, action.theme.strategy)
    return bool(held) and action.leads.filter(pk__in=held).exists()


def can_update(user, action) -> bool:
    """Leads may update their own actions; governance may update any, on a lead's behalf."""
    return is_governance(user) or leads_action(user, action)


def _require_governance(user, doing: str):
    if not is_governance(user):
        raise PermissionDenied(f"Only the governance team may {doing}.")


# --- periods ----------------------------------------------------------------


def current_period(strategy):
    """The strategy's open period, or None."""
    return ReportingPeriod.objects.open().filter(strategy=strategy).first()


@transaction.atomic
def create_period(strategy, label, *, user, updates_due=None, starts_on=None, ends_on=None):
    """Set up a planned period; a quarter label such as "2017/18 Q1" gives its dates."""
    _require_governance(user, "set up reporting periods")
    if starts_on is None or ends_on is None:
        try:
            starts_on, ends_on = parse_quarter_label(label)
        except ValueError as err:
            raise CycleError(str(err)) from None
    label = " ".join(label.split())
    if ReportingPeriod.objects.filter(strategy=strategy, label=label).exists():
        raise CycleError(f'{strategy.slug} already has a period "{label}".')
    if ends_on < starts_on:
        raise CycleError("A period cannot end before it starts.")
    return ReportingPeriod.objects.create(
        strategy=strategy,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        updates_due=updates_due or ends_on,
    )


@transaction.atomic
def open_period(strategy, label, *, user, updates_due=None):
    """Open the period ``label`` (setting it up first if needed); only one may be open."""
    _require_governance(user, "open reporting periods")
    period = ReportingPeriod.objects.filter(strategy=strategy, label=" ".join(label.split()))
    period = period.select_for_update().first()
    if period is None:
        period = create_period(strategy, label, user=user, updates_due=updates_due)
    if period.is_closed:
        raise CycleError(f"{period.label} is closed; a closed period cannot be opened again.")
    if period.is_open:
        raise CycleError(f"{period.label} is already open.")
    other = current_period(strategy)
    if other is not None:
        raise CycleError(f"{other.label} is still open; close it before opening {period.label}.")
    period.status = PeriodStatus.OPEN
    period.opened_at = timezone.now()
    if updates_due:
        period.updates_due = updates_due
    period.save()
    return period


@transaction.atomic
def close_period(period, *, user, when=None):
    """Close an open period and freeze a snapshot of every action of its strategy."""
    _require_governance(user, "close reporting periods")
    claimed = ReportingPeriod.objects.filter(pk=period.pk, status=PeriodStatus.OPEN).update(
        status=PeriodStatus.CLOSED, closed_at=when or timezone.now(), closed_by=user
    )
    if not claimed:
        period.refresh_from_db()
        raise CycleError(f"{period.label} is not open, so it cannot be closed.")
    period.refresh_from_db()
    ActionSnapshot.objects.bulk_create(snapshot_rows(period))
    # Record the change in the period's history too (the UPDATE above bypassed it).
    period._change_reason = "Period closed"
    period.save()
    return period


def snapshot_rows(period) -> list[ActionSnapshot]:
    """Unsaved snapshots of every action of the period's strategy as it stands now."""
    actions = (
        Action.objects.for_strategy(period.strategy)
        .with_plan_relations()
        .in_plan_order()
        .prefetch_related("target_changes")
    )
    updates = {
        u.action_id: u
        for u in Update.objects.filter(period=period).select_related(
            "proposed_rag", "suggested_rag", "submitted_by", "reviewed_by"
        )
    }
    rows = []
    for action in actions:
        level = action.rag_level
        rows.append(
            ActionSnapshot(
                period=period,
                action=action,
                ref=action.ref,
                theme_number=action.theme.number,
                theme_title=action.theme.title,
                number=action.number,
                area=action.area.name if action.area else "",
                cited_commitments=list(action.cited_commitments or []),
                text=action.text,
                progress=action.progress,
                status=action.status,
                target_date=action.target_date,
                target_precision=action.target_precision,
                original_target_date=action.original_target_date,
                original_target_precision=action.original_target_precision,
                target_moves=len(action.target_changes.all()),
                rag_label=level.label if level else "",
                rag_colour=level.colour if level else "",
                rag_position=level.position if level else None,
                rag_text=action.rag_text,
                leads=sorted(role.short_name for role in action.leads.all()),
                lead_text=action.lead_text,
                update=_update_record(updates.get(action.pk)),
            )
        )
    return rows


def _update_record(update):
    if update is None:
        return None
    return {
        "status": update.status,
        "narrative": update.narrative,
        "proposed_rag": update.proposed_rag.label if update.proposed_rag else "",
        "suggested_rag": update.suggested_rag.label if update.suggested_rag else "",
        "complete": update.complete,
        "new_target": update.new_target_display,
        "target_change_reason": update.target_change_reason,
        "submitted_by": _name(update.submitted_by),
        "submitted_at": update.submitted_at.isoformat(),
        "on_behalf": update.on_behalf,
        "reviewed_by": _name(update.reviewed_by),
        "review_comment": update.review_comment,
    }


def _name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- updates ----------------------------------------------------------------


def _clean_update(action, period, narrative, proposed_rag, new_target_date, reason):
    narrative = (narrative or "").strip()
    if not narrative:
        raise CycleError("Write what has happened on this action (the progress narrative).")
    if len(narrative) > Update.NARRATIVE_LIMIT:
        raise CycleError(
            f"The progress narrative is {len(narrative):,} characters; "
            f"keep it under {Update.NARRATIVE_LIMIT:,}."
        )
    strategy = action.theme.strategy
    if proposed_rag is not None and proposed_rag.strategy_id != strategy.pk:
        raise CycleError(f'"{proposed_rag.label}" is not a level of this strategy\'s RAG scale.')
    reason = (reason or "").strip()
    moved = new_target_date is not None and new_target_date != action.target_date
    if moved and not reason:
        raise CycleError("Give the reason the target date moves.")
    return narrative, reason if moved else ""


@transaction.atomic
def submit_update(
    action,
    *,
    user,
    narrative,
    proposed_rag=None,
    complete=False,
    new_target_date=None,
    new_target_precision=DatePrecision.MONTH,
    reason="",
    expected_version=None,
):
    """Submit (or resubmit) the update on ``action`` for its strategy's open period.

    ``expected_version`` is the version of the update the form was built from (None
    for a new update); if someone saved in between, EditConflict is raised.
    """
    if not can_update(user, action):
        raise PermissionDenied(f"You do not lead action {action.ref}, so you cannot update it.")
    period = current_period(action.theme.strategy)
    if period is None:
        raise CycleError("There is no open reporting period to update this action in.")
    narrative, reason = _clean_update(
        action, period, narrative, proposed_rag, new_target_date, reason
    )
    fields = {
        "narrative": narrative,
        "proposed_rag": proposed_rag,
        "complete": bool(complete),
        "new_target_date": new_target_date if reason else None,
        "new_target_precision": new_target_precision,
        "target_change_reason": reason,
        "status": UpdateStatus.SUBMITTED,
        "submitted_by": user,
        "submitted_at": timezone.now(),
        "on_behalf": not leads_action(user, action),
        "review_comment": "",
    }
    existing = Update.objects.filter(action=action, period=period).first()
    if existing is None:
        if expected_version not in (None, 0):
            raise EditConflict(None, "The update you were editing no longer exists.")
        return Update.objects.create(action=action, period=period, **fields)
    if existing.is_accepted:
        raise CycleError(
            f"The update on {action.ref} for {period.label} is already accepted; "
            "ask the governance team to return it if it needs changing."
        )
    _claim(existing, expected_version)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save()
    return existing


def _claim(update, expected_version):
    """Take the update for writing if it is still at ``expected_version``, else conflict."""
    if expected_version is None:
        raise EditConflict(_reread(update), "Someone else started this update first.")
    claimed = Update.objects.filter(pk=update.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(_reread(update))
    update.version = expected_version + 1


def _reread(update):
    return Update.objects.select_related("proposed_rag", "submitted_by").get(pk=update.pk)


@transaction.atomic
def return_update(update, *, user, comment, expected_version):
    """Send an update back to its lead with a comment; they edit and resubmit it."""
    _require_governance(user, "review updates")
    comment = (comment or "").strip()
    if not comment:
        raise CycleError("Say what the lead should change when returning an update.")
    _require_reviewable(update)
    _claim(update, expected_version)
    update.status = UpdateStatus.RETURNED
    update.review_comment = comment
    update.reviewed_by = user
    update.reviewed_at = timezone.now()
    update.save()
    return update


def _require_reviewable(update):
    if not update.period.is_open:
        raise CycleError(f"{update.period.label} is closed; its updates can no longer change.")
    if update.status != UpdateStatus.SUBMITTED:
        raise CycleError(f"This update is {update.get_status_display().lower()}, not waiting.")


@transaction.atomic
def accept_update(update, *, user, expected_version, today=None):
    """Accept an update and apply it to its action: progress, RAG, status, target date."""
    _require_governance(user, "review updates")
    _require_reviewable(update)
    _claim(update, expected_version)
    today = today or timezone.localdate()
    action = Action.objects.select_for_update().get(pk=update.action_id)
    now = timezone.now()
    moved = update.new_target_date is not None and update.new_target_date != action.target_date
    if moved:
        TargetChange.objects.create(
            action=action,
            update=update,
            from_date=action.target_date,
            from_precision=action.target_precision,
            to_date=update.new_target_date,
            to_precision=update.new_target_precision,
            reason=update.target_change_reason,
            changed_by=user,
            changed_at=now,
        )
        if action.original_target_date is None:
            action.original_target_date = action.target_date
            action.original_target_precision = action.target_precision
        action.target_date = update.new_target_date
        action.target_precision = update.new_target_precision
        action.target_text = format_target(action.target_date, action.target_precision)
    action.progress = update.narrative
    if update.complete:
        action.status = ActionStatus.COMPLETE
        action.completed_on = action.completed_on or today
    elif action.status != ActionStatus.COMPLETE:
        action.status = ActionStatus.IN_PROGRESS
    if update.proposed_rag is not None:
        action.rag_level = update.proposed_rag
        action.rag_text = update.proposed_rag.label
    action.version += 1  # the row is locked for this transaction
    action._change_reason = f"Update for {update.period.label} accepted"
    action.save()
    update.suggested_rag = suggest_for_action(
        action, action.theme.strategy.rag_levels.all(), today, accepted_this_period=True
    )
    update.status = UpdateStatus.ACCEPTED
    update.reviewed_by = user
    update.reviewed_at = now
    update.save()
    return update
