"""The Friends and Family Test's monthly counts, as NHS England and trusts publish them.

One row per strategy, organisation/site/ward code, month and setting: the six answers'
counts, each None when the file suppressed it (NHS England replaces counts under 5 with
``*``, and a suppressed count is unknown, not 0), and the total responses.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

ANSWERS = ("very_good", "good", "neither", "poor", "very_poor", "dont_know")


class FriendsAndFamilyCount(models.Model):
    """A month's Friends and Family Test answers for one organisation, site or ward."""

    strategy = models.ForeignKey(
        "plans.Strategy", on_delete=models.CASCADE, related_name="fft_counts"
    )
    service = models.ForeignKey(
        "feedback.Service",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="fft_counts",
        help_text="Our service the code or name is, when it is one of ours.",
    )
    code = models.CharField(max_length=20, blank=True, help_text="As the file gives it.")
    name = models.CharField(max_length=300, blank=True, help_text="As the file gives it.")
    month = models.DateField(help_text="The first day of the month counted.")
    setting = models.CharField(
        max_length=100,
        blank=True,
        help_text="The setting or collection if the file says (inpatient, community ...).",
    )
    very_good = models.PositiveIntegerField(null=True, blank=True)
    good = models.PositiveIntegerField(null=True, blank=True)
    neither = models.PositiveIntegerField(null=True, blank=True, help_text="Neither good nor poor.")
    poor = models.PositiveIntegerField(null=True, blank=True)
    very_poor = models.PositiveIntegerField(null=True, blank=True)
    dont_know = models.PositiveIntegerField(null=True, blank=True)
    total_responses = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "month", "code", "name", "setting"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "code", "month", "setting"],
                condition=~Q(code=""),
                name="unique_fft_count_code",
            ),
            models.UniqueConstraint(
                fields=["strategy", "name", "month", "setting"],
                condition=Q(code=""),
                name="unique_fft_count_name",
            ),
        ]

    def __str__(self):
        return f"FFT {self.code or self.name} {self.month:%b %Y}"
