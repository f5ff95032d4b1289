"""E-mails planboard sends when something happens: one row per message to one person.

A row is written in the same transaction as the event it tells of, with the task that
sends it (``planboard.notifications.sending``), so a change that rolls back tells no
one and one that commits is sure to be told. ``event`` names what happened
("update-returned:12:3"); one event never makes two messages for one address.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from planboard.plans.models import TagColour, tag_colours


class Kind(models.TextChoices):
    """What an e-mail tells of. The label completes "An e-mail when ..."."""

    UPDATE_RETURNED = "update_returned", "an update you lead is returned to you with a comment"
    UPDATE_ACCEPTED = "update_accepted", "an update you lead is accepted"
    PERIOD_OPENED = "period_opened", "a reporting period opens with actions you lead"
    PAPER_READY = "paper_ready", "a paper file you asked for is ready"
    REQUEST_RECEIVED = "request_received", "someone asks for a strategy in another format"
    REQUEST_ANSWERED = "request_answered", "a request for another format is answered"


# The kinds a person may turn off. An update returned needs its lead to act, and a
# request for another format is someone waiting on the governance team, so those are
# always sent; the rest say what the pages already show.
OPTIONAL = (Kind.UPDATE_ACCEPTED, Kind.PERIOD_OPENED, Kind.PAPER_READY)
# Which kinds go to whom, for the "Your e-mails" page.
FOR_LEADS = (Kind.UPDATE_RETURNED, Kind.UPDATE_ACCEPTED, Kind.PERIOD_OPENED)
FOR_GOVERNANCE = (Kind.PAPER_READY, Kind.REQUEST_RECEIVED)


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    TURNED_OFF = "turned_off", "Not sent: turned off"

    colour = tag_colours(
        {
            "queued": TagColour.GREY,
            "sending": TagColour.BLUE,
            "sent": TagColour.GREEN,
            "failed": TagColour.RED,
            "turned_off": TagColour.WHITE,
        }
    )


class Notification(models.Model):
    """One e-mail to one address about one event, and how sending it went."""

    kind = models.CharField(max_length=32, choices=Kind.choices)
    event = models.CharField(max_length=200, help_text='What happened: "update-returned:12:3".')
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="Empty for someone with no account (a member of the public).",
    )
    address = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField()
    link = models.CharField(max_length=500)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The last time the worker sending it said it was alive, by the database's clock.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "address"], name="one_notification_per_event_and_address"
            )
        ]
        indexes = [
            models.Index(fields=["status", "claimed_at"], name="notification_status"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.address}"

    @property
    def status_colour(self) -> str:
        return Status(self.status).colour


class TurnedOff(models.Model):
    """A kind of e-mail someone has asked not to be sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emails_turned_off"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    turned_off_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_turned_off_per_kind")
        ]

    def __str__(self):
        return f"{self.user} turned off {self.kind}"
