"""Board papers: their cover sheets, the files generated from them, Word templates.

A strategy has one cover sheet of its own (``period`` empty), as imported from its
last paper, and each reporting period's paper has its own, prefilled from the paper
before it and edited by the governance team. Generated files and trusts' Word
templates are kept in the database, so every app server behind a load balancer sees
the same files and a database backup holds them all.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planboard.papers.formats import FORMATS
from planboard.plans.models import TagColour, tag_colours


class CoverSheet(models.Model):
    """The board paper cover sheet and the summary report to a committee."""

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="cover_sheets"
    )
    period = models.ForeignKey(
        "progress.ReportingPeriod",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cover_sheets",
        help_text="The period whose paper this is; empty for the strategy's own cover sheet.",
    )
    # Cover sheet
    meeting = models.CharField(max_length=200, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True, help_text='e.g. "BoD: 08.03.17".')
    item = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300, blank=True)
    presented_by = models.CharField(max_length=300, blank=True)
    action_required = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    timetable = models.TextField("timetable for decision", blank=True)
    links_to_reports = models.TextField("links to other key reports/decisions", blank=True)
    baf_objectives = models.TextField("BAF objective numbers and titles", blank=True)
    frameworks = models.TextField("links to the NHS constitution and other frameworks", blank=True)
    framework_ticks = models.JSONField(
        default=list, blank=True, help_text='[{"label": "HSE", "ticked": false}, ...]'
    )
    implications = models.TextField("implications for service delivery and finance", blank=True)
    legal_issues = models.TextField("consideration of legal issues", blank=True)
    author = models.CharField(max_length=200, blank=True)
    designation = models.CharField(max_length=200, blank=True)
    report_date = models.DateField(null=True, blank=True)
    # Summary report
    report_to = models.CharField(max_length=200, blank=True)
    summary_date = models.DateField(null=True, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    sponsor = models.CharField(max_length=200, blank=True)
    summary_author = models.CharField(max_length=200, blank=True)
    purpose_ticks = models.JSONField(
        default=list, blank=True, help_text='[{"label": "For approval", "ticked": false}, ...]'
    )
    purpose = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    required_actions = models.TextField(blank=True)
    monitoring = models.TextField(blank=True)
    contacts = models.TextField("contact details", blank=True)
    # The paper itself
    findings_appendix = models.BooleanField(
        "add the checker's findings about the records, for the governance team",
        default=False,
        help_text="The findings about how the plan is recorded are the governance team's, "
        "not the board's: the paper lists them in an appendix only when this is ticked.",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["strategy"],
                condition=Q(period__isnull=True),
                name="one_own_cover_sheet_per_strategy",
            ),
            models.UniqueConstraint(fields=["period"], name="one_cover_sheet_per_period"),
        ]

    def __str__(self):
        if self.period_id:
            return f"Cover sheet for {self.period}"
        return f"Cover sheet for {self.strategy}"


class PaperTemplate(models.Model):
    """A trust's own Word template for its board papers (a .docx with docxtpl tags).

    The active template of a strategy is used for its Word papers; failing that the
    active template for every strategy (no strategy set); failing that the template
    that ships with planboard.
    """

    name = models.CharField(max_length=200)
    strategy = models.ForeignKey(
        "plans.Strategy",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="paper_templates",
        help_text="Leave empty to use this template for every strategy.",
    )
    content = models.BinaryField()
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file.")
    active = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["strategy_id", "name"]

    def __str__(self):
        return self.name


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"

    colour = tag_colours(
        {
            "queued": TagColour.GREY,
            "running": TagColour.BLUE,
            "done": TagColour.GREEN,
            "failed": TagColour.RED,
        }
    )


class GeneratedPaper(models.Model):
    """A paper written to a file: its period, format, checksum and who asked for it.

    It is a job first (queued, running) and a file once done; ``content`` holds the
    file's bytes, and ``made_from_...`` the fingerprints of the paper it was written
    from, so the paper page can tell a file made before the paper changed.
    """

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="generated_papers"
    )
    period = models.ForeignKey(
        "progress.ReportingPeriod",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="generated_papers",
    )
    format = models.CharField(max_length=10, choices=[(f.name, f.label) for f in FORMATS.values()])
    status = models.CharField(
        max_length=10, choices=GenerationStatus.choices, default=GenerationStatus.QUEUED
    )
    step = models.CharField(max_length=200, blank=True, help_text="What the job is doing now.")
    error = models.CharField(max_length=500, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file.")
    template = models.ForeignKey(
        PaperTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker making it last said it was alive."
    )
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The queued task that makes it, if a worker does."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the file was made from (``planboard.papers.freshness``), to tell it out of date.
    made_from_paper = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the paper as the file prints it."
    )
    made_from_cover = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the paper's cover sheet as edited."
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["period", "-requested_at"])]

    def __str__(self):
        return self.filename or f"{self.get_format_display()} paper"

    @property
    def is_pending(self) -> bool:
        return self.status in (GenerationStatus.QUEUED, GenerationStatus.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == GenerationStatus.DONE
