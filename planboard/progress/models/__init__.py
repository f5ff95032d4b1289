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
from planboard.progress.models.schedule import (
    DailyChore,
    ReminderRun,
    ReminderSchedule,
    RunStatus,
)

__all__ = [
    "RECEIVED",
    "ActionSnapshot",
    "ActionSnapshotQuerySet",
    "DailyChore",
    "PeriodRecord",
    "PeriodStatus",
    "Reminder",
    "ReminderRun",
    "ReminderSchedule",
    "ReportingPeriod",
    "ReportingPeriodQuerySet",
    "RunStatus",
    "SnapshotIsFrozen",
    "TargetChange",
    "Update",
    "UpdateQuerySet",
    "UpdateStatus",
]
