"""The state changes of the quarterly cycle, one named function each.

Views, commands and tests all call these, so every path checks the same permission,
writes the same history (attributed to the person acting, with a reason) and runs in
one transaction: a refused request changes nothing.

No lost work: two people saving the same update at once cannot overwrite each other.
The version read with the form is checked in the UPDATE statement itself, and the
loser gets an EditConflict carrying the newer version to show beside their own text.
Every write of the cycle also locks its period row first (on PostgreSQL; SQLite's
IMMEDIATE transactions already run writers one at a time), so an update cannot slip
into a period while it is being closed and snapshotted.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from planboard.people.access import is_governance, is_lead
from planboard.people.models import Role
from planboard.plans.models import (
    Action,
    ActionStatus,
    DatePrecision,
    RagLevel,
    format_target,
)
from planboard.progress.models import (
    ActionSnapshot,
    PeriodRecord,
    PeriodStatus,
    ReportingPeriod,
    TargetChange,
    Update,
    UpdateStatus,
)
from planboard.progress.periods import EXAMPLE, canonical_label, parse_quarter_label, period_slug
from planboard.progress.records import plan_record
from planboard.progress.rules import suggest_for_action
from planboard.progress.signals import period_closed
from planboard.progress.snapshots import snapshot_rows


class CycleError(ValueError):
    """A request the cycle refuses; its message is one sentence for the user."""


class EditConflict(Exception):
    """Someone else saved first; ``current`` is the newer version, re-read (or None)."""

    def __init__(
        self,
        current,
        message="Someone else saved this update after you opened it, so yours was not saved.",
    ):
        super().__init__(message)
        self.current = current


# --- who may do what --------------------------------------------------------


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def roles_held(user, strategy) -> set[int]:
    """Ids of the strategy's roles held by the people linked to ``user``."""
    if not _active(user):
        return set()
    return set(
        Role.objects.filter(strategy=strategy, people__user=user).values_list("pk", flat=True)
    )


def leads_action(user, action) -> bool:
    """True when ``user`` holds one of the action's lead roles."""
    held = roles_held(user, action.theme.strategy_id)
    return bool(held) and action.leads.filter(pk__in=held).exists()


def can_update(user, action) -> bool:
    """Leads may update their own actions; governance may update any, on a lead's behalf.

    Holding the role is not enough on its own: the account must also be in the Lead
    group, so a board member linked to a person in the key still only reads.
    """
    return is_governance(user) or (is_lead(user) and leads_action(user, action))


def can_review(user) -> bool:
    """Accepting and returning updates, and running periods, is the governance team's job."""
    return is_governance(user)


def _require_governance(user, doing: str, *, command_line_ok: bool = False):
    # ``None`` is the command line (``planboard period ...``): only someone with a shell
    # on the server can run it. Views always pass ``request.user``, never None.
    if user is None and command_line_ok:
        return
    if not is_governance(user):
        raise PermissionDenied(f"Only the governance team may {doing}.")


# --- periods ----------------------------------------------------------------


def current_period(strategy):
    """The strategy's open period, or None."""
    return ReportingPeriod.objects.open().filter(strategy=strategy).first()


@transaction.atomic
def create_period(strategy, label, *, user, updates_due=None, starts_on=None, ends_on=None):
    """Set up a planned period; a quarter label such as "2017/18 Q1" gives its dates.

    ``user`` None means the command line.
    """
    _require_governance(user, "set up reporting periods", command_line_ok=True)
    label = canonical_label(label)
    if starts_on is None and ends_on is None:
        try:
            starts_on, ends_on = parse_quarter_label(label)
        except ValueError as err:
            raise CycleError(str(err)) from None
    elif starts_on is None or ends_on is None:
        raise CycleError("Give both the first and the last day of the period, or neither.")
    if not label:
        raise CycleError(f'Give the period a label, such as "{EXAMPLE}".')
    if len(label) > ReportingPeriod._meta.get_field("label").max_length:
        raise CycleError(f'The label "{label[:20]}..." is too long; keep it to 40 characters.')
    if ends_on < starts_on:
        raise CycleError("A period cannot end before it starts.")
    updates_due = updates_due or ends_on
    if updates_due < starts_on:
        raise CycleError("Updates cannot be due before the period starts.")
    periods = ReportingPeriod.objects.filter(strategy=strategy)
    if periods.filter(label=label).exists():
        raise CycleError(f'This strategy already has a period "{label}".')
    clash = next((p for p in periods if p.slug == period_slug(label)), None)
    if clash is not None:
        raise CycleError(
            f'"{label}" reads like "{clash.label}" in addresses; choose a label that differs '
            "by more than punctuation."
        )
    overlap = periods.overlapping(starts_on, ends_on).first()
    if overlap is not None:
        raise CycleError(
            f"{label} would overlap {overlap.label} "
            f"({_day(overlap.starts_on)} to {_day(overlap.ends_on)})."
        )
    period = ReportingPeriod(
        strategy=strategy,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        updates_due=updates_due,
    )
    _attribute(period, user, "Period set up")
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:
        raise CycleError(f'This strategy already has a period "{label}".') from None
    return period


@transaction.atomic
def open_period(strategy, label, *, user, updates_due=None, when=None):
    """Open the period ``label`` (setting it up first if needed); only one may be open."""
    _require_governance(user, "open reporting periods", command_line_ok=True)
    label = canonical_label(label)
    periods = ReportingPeriod.objects.filter(strategy=strategy)
    period = periods.select_for_update().filter(label=label).order_by("pk").first()
    if period is None:
        period = create_period(strategy, label, user=user, updates_due=updates_due)
    if period.is_closed:
        raise CycleError(f"{period.label} is closed; a closed period cannot be opened again.")
    if period.is_open:
        raise CycleError(f"{period.label} is already open.")
    other = periods.open().first()
    if other is not None:
        raise CycleError(f"{other.label} is still open; close it before opening {period.label}.")
    later = periods.closed().filter(starts_on__gt=period.starts_on).order_by("starts_on").first()
    if later is not None:
        raise CycleError(
            f"{later.label} is already closed, so the earlier {period.label} cannot be opened."
        )
    if updates_due:
        if updates_due < period.starts_on:
            raise CycleError("Updates cannot be due before the period starts.")
        period.updates_due = updates_due
    period.status = PeriodStatus.OPEN
    period.opened_at = when or timezone.now()
    _attribute(period, user, "Period opened")
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:  # another period was opened at the same moment
        raise CycleError(
            f"Another period of this strategy was opened just now; close it before "
            f"opening {period.label}."
        ) from None
    return period


@transaction.atomic
def close_period(period, *, user, when=None):
    """Close an open period and freeze a snapshot of every action of its strategy.

    The period's record (themes, commitments, coverage, RAG key and findings) is frozen
    with it, and ``period_closed`` is sent so other apps can freeze what they keep.
    """
    _require_governance(user, "close reporting periods", command_line_ok=True)
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not locked.is_open:
        raise CycleError(f"{locked.label} is not open, so it cannot be closed.")
    # Read while the period is still open, so its "not updated" findings are recorded.
    record = plan_record(locked.strategy, locked.ends_on)
    locked.status = PeriodStatus.CLOSED
    locked.closed_at = when or timezone.now()
    locked.closed_by = user
    _attribute(locked, user, "Period closed")
    locked.save()
    ActionSnapshot.objects.bulk_create(snapshot_rows(locked))
    PeriodRecord.objects.create(period=locked, content=record)
    period_closed.send(sender=ReportingPeriod, period=locked, user=user)
    period.refresh_from_db()
    return period


def _day(date):
    return format_target(date, DatePrecision.DAY)


def _attribute(instance, user, reason):
    """Who made the change and why, for the instance's history row."""
    instance._history_user = user
    instance._change_reason = reason


def _lock_period(period_id, *, strategy_id=None):
    """The period, locked until the transaction ends; it must be open to take changes."""
    period = ReportingPeriod.objects.select_for_update(no_key=True).get(pk=period_id)
    if strategy_id is not None and period.strategy_id != strategy_id:
        raise CycleError(f"{period.label} is not a period of this action's strategy.")
    if period.is_closed:
        raise CycleError(f"{period.label} is closed; its updates can no longer change.")
    if not period.is_open:
        raise CycleError(f"{period.label} is not open yet, so it cannot take updates.")
    return period


# --- updates ----------------------------------------------------------------


def end_of_span(date: datetime.date, precision: str) -> datetime.date:
    """The last day of the month or quarter ``date`` falls in; days and years as given.

    Targets are stored as the last day of the span the lead meant, so "Sep 2017" is not
    overdue until September is over. (A year may be a calendar or a financial year, so
    its last day is left to the caller.)
    """
    if precision == DatePrecision.MONTH:
        return date.replace(day=calendar.monthrange(date.year, date.month)[1])
    if precision == DatePrecision.QUARTER:
        month = (date.month + 2) // 3 * 3
        return datetime.date(date.year, month, calendar.monthrange(date.year, month)[1])
    return date


def _bounded_text(value, limit: int, what: str, *, required: str = "") -> str:
    """``value`` stripped; a CycleError when it is over ``limit``, or empty and ``required``
    (whose text is then the message)."""
    value = (value or "").strip()
    if required and not value:
        raise CycleError(required)
    if len(value) > limit:
        raise CycleError(f"{what} is {len(value):,} characters long; keep it to {limit:,}.")
    return value


def _clean_update(action, *, narrative, proposed_rag, complete, new_target_date, precision, reason):
    """The update's fields, checked; a CycleError names the first problem."""
    narrative = _bounded_text(
        narrative,
        Update.NARRATIVE_LIMIT,
        "The progress narrative",
        required="Write the progress narrative: what has happened on this action.",
    )
    if proposed_rag is not None:
        if not isinstance(proposed_rag, RagLevel):
            raise CycleError("Choose the proposed RAG rating from the strategy's scale.")
        if proposed_rag.strategy_id != action.theme.strategy_id:
            raise CycleError(
                f'"{proposed_rag.label}" is not a level of this strategy\'s RAG scale.'
            )
        if proposed_rag.means_complete and not complete:
            raise CycleError(
                f"{proposed_rag.label} means complete: mark the action complete "
                "or propose another rating."
            )
    if precision not in DatePrecision.values:
        raise CycleError("Give the new target date as a day, a month, a quarter or a year.")
    reason = _bounded_text(reason, Update.REASON_LIMIT, "The reason for the new target date")
    if new_target_date is not None:
        new_target_date = end_of_span(new_target_date, precision)
    if new_target_date is None or new_target_date == action.target_date:
        return narrative, None, ""
    if not reason:
        was = action.target_display or "no target"
        raise CycleError(
            f"Give the reason the target moves from {was} to "
            f"{format_target(new_target_date, precision)}."
        )
    return narrative, new_target_date, reason


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
    period=None,
    when=None,
):
    """Submit (or resubmit) the update on ``action`` for its strategy's open period.

    ``expected_version`` is the version of the update the form was built from (None
    or 0 for a new update); if someone saved in between, EditConflict is raised.
    ``period``, when a form names one, must be the strategy's open period. An update
    entered by someone who does not lead the action (governance) is marked on_behalf.
    """
    if not can_update(user, action):
        raise PermissionDenied(f"You do not lead action {action.ref}, so you cannot update it.")
    strategy_id = action.theme.strategy_id
    if period is None:
        period = current_period(strategy_id)
        if period is None:
            raise CycleError("There is no open reporting period to update this action in.")
    period = _lock_period(period.pk, strategy_id=strategy_id)
    narrative, new_target_date, reason = _clean_update(
        action,
        narrative=narrative,
        proposed_rag=proposed_rag,
        complete=complete,
        new_target_date=new_target_date,
        precision=new_target_precision,
        reason=reason,
    )
    fields = {
        "narrative": narrative,
        "proposed_rag": proposed_rag,
        "complete": bool(complete),
        "new_target_date": new_target_date,
        "new_target_precision": new_target_precision if new_target_date else DatePrecision.MONTH,
        "target_change_reason": reason,
        "status": UpdateStatus.SUBMITTED,
        "submitted_by": user,
        "submitted_at": when or timezone.now(),
        "on_behalf": not leads_action(user, action),
        "review_comment": "",
    }
    why = "Submitted on the lead's behalf" if fields["on_behalf"] else "Submitted"
    update = Update.objects.filter(action=action, period=period).first()
    if update is None:
        if expected_version:
            raise EditConflict(None, "The update you were editing no longer exists.")
        update = Update(action=action, period=period, **fields)
        _attribute(update, user, why)
        try:
            with transaction.atomic():
                update.save()
        except IntegrityError:  # someone created it between our read and our insert
            raise EditConflict(
                _reread(Update.objects.get(action=action, period=period).pk),
                "Someone else sent an update on this action while you were writing yours.",
            ) from None
        return update
    if not expected_version:
        raise EditConflict(
            _reread(update.pk),
            "Someone else sent an update on this action while you were writing yours.",
        )
    _claim(update, expected_version)
    if update.is_accepted:
        raise CycleError(
            f"The update on {action.ref} for {period.label} is already accepted; "
            "ask the governance team to return it if it needs changing."
        )
    if update.is_returned:
        why = "Resubmitted after return" + (" on the lead's behalf" if fields["on_behalf"] else "")
    for name, value in fields.items():
        setattr(update, name, value)
    _attribute(update, user, why)
    update.save()
    return update


def _claim(update, expected_version):
    """Take the update for writing if it is still at ``expected_version``, else conflict.

    The version is compared and bumped in one UPDATE statement, so of two writers that
    read the same version exactly one succeeds. On success ``update`` is refreshed in
    place from the database, so nothing stale is written back.
    """
    claimed = Update.objects.filter(pk=update.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(_reread(update.pk))
    update.refresh_from_db()


def _reread(pk):
    return Update.objects.select_related(
        "action__theme", "period", "proposed_rag", "submitted_by", "reviewed_by"
    ).get(pk=pk)


def _require_waiting(update):
    if not update.is_waiting:
        raise CycleError(
            f"This update is {update.get_status_display().lower()}, not waiting for review."
        )


@transaction.atomic
def return_update(update, *, user, comment, expected_version, when=None):
    """Send an update back to its lead with a comment; they edit and resubmit it."""
    _require_governance(user, "review updates")
    comment = _bounded_text(
        comment,
        Update.COMMENT_LIMIT,
        "The comment",
        required="Say what the lead should change when you return an update.",
    )
    _lock_period(update.period_id)
    _claim(update, expected_version)
    _require_waiting(update)
    update.status = UpdateStatus.RETURNED
    update.review_comment = comment
    update.reviewed_by = user
    update.reviewed_at = when or timezone.now()
    _attribute(update, user, "Returned to the lead")
    update.save()
    return update


@transaction.atomic
def accept_update(update, *, user, expected_version, today=None, when=None, comment=""):
    """Accept an update and apply it to its action: progress, RAG, status, target date.

    The action's history records the change as the reviewer's, with the period as the
    reason; a moved target is also a TargetChange row with the lead's reason, and the
    original target is kept. The rating the rules suggest is stored beside the one
    accepted, so a paper can show both where they differ.
    """
    _require_governance(user, "review updates")
    comment = _bounded_text(comment, Update.COMMENT_LIMIT, "The comment")
    period = _lock_period(update.period_id)
    _claim(update, expected_version)
    _require_waiting(update)
    now = when or timezone.now()
    today = today or timezone.localdate(now)
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("theme__strategy")
        .get(pk=update.action_id)
    )
    if update.new_target_date is not None and update.new_target_date != action.target_date:
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
    elif action.status == ActionStatus.NOT_STARTED:
        # An accepted update that does not say "complete" leaves a complete action
        # complete: reopening one is a correction to the plan, made in the admin.
        action.status = ActionStatus.IN_PROGRESS
    if update.proposed_rag is not None:
        action.rag_level = update.proposed_rag
        action.rag_text = update.proposed_rag.label
    action.version += 1  # the row is locked for this transaction
    behalf = " (entered on the lead's behalf)" if update.on_behalf else ""
    _attribute(action, user, f"Update for {period.label} accepted{behalf}"[:100])
    action.save()
    update.suggested_rag = suggest_for_action(
        action, action.theme.strategy.rag_levels.all(), today, accepted_this_period=True
    )
    update.status = UpdateStatus.ACCEPTED
    update.reviewed_by = user
    update.reviewed_at = now
    update.review_comment = comment
    _attribute(update, user, "Accepted")
    update.save()
    return update


def suggested_rating(action, *, as_of=None, period=None):
    """The level the RAG rules suggest for ``action`` now, for the update form."""
    strategy = action.theme.strategy
    period = period or current_period(strategy)
    accepted = (
        period is not None
        and Update.objects.filter(
            action=action, period=period, status=UpdateStatus.ACCEPTED
        ).exists()
    )
    return suggest_for_action(
        action, strategy.rag_levels.all(), as_of or timezone.localdate(), accepted
    )
