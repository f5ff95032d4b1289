"""What the public page may show, kept apart from the plan's own (internal) text.

Nothing reaches a public page unless governance has published it: a strategy appears
only when its ``StrategyPublication`` says so, and an action only when its own
``ActionPublication`` does. What the public reads is the plain-English ``summary``
written here for them, never the plan's wording, progress narratives or names.

Each record has a ``version`` so that two editors saving at once are told, not
overwritten, and a history of who changed what.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from planboard.plans.models import Action, Commitment, Strategy, Theme

SUMMARY_LIMIT = 1500


class StrategyPublication(models.Model):
    """Whether a strategy has a public page, and what it is for in plain English."""

    strategy = models.OneToOneField(Strategy, on_delete=models.CASCADE, related_name="publication")
    published = models.BooleanField(default=False)
    summary = models.TextField(
        blank=True, help_text="What the strategy is for, in plain English, for the public."
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self):
        return f"Public page of {self.strategy}"


class ThemePublication(models.Model):
    """A theme explained in plain English on the public page."""

    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="publication")
    summary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    # False for a theme an import added: it stays off the public page until one of its
    # actions is published or its summary is written (an import never changes the page).
    listed = models.BooleanField(default=True)
    # The title as it was published, kept when the plan's title changes after that; the
    # page shows it until governance publishes the new title ("" shows the plan's own).
    published_title = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Public summary of theme {self.theme.number}"


class CommitmentPublication(models.Model):
    """Whether a commitment is on the public page, and the words it was published with.

    A commitment with no record is shown as the plan words it (as every commitment was
    before commitments could be added on planboard's pages). One added on planboard's
    pages is kept off (``listed`` False) until governance publishes it; when the words
    of a shown one change, ``published_text`` keeps the words the public page shows
    until the new words are published.
    """

    commitment = models.OneToOneField(
        Commitment, on_delete=models.CASCADE, related_name="publication"
    )
    listed = models.BooleanField(default=True)
    published_text = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Public words of commitment {self.commitment.ref}"


class ActionPublication(models.Model):
    """Whether an action is on the public page, and its plain-English summary."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="publication")
    published = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self):
        return f"Public summary of action {self.action.ref}"


class RequestedFormat(models.TextChoices):
    """The formats the NHS Accessible Information Standard asks services to offer."""

    EASY_READ = "easy_read", "Easy read"
    LARGE_PRINT = "large_print", "Large print"
    AUDIO = "audio", "Audio"
    BRAILLE = "braille", "Braille"
    BSL = "bsl", "British Sign Language (BSL)"
    LANGUAGE = "language", "Another language"
    OTHER = "other", "Something else"


class InformationRequest(models.Model):
    """Someone's request for a strategy's progress in another format, for governance to answer.

    It holds a member of the public's contact details, so it is shown only to the
    governance team and never on a public page, feed or download.
    """

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="information_requests"
    )
    format = models.CharField(max_length=20, choices=RequestedFormat.choices)
    language = models.CharField(max_length=100, blank=True)
    details = models.TextField(blank=True)
    name = models.CharField(max_length=200)
    contact = models.CharField(max_length=300, help_text="An email address, phone or address.")
    received_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When it came and who answered it, without the person's own details.
    history = HistoricalRecords(excluded_fields=["language", "details", "name", "contact"])

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.get_format_display()} of {self.strategy}"

    @property
    def format_display(self) -> str:
        """The format asked for, with the language when one was named."""
        if self.format == RequestedFormat.LANGUAGE and self.language:
            return f"{self.get_format_display()}: {self.language}"
        return self.get_format_display()


class RequestCount(models.Model):
    """How many requests for another format one client address sent in one clock hour.

    Counted in the database, not in a worker's memory, so the hourly limit holds however
    many workers and servers answer the form (``planboard.public.throttle``). The address
    is kept only as a keyed hash, and the counts of past hours are deleted as new
    requests come in: this is not a record of who asked, only a guard against a script.
    """

    address = models.CharField(max_length=64)
    hour = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "hour"], name="one_count_per_address_hour")
        ]
        indexes = [models.Index(fields=["hour"], name="public_requestcount_hour")]

    def __str__(self):
        return f"{self.requests} requests in the hour from {self.hour:%Y-%m-%d %H:00}"


class EngagementSummary(models.Model):
    """The public summary of a strategy's engagement: its introduction in plain English,
    and whether it is published (``published_at``). The summary's figures and the
    outcomes it lists are worked out from the engagement app when the page is read."""

    strategy = models.OneToOneField(
        Strategy, on_delete=models.CASCADE, related_name="engagement_summary"
    )
    introduction = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self):
        return f"Public summary of the engagement of {self.strategy}"

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def summary(self) -> str:
        """The introduction, under the name the public text editor reads."""
        return self.introduction
