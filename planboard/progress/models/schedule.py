"""When reminders go out on their own: each strategy's reminder schedule, the runs of
``send_reminders`` the scheduler or a person queued, and the scheduler's daily chores.

A strategy with no ``ReminderSchedule`` row reminds on the defaults below, so a new
strategy (and the demo) is reminded without anyone setting it up. A ``ReminderRun`` is
unique per strategy and day when the scheduler made it, so several schedulers on
several servers queue one run a day between them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planboard.plans.models import Strategy
from planboard.progress.models.cycle import ReportingPeriod

DEFAULT_DAYS_BEFORE = [7, 1]
DEFAULT_EVERY_WEEKDAYS = 2


class ReminderSchedule(models.Model):
    """The days a strategy's leads are reminded of updates due in its open period."""

    strategy = models.OneToOneField(
        Strategy, on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    enabled = models.BooleanField(default=True)
    days_before = models.JSONField(
        default=list, help_text="Remind this many days before updates are due."
    )
    on_due_date = models.BooleanField(default=True)
    after_due = models.BooleanField(default=True)
    every_weekdays = models.PositiveSmallIntegerField(
        default=DEFAULT_EVERY_WEEKDAYS,
        help_text="After the due date, remind every this many weekdays.",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self):
        return f"Reminder schedule of {self.strategy}"

    @classmethod
    def default_for(cls, strategy) -> "ReminderSchedule":
        """The schedule a strategy keeps until someone saves its own (version 0: unsaved)."""
        return cls(strategy=strategy, days_before=list(DEFAULT_DAYS_BEFORE), version=0)

    def reminds_on(self, due: datetime.date, day: datetime.date) -> bool:
        """Whether reminders of updates due on ``due`` go out on ``day``."""
        if not self.enabled:
            return False
        if day < due:
            return (due - day).days in self.days_before
        if day == due:
            return self.on_due_date
        if not self.after_due or day.weekday() >= 5:
            return False
        return weekdays_between(due, day) % max(self.every_weekdays, 1) == 0


def weekdays_between(start: datetime.date, end: datetime.date) -> int:
    """The weekdays after ``start`` up to and including ``end``."""
    days = (end - start).days
    whole, rest = divmod(days, 7)
    count = whole * 5
    for offset in range(1, rest + 1):
        if (start + datetime.timedelta(days=whole * 7 + offset)).weekday() < 5:
            count += 1
    return count


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Being sent"
    RUNNING = "running", "Being sent"
    DONE = "done", "Sent"
    FAILED = "failed", "Failed"


class ReminderRun(models.Model):
    """One run of ``send_reminders`` for a strategy: queued with its task, then its outcome."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "On schedule"
        NOW = "now", "Sent now"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    # The last time its worker said it was alive, by the database's clock.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    no_address = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "day"],
                condition=Q(trigger="schedule"),
                name="one_scheduled_reminder_run_a_day",
            ),
        ]

    def __str__(self):
        return f"Reminders for {self.strategy} on {self.day} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class DailyChore(models.Model):
    """A chore the scheduler queues once a day (pruning old task results): one row a day,
    so several schedulers queue it once between them."""

    name = models.CharField(max_length=50)
    day = models.DateField()
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="one_chore_a_day"),
        ]

    def __str__(self):
        return f"{self.name} on {self.day}"
