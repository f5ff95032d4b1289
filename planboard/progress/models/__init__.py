"""The quarterly cycle's records: the cycle as it runs (``cycle``) and what a closed
period freezes (``frozen``)."""

from planboard.progress.models.cycle import (
    RECEIVED,
    PeriodStatus,
    Reminder,
    ReportingPeriod,
    ReportingPeriodQuerySet,
    TargetChange,
    Update,
    UpdateQuerySet,
    UpdateStatus,
)
from planboard.progress.models.frozen import (
    ActionSnapshot,
    ActionSnapshotQuerySet,
    PeriodRecord,
    SnapshotIsFrozen,
)

__all__ = [
    "RECEIVED",
    "ActionSnapshot",
    "ActionSnapshotQuerySet",
    "PeriodRecord",
    "PeriodStatus",
    "Reminder",
    "ReportingPeriod",
    "ReportingPeriodQuerySet",
    "SnapshotIsFrozen",
    "TargetChange",
    "Update",
    "UpdateQuerySet",
    "UpdateStatus",
]
