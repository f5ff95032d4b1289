"""An uploaded table waiting for its import to be confirmed.

The import page works in steps (upload, preview, adjust the mapping, confirm), and
nothing of the plan may be written before the confirmation. So the table read from the
file when it was uploaded is kept here between the steps (the file is read once: the
preview, the mapping and the confirmed import all start from the table kept), and the
row is deleted when the import is confirmed. Uploads never confirmed are deleted after
``KEPT_FOR`` when someone uploads another file.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

KEPT_FOR = datetime.timedelta(days=1)


class PendingImportQuerySet(models.QuerySet):
    def stale(self, now=None):
        return self.filter(uploaded_at__lt=(now or timezone.now()) - KEPT_FOR)


class PendingImport(models.Model):
    strategy_slug = models.SlugField(max_length=80)
    filename = models.CharField(max_length=255)
    # The table as read (RawTable.as_json); its size is bounded by the reading limits
    # (IMPORT_MAX_CELLS, IMPORT_MAX_CHARACTERS).
    parsed = models.JSONField(default=dict)
    sheet = models.CharField(max_length=255, blank=True)
    table = models.PositiveIntegerField(null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # header -> field, as check_mapping
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} for {self.strategy_slug}"
