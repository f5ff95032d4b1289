"""The quarterly cycle as it runs: reporting periods, leads' updates, target changes and
the reminders sent.

Every state change is a row: an update is submitted, returned and accepted in place
(its history keeps each version), and a moved target date is a TargetChange.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planboard.plans.models import (
    Action,
    DatePrecision,
    RagLevel,
    Strategy,
    TagColour,
    format_target,
    tag_colours,
)
from planboard.progress.errors import CycleError
from planboard.progress.periods import check_dates, check_no_overlap, period_slug


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
        """The services' rules for a period's dates, for the admin's form."""
        if not (self.starts_on and self.ends_on and self.updates_due):
            return
        try:
            check_dates(self.starts_on, self.ends_on, self.updates_due)
            if self.strategy_id:
                others = ReportingPeriod.objects.filter(strategy_id=self.strategy_id)
                check_no_overlap(
                    others.exclude(pk=self.pk), "This period", self.starts_on, self.ends_on
                )
        except CycleError as error:
            raise ValidationError(str(error)) from None


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
    # The reviewer's change to what the lead proposed, made as they accepted it: the
    # lead's proposal stays in proposed_rag and new_target_date beside it, and who
    # changed it and when are reviewed_by and reviewed_at.
    adjusted_rag = models.ForeignKey(
        RagLevel,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The rating the reviewer accepted in place of the one proposed.",
    )
    adjusted_target_date = models.DateField(
        null=True, blank=True, help_text="The target the reviewer accepted in place of the lead's."
    )
    adjusted_target_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.MONTH
    )
    adjustment_reason = models.TextField(
        blank=True, help_text="Why the reviewer changed the rating or target proposed."
    )
    own_review = models.BooleanField(
        default=False,
        help_text=(
            "Accepted or returned by the person who gave it, or on whose behalf it was "
            "given, as the strategy allowed."
        ),
    )
    not_accepted_at_close = models.BooleanField(
        default=False,
        help_text=(
            "Waiting for review or returned to its lead when the period closed; the "
            "governance team confirmed closing without accepting it."
        ),
    )
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
    def new_target_display(self) -> str:
        return format_target(self.new_target_date, self.new_target_precision)

    @property
    def adjusted_target_display(self) -> str:
        return format_target(self.adjusted_target_date, self.adjusted_target_precision)

    @property
    def is_adjusted(self) -> bool:
        """True when the reviewer accepted it with a rating or target of their own."""
        return self.adjusted_rag_id is not None or self.adjusted_target_date is not None

    @property
    def changes_made(self) -> str:
        """What the reviewer changed of the lead's proposal, as words to follow "changed":
        "the rating from Amber to Red and the target date to Dec 2017 (the lead proposed
        Sep 2017)"; "" when they changed nothing."""
        changes = []
        if self.adjusted_rag_id is not None:
            proposed = self.proposed_rag.label if self.proposed_rag else "no rating"
            changes.append(f"the rating from {proposed} to {self.adjusted_rag.label}")
        if self.adjusted_target_date is not None:
            proposed = self.new_target_display or "no change"
            changes.append(
                f"the target date to {self.adjusted_target_display} (the lead proposed {proposed})"
            )
        return " and ".join(changes)

    @property
    def accepted_rag(self):
        """The rating the update stands for: the reviewer's where they changed it."""
        return self.adjusted_rag if self.adjusted_rag_id is not None else self.proposed_rag


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
