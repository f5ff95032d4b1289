"""What a closed period freezes: each action as it stood, and the rest of its paper.

A closed period is a set of ActionSnapshots and one PeriodRecord that later edits of
the plan cannot change, so its paper can be made again, identically, years later.
"""

from django.db import models

from planboard.plans.models import Action, ActionStatus, format_target
from planboard.plans.targets import TargetFacts, times_moved
from planboard.progress.models.cycle import RECEIVED, ReportingPeriod


class SnapshotIsFrozen(Exception):
    """Raised on any attempt to change a snapshot of a closed period."""


class ActionSnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # bulk_update() and queryset updates would bypass save(); a snapshot never changes.
        # (Deleting a period or strategy still deletes its snapshots, through the base
        # manager, and an action's deletion still clears ``action``.)
        raise SnapshotIsFrozen("Snapshots of a closed period cannot be changed.")


class ActionSnapshot(TargetFacts, models.Model):
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

    @property
    def has_slipped(self) -> bool:
        """The target had moved from the original by the close (see ``plans.targets``)."""
        return times_moved(self.target_moves, self.target_date, self.original_target_date) > 0

    @property
    def rag_display(self) -> str:
        return self.rag_label or self.rag_text

    @property
    def update_received(self) -> bool:
        """The period's update had been sent and not returned when the snapshot was taken."""
        return bool(self.update) and self.update.get("status") in RECEIVED


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
