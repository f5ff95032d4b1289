"""Who is involved where, at what level, and what it changed.

An ``Activity`` is one piece of engagement work (a standing group such as SUNRISE or
SUSEG, an event, a co-production project, a recruitment panel ...) about one or more
directorates and services (the feedback app's ``Service``, shared), at a level of
involvement (inform, consult, involve, collaborate, co-produce), serving commitments
and actions of the plan, with its outcome: what changed because of it, and whether and
how that was fed back to the people who took part.

``Participation`` counts the people who took part by perspective (service users,
carers, Experts by Experience ...), and ``EqualityCount`` holds optional aggregate
equality monitoring: counts only, never a person.

The private register, ``Participant`` (a person, their consent, contact and access
needs) and ``Involvement`` (their part in an activity, its hours and reward, priced
from the ``RewardRate`` in force that day), is for the governance team and the
activity's lead only (``people.permissions.may_see_register``): nothing of it reaches a
paper, the public page or an export unless the governance team asks for it by name.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planboard.plans.models import TagColour, tag_colours

TITLE_LIMIT = 300
TEXT_LIMIT = 10_000
SHORT_LIMIT = 100


class Kind(models.TextChoices):
    STANDING_GROUP = "standing_group", "Standing group or forum"
    EVENT = "event", "Event"
    QI_PROJECT = "qi_project", "Quality-improvement project"
    COPRODUCTION = "coproduction", "Co-production project"
    RECRUITMENT = "recruitment", "Recruitment panel"
    CONSULTATION = "consultation", "Consultation"
    SURVEY = "survey", "Survey"
    TRAINING = "training", "Training co-delivered"
    OTHER = "other", "Other"


class Level(models.TextChoices):
    """The levels of involvement, lowest first (the "engagement onion" from its outer
    ring, informing, to its core, co-production)."""

    INFORM = "inform", "Inform"
    CONSULT = "consult", "Consult"
    INVOLVE = "involve", "Involve"
    COLLABORATE = "collaborate", "Collaborate"
    COPRODUCE = "coproduce", "Co-produce"

    colour = tag_colours(
        {
            "inform": TagColour.GREY,
            "consult": TagColour.BLUE,
            "involve": TagColour.AQUA_GREEN,
            "collaborate": TagColour.GREEN,
            "coproduce": TagColour.PURPLE,
        }
    )


LEVEL_RANK = {value: rank for rank, value in enumerate(Level.values, start=1)}


class Recurrence(models.TextChoices):
    ONCE = "once", "Once"
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    OTHER = "other", "Other"


class Perspective(models.TextChoices):
    SERVICE_USER = "service_user", "Service users"
    CARER = "carer", "Carers"
    EXPERT_BY_EXPERIENCE = "expert_by_experience", "Experts by Experience"
    PEER_WORKER = "peer_worker", "Peer workers"
    STAFF_LIVED_EXPERIENCE = "staff_lived_experience", "Staff with lived experience"
    PUBLIC = "public", "Public"


class Activity(models.Model):
    """One piece of engagement work, where it happened, at what level and what it changed.

    It covers every day from ``starts_on`` to ``ends_on`` (the start alone when there is
    no end; a standing group still meeting has ``ends_on`` empty and ``ongoing`` set).
    ``ref`` is the register's own reference, which an import matches rows by.
    ``public_outcome`` is the plain-English "what it changed" the governance team
    publishes (``outcome_published_at``); ``outcome`` is the record for staff.
    """

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="engagement_activities"
    )
    ref = models.CharField(max_length=SHORT_LIMIT, blank=True)
    title = models.CharField(max_length=TITLE_LIMIT)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.INFORM)
    services = models.ManyToManyField(
        "feedback.Service", related_name="engagement_activities", blank=True
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    ongoing = models.BooleanField(default=False)
    recurrence = models.CharField(
        max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    purpose = models.TextField(blank=True)
    commitments = models.ManyToManyField(
        "plans.Commitment", related_name="engagement_activities", blank=True
    )
    actions = models.ManyToManyField(
        "plans.Action", related_name="engagement_activities", blank=True
    )
    lead = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement_activities",
    )
    outcome = models.TextField(blank=True, help_text="What changed because of it.")
    fed_back_on = models.DateField(
        null=True, blank=True, help_text="When the outcome was fed back to those who took part."
    )
    fed_back_how = models.CharField(max_length=TITLE_LIMIT, blank=True)
    public_outcome = models.TextField(blank=True)
    outcome_published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[services, commitments, actions])

    class Meta:
        ordering = ["strategy", "-starts_on", "title"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "ref"], condition=~Q(ref=""), name="unique_activity_ref"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["strategy", "starts_on"])]

    def __str__(self):
        return self.title

    @property
    def level_rank(self) -> int:
        return LEVEL_RANK[self.level]

    @property
    def fed_back(self) -> bool:
        return self.fed_back_on is not None


class Participation(models.Model):
    """How many people of one perspective took part in an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participation")
    perspective = models.CharField(max_length=30, choices=Perspective.choices)
    count = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "perspective"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "perspective"], name="unique_participation"
            ),
        ]

    def __str__(self):
        return f"{self.count} {self.get_perspective_display()}"


class Characteristic(models.TextChoices):
    """The breakdown NICE QS14 asks reports to the board to give."""

    AGE = "age", "Age"
    SEX = "sex", "Sex"
    GENDER = "gender", "Gender identity"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    ETHNICITY = "ethnicity", "Ethnic background"
    RELIGION = "religion", "Religion or belief"
    DISABILITY = "disability", "Disability"
    SOCIOECONOMIC = "socioeconomic", "Socioeconomic status"


class EqualityCount(models.Model):
    """Optional aggregate equality monitoring of an activity: how many of those who took
    part said ``category`` (an age band, an ethnic group ...) of ``characteristic``."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="equality_counts")
    characteristic = models.CharField(max_length=30, choices=Characteristic.choices)
    category = models.CharField(max_length=SHORT_LIMIT)
    count = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "characteristic", "category"], name="unique_equality_count"
            ),
        ]

    def __str__(self):
        return f"{self.get_characteristic_display()}: {self.category} ({self.count})"


# --- the private register ------------------------------------------------------------


class Participant(models.Model):
    """A person in the private register: an Expert by Experience or another paid or
    volunteer participant. Seen only by the governance team and the leads of the
    activities they took part in."""

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="engagement_participants"
    )
    name = models.CharField(max_length=TITLE_LIMIT)
    perspective = models.CharField(
        max_length=30, choices=Perspective.choices, default=Perspective.EXPERT_BY_EXPERIENCE
    )
    consent_given_on = models.DateField(
        null=True, blank=True, help_text="When they agreed to be kept in the register."
    )
    consent_withdrawn_on = models.DateField(null=True, blank=True)
    contact = models.TextField(blank=True)
    access_needs = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "name"]

    def __str__(self):
        return self.name

    @property
    def consented(self) -> bool:
        return self.consent_given_on is not None and self.consent_withdrawn_on is None


class RateUnit(models.TextChoices):
    HOUR = "hour", "Per hour"
    BLOCK = "block", "Per block of hours, or part of one"
    SESSION = "session", "Per session"


class RewardRate(models.Model):
    """A line of the rate card: what ``name`` (a role, such as "Working group member")
    is paid, from ``valid_from`` until the next line of the same name starts. Rates
    differ by trust and change over time, so a line is never changed once an
    involvement is priced from it: a new rate is a new line."""

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="engagement_rates"
    )
    name = models.CharField(max_length=SHORT_LIMIT)
    unit = models.CharField(max_length=10, choices=RateUnit.choices, default=RateUnit.HOUR)
    block_hours = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="For a block rate."
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    valid_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "name", "valid_from"], name="unique_reward_rate"
            ),
        ]

    def __str__(self):
        return f"{self.name} from {self.valid_from:%d %b %Y}: £{self.amount}"


class Reward(models.TextChoices):
    NONE = "none", "None"
    EXPENSES = "expenses", "Expenses only"
    PAYMENT = "payment", "Payment"
    VOUCHER = "voucher", "Voucher"
    DECLINED = "declined", "Declined"


class Involvement(models.Model):
    """A participant's part in an activity: the day, the role, the hours and the reward.

    ``amount_due`` is priced by ``engagement.services`` from ``rate`` (the line in force
    on ``took_part_on``) for a payment or a voucher; ``expenses`` are claimed on top.
    ``paid_on`` is set when the finance team has paid it all.
    """

    # RESTRICT, not PROTECT: a person with involvement is kept, unless their strategy
    # (and with it the activities) is deleted as a whole, when a plan is replaced.
    participant = models.ForeignKey(
        Participant, on_delete=models.RESTRICT, related_name="involvements"
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="involvements")
    took_part_on = models.DateField()
    role = models.CharField(max_length=SHORT_LIMIT, blank=True)
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    reward = models.CharField(max_length=20, choices=Reward.choices, default=Reward.NONE)
    rate = models.ForeignKey(
        RewardRate, on_delete=models.RESTRICT, null=True, blank=True, related_name="involvements"
    )
    amount_due = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    expenses = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    paid_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "took_part_on", "participant"]
        indexes = [models.Index(fields=["took_part_on"])]

    def __str__(self):
        return f"{self.participant} in {self.activity}"

    @property
    def total_due(self):
        return self.amount_due + self.expenses
