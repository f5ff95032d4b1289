"""The quarterly cycle: reporting periods, leads' updates, target changes and snapshots.

Every state change is a row: an update is submitted, returned and accepted in place
(its history keeps each version), a moved target date is a TargetChange, and a closed
period is a set of ActionSnapshots that later edits cannot change.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planboard.plans.models import (
    Action,
    ActionStatus,
    DatePrecision,
    RagLevel,
    Strategy,
    TagColour,
    format_target,
    tag_colours,
)
from planboard.progress.periods import period_slug


class PeriodStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"

    colour = tag_colours(
        {"planned": TagColour.BLUE, "open": TagColour.GREEN, "closed": TagColour.GREY}
    )


class ReportingPeriodQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PeriodStatus.OPEN)

    def closed(self):
        return self.filter(status=PeriodStatus.CLOSED)

    def overlapping(self, starts_on: datetime.date, ends_on: datetime.date):
        return self.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)


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
    def slug(self) -> str:
        """The label as the period pages write it in addresses ("2016-17-q4")."""
        return period_slug(self.label)

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED

    def contains(self, date: datetime.date) -> bool:
        return self.starts_on <= date <= self.ends_on

    def previous_closed(self):
        """The latest closed period of the same strategy that started before this one."""
        return (
            ReportingPeriod.objects.closed()
            .filter(strategy_id=self.strategy_id, starts_on__lt=self.starts_on)
            .order_by("-starts_on")
            .first()
        )

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError("A period cannot end before it starts.")
        if self.starts_on and self.updates_due and self.updates_due < self.starts_on:
            raise ValidationError("Updates cannot be due before the period starts.")
        if self.strategy_id and self.starts_on and self.ends_on:
            others = ReportingPeriod.objects.filter(strategy_id=self.strategy_id)
            overlap = others.exclude(pk=self.pk).overlapping(self.starts_on, self.ends_on).first()
            if overlap is not None:
                raise ValidationError(f"This period would overlap {overlap.label}.")


class UpdateStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    RETURNED = "returned", "Returned to the lead"
    ACCEPTED = "accepted", "Accepted"

    colour = tag_colours(
        {"submitted": TagColour.BLUE, "returned": TagColour.ORANGE, "accepted": TagColour.GREEN}
    )


# An update counts as received from its lead while it waits for review or once it is
# accepted; a returned update is back with the lead, so the action still owes one.
RECEIVED = (UpdateStatus.SUBMITTED, UpdateStatus.ACCEPTED)


class UpdateQuerySet(models.QuerySet):
    def received(self):
        """Updates the lead has sent and governance has not returned."""
        return self.filter(status__in=RECEIVED)

    def waiting(self):
        return self.filter(status=UpdateStatus.SUBMITTED)


class Update(models.Model):
    """A lead's report on one action in one period; one per action and period.

    A returned update is edited and submitted again in place; its history keeps
    every version. ``version`` guards against two people saving at once.
    """

    NARRATIVE_LIMIT = 5000
    REASON_LIMIT = 1000
    COMMENT_LIMIT = 2000

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="updates")
    narrative = models.TextField()
    # RESTRICT: a level a lead proposed cannot be deleted on its own, but goes with
    # its strategy when the strategy is deleted or replaced.
    proposed_rag = models.ForeignKey(
        RagLevel, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
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

    objects = UpdateQuerySet.as_manager()

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
    def is_waiting(self) -> bool:
        return self.status == UpdateStatus.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.status == UpdateStatus.RETURNED

    @property
    def is_received(self) -> bool:
        return self.status in RECEIVED

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


class ActionSnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # bulk_update() and queryset updates would bypass save(); a snapshot never changes.
        # (Deleting a period or strategy still deletes its snapshots, through the base
        # manager, and an action's deletion still clears ``action``.)
        raise SnapshotIsFrozen("Snapshots of a closed period cannot be changed.")


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
    completed_on = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    target_precision = models.CharField(max_length=10)
    original_target_date = models.DateField(null=True, blank=True)
    original_target_precision = models.CharField(max_length=10)
    target_moves = models.PositiveSmallIntegerField(default=0)
    rag_label = models.CharField(max_length=40, blank=True)
    rag_colour = models.CharField(max_length=20, blank=True)
    rag_position = models.PositiveSmallIntegerField(null=True, blank=True)
    rag_complete = models.BooleanField(
        default=False, help_text="The level means complete (Blue in a BRAG scale)."
    )
    rag_text = models.CharField(max_length=40, blank=True)
    leads = models.JSONField(default=list, help_text="Lead roles' short names.")
    lead_text = models.CharField(max_length=500, blank=True)
    update = models.JSONField(
        null=True, blank=True, help_text="The period's update as it stood, or null."
    )

    objects = ActionSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["period_id", "theme_number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "ref"], name="one_snapshot_per_ref"),
        ]

    def __str__(self):
        return f"{self.ref} at {self.period}"

    def save(self, *args, **kwargs):
        if self.pk is not None or self._state.db is not None:
            raise SnapshotIsFrozen(
                f"The snapshot of action {self.ref} is frozen and cannot be changed."
            )
        super().save(*args, **kwargs)

    @property
    def target_display(self) -> str:
        if self.target_date is None:
            return "Completed" if self.is_complete else ""
        return format_target(self.target_date, self.target_precision)

    @property
    def is_complete(self) -> bool:
        return self.status == ActionStatus.COMPLETE

    @property
    def status_display(self) -> str:
        return ActionStatus(self.status).label if self.status in ActionStatus.values else ""

    def is_overdue(self, as_of: datetime.date) -> bool:
        return not self.is_complete and self.target_date is not None and as_of > self.target_date

    @property
    def rag_display(self) -> str:
        return self.rag_label or self.rag_text

    @property
    def update_received(self) -> bool:
        """The period's update had been sent and not returned when the snapshot was taken."""
        return bool(self.update) and self.update.get("status") in RECEIVED


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


class PeriodRecord(models.Model):
    """What a closed period's paper prints beyond its action rows, frozen at the close.

    The themes and their commitments, which actions served each commitment, the RAG
    key and the checker's findings are copied as plain data when the period closes,
    so the period's paper can be built again later from its own record rather than
    from the plan as it has since become. ``content`` is documented in
    ``planboard.progress.records``.
    """

    period = models.OneToOneField(ReportingPeriod, on_delete=models.CASCADE, related_name="record")
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Record of {self.period}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SnapshotIsFrozen(f"The record of {self.period} is frozen and cannot be changed.")
        super().save(*args, **kwargs)
