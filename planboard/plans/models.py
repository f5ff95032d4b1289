"""The strategy and its implementation plan: themes, commitments, areas and actions.

A strategy owns everything below it, so deleting or replacing a strategy never
touches another one. Every model that holds plan data keeps its history (who,
when, before and after) through django-simple-history.
"""

import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from planboard.plans.targets import DatePrecision, TargetFacts, format_target, target_display


class Strategy(models.Model):
    """A strategy with its implementation plan, as approved by a board."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    organisation = models.CharField(max_length=300, blank=True)
    period = models.CharField(max_length=50, blank=True, help_text='For example "2016-2021".')
    approval = models.CharField(
        max_length=300, blank=True, help_text='For example "Board of Directors, July 2016".'
    )
    plan_title = models.CharField(max_length=300, blank=True)
    plan_version = models.CharField(
        max_length=100, blank=True, help_text='For example "v2 - January 2017".'
    )
    introduction = models.TextField(blank=True)
    source_name = models.CharField(max_length=300, blank=True)
    allow_own_review = models.BooleanField(
        "let the governance team review their own updates",
        default=False,
        help_text=(
            "For a governance team too small for a second reviewer. Normally nobody may "
            "accept or return an update they gave, or one given on their behalf, and a "
            "second member of the governance team must. When ticked they may, and the "
            "board paper's appendix says how many updates were accepted that way."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "strategies"
        ordering = ["title"]

    def __str__(self):
        return self.title


class TagColour(models.TextChoices):
    """Colours of the NHS.UK tag component, all of which meet contrast requirements."""

    GREEN = "green", "Green"
    YELLOW = "yellow", "Yellow"
    ORANGE = "orange", "Orange"
    RED = "red", "Red"
    BLUE = "blue", "Blue"
    AQUA_GREEN = "aqua-green", "Aqua green"
    PURPLE = "purple", "Purple"
    PINK = "pink", "Pink"
    GREY = "grey", "Grey"
    WHITE = "white", "White"


def tag_colours(colours: dict[str, str]) -> property:
    """The ``colour`` of a status's tag, set beside its choices: ``colour = tag_colours({...})``.

    ``colours`` maps each choice's value to a ``TagColour``; the tag shows the label too.
    """
    return property(lambda choice: colours[choice.value], doc="The colour of the choice's tag.")


class RagLevelQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Levels whose label or one of whose aliases equals ``text``, ignoring case."""
        wanted = normalise_rating(text)
        return [level for level in self if wanted in level.names()]


def normalise_rating(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def rating_differs(rag_text: str, level_label: str | None) -> bool:
    """True where a rating as written is not its level's own label ("Yellow" for Amber),
    or names no level at all."""
    if not rag_text:
        return False
    if level_label is None:
        return True
    return normalise_rating(rag_text) != normalise_rating(level_label)


class RagLevel(models.Model):
    """One level of a strategy's RAG scale (Green, Amber, Red, Blue ...), in scale order."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="rag_levels")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=40)
    definition = models.CharField(max_length=500, blank=True)
    colour = models.CharField(max_length=20, choices=TagColour.choices, default=TagColour.GREY)
    means_complete = models.BooleanField(
        default=False, help_text="An action at this level is complete (Blue in a BRAG scale)."
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text='Other words that mean this level, for example ["Yellow"] for Amber.',
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = RagLevelQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "label"], name="unique_rag_label"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        """Renaming a level keeps its old label as an alias, so ratings written with it
        still mean this level."""
        if self.pk is not None:
            old = RagLevel.objects.filter(pk=self.pk).values_list("label", flat=True).first()
            if old and normalise_rating(old) not in self.names():
                self.aliases = [*(self.aliases or []), old]
        super().save(*args, **kwargs)

    def names(self) -> set[str]:
        """The label and aliases in the form ratings are compared in."""
        return {normalise_rating(self.label)} | {normalise_rating(a) for a in self.aliases or []}


class Committee(models.Model):
    """A group in the plan's governance cycle (SUSEG, QAC, EDG, Board of Directors)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="committees")
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "position", "name"]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Theme(models.Model):
    """A theme of the strategy; its commitments and actions are numbered within it."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="unique_theme_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Commitment(models.Model):
    """A numbered commitment ("We will ...") under a theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    retired_on = models.DateField(null=True, blank=True)
    retired_reason = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "number"], name="unique_commitment_number"),
        ]

    def __str__(self):
        return f"{self.ref} {self.text[:60]}"

    @property
    def ref(self) -> str:
        return f"{self.theme.number}.{self.number}"

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


class Area(models.Model):
    """A workstream (SUSEG, Quality Improvement Team ...), shared by the themes of a strategy."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=300)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="unique_area_name"),
        ]

    def __str__(self):
        return self.name


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class ActionQuerySet(models.QuerySet):
    def for_strategy(self, strategy):
        return self.filter(theme__strategy=strategy)

    def open(self):
        return self.exclude(status=ActionStatus.COMPLETE)

    def overdue(self, as_of: datetime.date):
        """``planboard.plans.targets.is_overdue`` as a filter: not complete, and ``as_of``
        falls after the last day of the target span."""
        return self.open().filter(target_date__lt=as_of)

    def not_rated(self):
        return self.filter(rag_level__isnull=True, rag_text="")

    def rated_outside_key(self):
        return self.filter(rag_level__isnull=True).exclude(rag_text="")

    def with_plan_relations(self):
        """Everything the plan table shows, in a fixed number of queries."""
        return self.select_related("theme", "area", "rag_level").prefetch_related(
            "leads", "commitments"
        )

    def in_plan_order(self):
        return self.order_by("theme__number", "number")

    def in_plan(self):
        """The actions still in the plan: a retired action leaves the plan page, the papers,
        completion and reminders, but keeps its history and the snapshots taken of it."""
        return self.filter(retired_on__isnull=True)


class Action(TargetFacts, models.Model):
    """A row of a theme's implementation table: what will be done, by when, by whom."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(help_text="Order within the theme.")
    area = models.ForeignKey(
        Area, on_delete=models.RESTRICT, related_name="actions", null=True, blank=True
    )
    cited_commitments = models.JSONField(
        default=list,
        blank=True,
        help_text="Commitment numbers the area cites, as written (some may not exist).",
    )
    commitments = models.ManyToManyField(Commitment, related_name="actions", blank=True)
    text = models.TextField(help_text="The action as written in the plan.")
    progress = models.TextField(blank=True, help_text="The latest progress narrative.")
    target_date = models.DateField(
        null=True, blank=True, help_text="Last day of the target span (day, month or quarter)."
    )
    target_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.MONTH
    )
    target_text = models.CharField(max_length=100, blank=True, help_text="As written.")
    original_target_date = models.DateField(null=True, blank=True)
    original_target_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.MONTH
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    rag_level = models.ForeignKey(
        RagLevel, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    rag_text = models.CharField(max_length=40, blank=True, help_text="The rating as written.")
    leads = models.ManyToManyField("people.Role", related_name="actions", blank=True)
    lead_text = models.CharField(max_length=500, blank=True, help_text="The leads as written.")
    ref_as_written = models.CharField(
        max_length=50, blank=True, help_text="The ref as the tracker writes it (007, 1.2.3, A12)."
    )
    source = models.TextField(
        blank=True, help_text="Where the action came from: its meeting, paper or agenda item."
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    retired_on = models.DateField(null=True, blank=True)
    retired_reason = models.CharField(max_length=500, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[leads, commitments])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["theme__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "number"], name="unique_action_number"),
        ]

    def __str__(self):
        return f"{self.ref} {self.text[:60]}"

    @property
    def ref(self) -> str:
        return f"{self.theme.number}.{self.number}"

    @property
    def is_complete(self) -> bool:
        return self.status == ActionStatus.COMPLETE

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    @property
    def target_display(self) -> str:
        return target_display(
            self.target_date, self.target_precision, self.target_text, complete=self.is_complete
        )

    @property
    def original_target_display(self) -> str:
        return format_target(self.original_target_date, self.original_target_precision)

    @property
    def rating_differs_from_source(self) -> bool:
        """True where the rating as written is not the level's own label (e.g. "Yellow")."""
        level = self.rag_level
        return rating_differs(self.rag_text, level.label if level is not None else None)
