"""What people said about the services, what was answered and done, and what is published.

A ``FeedbackItem`` comes from a source (Care Opinion, the Friends and Family Test, a
survey, a complaint ...) and is about one or more ``Service`` records (directorates and
the services under them). ``FeedbackResponse`` rows answer it, each with its claim of a
change (none, planned, made, not possible). The loop's state (received, responded,
change planned, change made or no change) is kept on the item with the date each step
was reached, so the time to respond and to change can be measured; ``loop.py`` keeps
those dates in step with the responses. An item links to the commitments and actions
its change belongs to (``action.feedback_items``, ``commitment.feedback_items``).

``FeedbackPublication`` is the moderated "you said, we did" for the public page: a
plain-English summary, never the item's own text, published only when the governance
team approves it. The source's staff-only fields (Care Opinion's criticality) live in
``FeedbackItem.staff_only`` and never reach a public page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

TITLE_LIMIT = 300
TEXT_LIMIT = 20_000
SUMMARY_LIMIT = 2_000


class ServiceKind(models.TextChoices):
    DIRECTORATE = "directorate", "Directorate"
    SERVICE = "service", "Service"


class Service(models.Model):
    """A directorate or a service of the trust that feedback can be about."""

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="feedback_services"
    )
    name = models.CharField(max_length=300)
    code = models.CharField(
        max_length=20,
        blank=True,
        help_text="Its ODS or NACS code, if it has one (Care Opinion names services by it).",
    )
    kind = models.CharField(max_length=20, choices=ServiceKind.choices, default=ServiceKind.SERVICE)
    parent = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="children"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "code"],
                condition=~Q(code=""),
                name="unique_feedback_service_code",
            ),
            models.UniqueConstraint(fields=["strategy", "name"], name="unique_feedback_service"),
        ]

    def __str__(self):
        return self.name


class ServiceCode(models.Model):
    """Another code a source gives for a service (one of several Care Opinion services
    the governance team counts as one of ours): code -> service, one service per code."""

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="feedback_service_codes"
    )
    code = models.CharField(max_length=20)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="source_codes")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "code"], name="unique_feedback_source_code"
            ),
        ]

    def __str__(self):
        return f"{self.code} -> {self.service}"


class Source(models.TextChoices):
    CARE_OPINION = "care_opinion", "Care Opinion"
    FFT_COMMENT = "fft_comment", "Friends and Family Test comment"
    SURVEY = "survey", "Survey"
    FORUM_OR_GROUP = "forum_or_group", "Forum or group"
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"
    EMAIL = "email", "E-mail"
    EVENT = "event", "Event"
    OTHER = "other", "Other"


class LoopState(models.TextChoices):
    RECEIVED = "received", "Received"
    RESPONDED = "responded", "Responded"
    CHANGE_PLANNED = "change_planned", "Change planned"
    CHANGE_MADE = "change_made", "Change made"
    NO_CHANGE = "no_change", "No change possible"


class FeedbackItem(models.Model):
    """Something a service user, carer or member of the public said, from one source.

    ``staff_only`` holds the source's fields that are for staff only (Care Opinion's
    criticality, the moderator's assessment, which Care Opinion does not publish): it
    must never be shown on a public page, in the public JSON or CSV, or in anything
    published. The loop's dates (``responded_at`` ... ``no_change_at``) are kept by
    ``loop.record_response``; ``loop_state`` reads them.
    """

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="feedback_items"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    source_id = models.CharField(
        max_length=100,
        blank=True,
        help_text="Its id at the source (a Care Opinion story id): a second sync updates it.",
    )
    given_on = models.DateField(null=True, blank=True, help_text="When the person gave it.")
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the source published it (Care Opinion)."
    )
    received_at = models.DateTimeField(help_text="When planboard received it.")
    title = models.CharField(max_length=TITLE_LIMIT, blank=True)
    text = models.TextField(help_text="As given; Markdown for Care Opinion stories.")
    services = models.ManyToManyField(Service, related_name="feedback_items", blank=True)
    author_role = models.CharField(
        max_length=100, blank=True, help_text='As given, e.g. "service user" or "carer".'
    )
    staff_only = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "The source's fields for staff only, such as Care Opinion's criticality. "
            "Never shown on a public page."
        ),
    )
    raised_concern = models.BooleanField(
        default=False,
        help_text="It raises a concern (counted by Care Opinion's headline figure).",
    )
    commitments = models.ManyToManyField(
        "plans.Commitment", related_name="feedback_items", blank=True
    )
    actions = models.ManyToManyField("plans.Action", related_name="feedback_items", blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    change_planned_at = models.DateTimeField(null=True, blank=True)
    change_made_at = models.DateTimeField(null=True, blank=True)
    no_change_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[services, commitments, actions])

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "source", "source_id"],
                condition=~Q(source_id=""),
                name="unique_feedback_source_id",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.get_source_display()} {self.source_id or self.pk}"

    @property
    def loop_state(self) -> str:
        """Where the loop stands, by its stored dates: a change made, else the later of
        a change planned and no change possible, else responded, else received."""
        if self.change_made_at:
            return LoopState.CHANGE_MADE
        if self.no_change_at and (
            self.change_planned_at is None or self.no_change_at >= self.change_planned_at
        ):
            return LoopState.NO_CHANGE
        if self.change_planned_at:
            return LoopState.CHANGE_PLANNED
        if self.responded_at:
            return LoopState.RESPONDED
        return LoopState.RECEIVED


class Polarity(models.TextChoices):
    POSITIVE = "positive", "What was good"
    NEGATIVE = "negative", "What could be improved"
    NEUTRAL = "neutral", "Neutral"


class FeedbackTag(models.Model):
    """A tag on an item, with the polarity it was given (Care Opinion tags have one)."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="tags")
    label = models.CharField(max_length=100)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["item", "label"], name="unique_feedback_tag"),
        ]

    def __str__(self):
        return f"{self.label} ({self.polarity})"


class Change(models.TextChoices):
    NONE = "none", "No change claimed"
    PLANNED = "planned", "Change planned"
    MADE = "made", "Change made"
    NOT_POSSIBLE = "not_possible", "No change possible"
    UNKNOWN = "unknown", "Not known"


class FeedbackResponse(models.Model):
    """An answer to an item, with its claim of a change. A claim that no change is
    possible carries the reason, which the statutory guidance says people are owed."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="responses")
    source_id = models.CharField(max_length=100, blank=True)
    author = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=300, blank=True)
    responded_at = models.DateTimeField()
    text = models.TextField()
    change = models.CharField(max_length=20, choices=Change.choices, default=Change.NONE)
    change_reason = models.TextField(
        blank=True, help_text="Why no change is possible (needed when it is not)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["responded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "source_id"],
                condition=~Q(source_id=""),
                name="unique_feedback_response_source_id",
            ),
        ]

    def __str__(self):
        return f"Response of {self.responded_at:%Y-%m-%d} to {self.item}"


class FeedbackPublication(models.Model):
    """The public "you said, we did" of an item: a plain-English summary (never the raw
    text), published once the governance team approves it, until it is withdrawn. Until
    then it may be a draft proposed by the governance team or a lead of a linked action
    (``proposed_by``, ``proposed_at``)."""

    item = models.OneToOneField(FeedbackItem, on_delete=models.CASCADE, related_name="publication")
    you_said = models.TextField(help_text="What the person said, in plain English.")
    we_did = models.TextField(help_text="What was done about it.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    flag_overruled_reason = models.TextField(
        blank=True, help_text="Why it was published although personal data was flagged."
    )
    flag_overruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    flag_overruled_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last proposed, as a draft to approve."
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self):
        return f"You said, we did: {self.item}"

    @property
    def is_published(self) -> bool:
        return self.approved_at is not None and self.withdrawn_at is None


# The Friends and Family Test's counts have a module of their own; importing the model
# here makes it this app's and lets ``from planboard.feedback.models import`` find it.
from planboard.feedback.fft_models import FriendsAndFamilyCount  # noqa: E402, F401
