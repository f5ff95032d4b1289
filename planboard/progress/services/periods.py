"""Reporting periods: set one up, open it, close it (freezing the plan as it stands)."""

from django.db import IntegrityError, transaction

from planboard.lib import clock
from planboard.lib.history import attribute
from planboard.lib.services import service
from planboard.people.permissions import require_governance
from planboard.progress import notices
from planboard.progress.models import (
    ActionSnapshot,
    PeriodRecord,
    PeriodStatus,
    ReportingPeriod,
    UpdateStatus,
)
from planboard.progress.periods import (
    EXAMPLE,
    canonical_label,
    check_dates,
    check_no_overlap,
    check_updates_due,
    parse_quarter_label,
    period_slug,
)
from planboard.progress.records import plan_record
from planboard.progress.services.common import CycleError
from planboard.progress.signals import period_closed
from planboard.progress.snapshots import snapshot_rows

# The field a refusal to close names: the close page's confirmation.
CONFIRM_FIELD = "confirm_not_accepted"


def current_period(strategy):
    """The strategy's open period, or None."""
    return ReportingPeriod.objects.open().filter(strategy=strategy).first()


@service
@transaction.atomic
def create_period(strategy, label, *, user, updates_due=None, starts_on=None, ends_on=None):
    """Set up a planned period; a quarter label such as "2017/18 Q1" gives its dates.

    ``user`` None means the command line.
    """
    require_governance(user, "set up reporting periods", command_line_ok=True)
    label = canonical_label(label)
    if starts_on is None and ends_on is None:
        try:
            starts_on, ends_on = parse_quarter_label(label)
        except ValueError as err:
            raise CycleError(str(err), "label") from None
    elif starts_on is None or ends_on is None:
        raise CycleError("Give both the first and the last day of the period, or neither.")
    period = ReportingPeriod(
        strategy=strategy,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        updates_due=updates_due or ends_on,
    )
    return save_period(period, user=user, reason="Period set up")


@service
@transaction.atomic
def save_period(period, *, user, reason="Period corrected"):
    """Save a new period, or corrections to a planned or open one's label and dates.

    A closed period stays as it closed: its papers were made from it.
    """
    require_governance(user, "set up reporting periods", command_line_ok=True)
    if period.pk is not None:
        saved = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if saved.is_closed:
            raise CycleError(f"{saved.label} is closed, so it cannot be changed.")
    label = period.label = canonical_label(period.label)
    if not label:
        raise CycleError(f'Give the period a label, such as "{EXAMPLE}".', "label")
    if len(label) > ReportingPeriod._meta.get_field("label").max_length:
        raise CycleError(
            f'The label "{label[:20]}..." is too long; keep it to 40 characters.', "label"
        )
    check_dates(period.starts_on, period.ends_on, period.updates_due)
    periods = ReportingPeriod.objects.filter(strategy=period.strategy_id).exclude(pk=period.pk)
    if periods.filter(label=label).exists():
        raise CycleError(f'This strategy already has a period "{label}".', "label")
    clash = next((p for p in periods if p.slug == period_slug(label)), None)
    if clash is not None:
        raise CycleError(
            f'"{label}" reads like "{clash.label}" in addresses; choose a label that differs '
            "by more than punctuation.",
            "label",
        )
    check_no_overlap(periods, label, period.starts_on, period.ends_on)
    attribute(period, user, reason)
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:
        raise CycleError(f'This strategy already has a period "{label}".', "label") from None
    return period


@service
@transaction.atomic
def delete_period(period, *, user) -> None:
    """Delete a planned or open period set up by mistake, with its updates."""
    require_governance(user, "delete reporting periods")
    if ReportingPeriod.objects.select_for_update().get(pk=period.pk).is_closed:
        raise CycleError(f"{period.label} is closed, so it cannot be deleted.")
    attribute(period, user, "Period deleted")
    period.delete()


@service
@transaction.atomic
def open_period(strategy, label, *, user, updates_due=None, when=None):
    """Open the period ``label`` (setting it up first if needed); only one may be open."""
    require_governance(user, "open reporting periods", command_line_ok=True)
    label = canonical_label(label)
    periods = ReportingPeriod.objects.filter(strategy=strategy)
    period = periods.select_for_update().filter(label=label).order_by("pk").first()
    if period is None:
        period = create_period(strategy, label, user=user, updates_due=updates_due)
    if period.is_closed:
        raise CycleError(
            f"{period.label} is closed; a closed period cannot be opened again.", "label"
        )
    if period.is_open:
        raise CycleError(f"{period.label} is already open.", "label")
    other = periods.open().first()
    if other is not None:
        raise CycleError(
            f"{other.label} is still open; close it before opening {period.label}.", "label"
        )
    later = periods.closed().filter(starts_on__gt=period.starts_on).order_by("starts_on").first()
    if later is not None:
        raise CycleError(
            f"{later.label} is already closed, so the earlier {period.label} cannot be opened.",
            "label",
        )
    if updates_due:
        check_updates_due(updates_due, period.starts_on)
        period.updates_due = updates_due
    period.status = PeriodStatus.OPEN
    period.opened_at = when or clock.now()
    attribute(period, user, "Period opened")
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:  # another period was opened at the same moment
        raise CycleError(
            f"Another period of this strategy was opened just now; close it before "
            f"opening {period.label}.",
            "label",
        ) from None
    notices.period_opened(period)
    return period


@service
@transaction.atomic
def close_period(period, *, user, when=None, confirm_not_accepted=False):
    """Close an open period and freeze a snapshot of every action of its strategy.

    Updates still waiting for review or returned to their leads are never accepted once
    the period closes: closing refuses while there are any, unless
    ``confirm_not_accepted`` (True, or the number of them the person was shown, which
    must still be right), and then marks each ``not_accepted_at_close``, so the closed
    period shows them. The period's record (themes, commitments, coverage, RAG key and
    findings) is frozen with it, and ``period_closed`` is sent so other apps can freeze
    what they keep.
    """
    require_governance(user, "close reporting periods", command_line_ok=True)
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not locked.is_open:
        raise CycleError(f"{locked.label} is not open, so it cannot be closed.")
    unaccepted = list(locked.updates.exclude(status=UpdateStatus.ACCEPTED).order_by("pk"))
    if unaccepted and not confirm_not_accepted:
        count = len(unaccepted)
        raise CycleError(
            f"{count} update{'s are' if count != 1 else ' is'} not accepted; confirm that "
            f"{locked.label} closes without {'them' if count != 1 else 'it'}.",
            CONFIRM_FIELD,
        )
    shown = confirm_not_accepted
    if unaccepted and not isinstance(shown, bool) and shown != len(unaccepted):
        raise CycleError(
            f"{len(unaccepted)} updates are not accepted now, not {shown} as listed; look at "
            f"the list again before closing {locked.label}.",
            CONFIRM_FIELD,
        )
    for update in unaccepted:
        update.not_accepted_at_close = True
        attribute(update, user, "Not accepted when the period closed")
        update.save(update_fields=["not_accepted_at_close"])
    # Read while the period is still open, so its "not updated" findings are recorded.
    record = plan_record(locked.strategy, locked.ends_on)
    locked.status = PeriodStatus.CLOSED
    locked.closed_at = when or clock.now()
    locked.closed_by = user
    attribute(locked, user, "Period closed")
    locked.save()
    ActionSnapshot.objects.bulk_create(snapshot_rows(locked))
    PeriodRecord.objects.create(period=locked, content=record)
    period_closed.send(sender=ReportingPeriod, period=locked, user=user)
    period.refresh_from_db()
    return period
