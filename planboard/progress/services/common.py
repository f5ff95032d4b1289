"""What the cycle's services share: their errors, the period lock and text limits."""

from planboard.lib import versions
from planboard.progress.errors import CycleError
from planboard.progress.models import ReportingPeriod

__all__ = ["CycleError", "EditConflict", "bounded_text", "lock_period"]


class EditConflict(versions.EditConflict):
    """Someone else saved first; ``current`` is the newer version, re-read (or None)."""

    default_message = "Someone else saved this update after you opened it, so yours was not saved."


def lock_period(period_id, *, strategy_id=None):
    """The period, locked until the transaction ends; it must be open to take changes.

    Every write of the cycle locks its period row first (on PostgreSQL; SQLite's
    IMMEDIATE transactions already run writers one at a time), so an update cannot slip
    into a period while it is being closed and snapshotted.
    """
    period = ReportingPeriod.objects.select_for_update(no_key=True).get(pk=period_id)
    if strategy_id is not None and period.strategy_id != strategy_id:
        raise CycleError(f"{period.label} is not a period of this action's strategy.")
    if period.is_closed:
        raise CycleError(f"{period.label} is closed; its updates can no longer change.")
    if not period.is_open:
        raise CycleError(f"{period.label} is not open yet, so it cannot take updates.")
    return period


def bounded_text(value, limit: int, what: str, *, field: str, required: str = "") -> str:
    """``value`` stripped, with browsers' CRLF line ends counted as one character.

    A CycleError about ``field`` when it is over ``limit`` characters, or empty and
    ``required`` (whose text is then the message).
    """
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise CycleError(required, field)
    if len(value) > limit:
        raise CycleError(
            f"{what} must be {limit:,} characters or fewer (you have {len(value):,})", field
        )
    return value
