"""What a board paper says about a strategy beyond the plan table.

The cover sheet and the summary report are kept with the strategy as imported from
its last paper, so the next paper can be prefilled from them.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class CoverSheet(models.Model):
    """The board paper cover sheet and the summary report to a committee."""

    strategy = models.OneToOneField(
        "plans.Strategy", on_delete=models.CASCADE, related_name="cover_sheet"
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
    history = HistoricalRecords()

    def __str__(self):
        return f"Cover sheet for {self.strategy}"
