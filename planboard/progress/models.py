"""The quarterly cycle: reporting periods, leads' updates, target changes and snapshots.

Every state change is a row: an update is submitted, returned and accepted in place
(its history keeps each version), a moved target date is a TargetChange, and a closed
period is a set of ActionSnapshots that later edits cannot change.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planboard.plans.models import Action, DatePrecision, RagLevel, Strategy, format_target


class PeriodStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReportingPeriodQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PeriodStatus.OPEN)

    def closed(self):
        return self.filter(status=PeriodStatus.CLOSED)


class ReportingPeriod(models.Model):
    """A quarter (or other span) in which leads report on their actions."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(max_length=40, help_text='For example "2017/18 Q1".')
    starts_on = models.DateField()
    ends_on = models.DateField()
    updates_due = models.DateField(help_text="When leads' updates are due.")
    status = models.CharField(
        max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.PLANNED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "label"], name="unique_period_label"),
            models.UniqueConstraint(
                fields=["strategy"],
                condition=Q(status="open"),
                name="one_open_period_per_strategy",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED

    def contains(self, date: datetime.date) -> bool:
        return self.starts_on <= date <= self.ends_on


class UpdateStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    RETURNED = "returned", "Returned to the lead"
    ACCEPTED = "accepted", "Accepted"


class Update(models.Model):
    """A lead's report on one action in one period; one per action and period.

    A returned update is edited and submitted again in place; its history keeps
    every version. ``version`` guards against two people saving at once.
    """

    NARRATIVE_LIMIT = 5000

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="updates")
    narrative = models.TextField()
    proposed_rag = models.ForeignKey(
        RagLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complete = models.BooleanField(default=False)
    new_target_date = models.DateField(null=True, blank=True)
    new_target_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.MONTH
    )
    target_change_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    on_behalf = models.BooleanField(
        default=False, help_text="Entered by the governance team on the lead's behalf."
    )
    suggested_rag = models.ForeignKey(
        RagLevel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="What the RAG rules suggested when the update was accepted.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__starts_on", "action__theme__number", "action__number"]
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="one_update_per_period"),
        ]

    def __str__(self):
        return f"Update on {self.action.ref} for {self.period}"

    @property
    def is_accepted(self) -> bool:
        return self.status == UpdateStatus.ACCEPTED

    @property
    def new_target_display(self) -> str:
        return format_target(self.new_target_date, self.new_target_precision)


class TargetChange(models.Model):
    """A move of an action's target date, with the reason given: slippage as history."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="target_changes")
    update = models.ForeignKey(
        Update, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_date = models.DateField(null=True, blank=True)
    from_precision = models.CharField(max_length=10, choices=DatePrecision.choices)
    to_date = models.DateField()
    to_precision = models.CharField(max_length=10, choices=DatePrecision.choices)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "changed_at", "id"]

    def __str__(self):
        return f"{self.action.ref}: {self.from_display} to {self.to_display}"

    @property
    def from_display(self) -> str:
        return format_target(self.from_date, self.from_precision)

    @property
    def to_display(self) -> str:
        return format_target(self.to_date, self.to_precision)

    @property
    def is_slip(self) -> bool:
        return self.from_date is None or self.to_date > self.from_date


class SnapshotIsFrozen(Exception):
    """Raised on any attempt to change a snapshot of a closed period."""


class ActionSnapshot(models.Model):
    """An action as it stood when its period closed; never changed afterwards.

    It copies what a paper prints (not references to rows that may change), so a
    closed period's paper can be generated again, identically, years later.
    """

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="snapshots")
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="snapshots"
    )
    ref = models.CharField(max_length=20)
    theme_number = models.PositiveSmallIntegerField()
    theme_title = models.CharField(max_length=300)
    number = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=300, blank=True)
    cited_commitments = models.JSONField(default=list)
    text = models.TextField()
    progress = models.TextField(blank=True)
    status = models.CharField(max_length=20)
    target_date = models.DateField(null=True, blank=True)
    target_precision = models.CharField(max_length=10)
    original_target_date = models.DateField(null=True, blank=True)
    original_target_precision = models.CharField(max_length=10)
    target_moves = models.PositiveSmallIntegerField(default=0)
    rag_label = models.CharField(max_length=40, blank=True)
    rag_colour = models.CharField(max_length=20, blank=True)
    rag_position = models.PositiveSmallIntegerField(null=True, blank=True)
    rag_text = models.CharField(max_length=40, blank=True)
    leads = models.JSONField(default=list, help_text="Lead roles' short names.")
    lead_text = models.CharField(max_length=500, blank=True)
    update = models.JSONField(
        null=True, blank=True, help_text="The period's update as it stood, or null."
    )

    class Meta:
        ordering = ["period", "theme_number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "ref"], name="one_snapshot_per_ref"),
        ]

    def __str__(self):
        return f"{self.ref} at {self.period}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise SnapshotIsFrozen(f"The snapshot of {self.ref} in {self.period_id} is frozen.")
        super().save(*args, **kwargs)

    @property
    def target_display(self) -> str:
        if self.target_date is None:
            return "Completed" if self.status == "complete" else ""
        return format_target(self.target_date, self.target_precision)

    @property
    def is_complete(self) -> bool:
        return self.status == "complete"

    def is_overdue(self, as_of: datetime.date) -> bool:
        return not self.is_complete and self.target_date is not None and as_of > self.target_date


class Reminder(models.Model):
    """A reminder e-mail sent, so the same one is not sent twice in a day."""

    class Kind(models.TextChoices):
        LEAD = "lead", "Outstanding updates"
        DIGEST = "digest", "Governance digest"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()
    sent_at = models.DateTimeField()
    action_refs = models.JSONField(default=list)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "recipient", "kind", "sent_on"], name="one_reminder_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_on}"
