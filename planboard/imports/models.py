"""An uploaded table waiting for its import to be confirmed.

The import page works in steps (upload, preview, adjust the mapping, confirm), and
nothing of the plan may be written before the confirmation. So the table read from the
file when it was uploaded is kept here between the steps (the file is read once: the
preview, the mapping and the confirmed import all start from the table kept), and the
row is deleted when the import is confirmed. Uploads never confirmed are deleted after
``KEPT_FOR`` when someone uploads another file.

A large file is read, and its confirmed import written, by a worker rather than in the
request (``planboard.imports.jobs``); an ``ImportJob`` keeps that work's state (queued,
running, done or failed, its step, rows done of rows total, its heartbeat) in the
database, so any app server can show its progress. Jobs are deleted with the uploads,
after ``KEPT_FOR``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from planboard.lib import clock
from planboard.plans.models import TagColour, tag_colours

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
    # Where the rows without a theme go, as ``destination.check_destination`` takes it;
    # empty for the default.
    destination = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # The uploaded file's size in bytes: a large file's import is written by a worker.
    size = models.PositiveIntegerField(default=0)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} for {self.strategy_slug}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Under way"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"

    colour = tag_colours(
        {
            "queued": TagColour.GREY,
            "running": TagColour.BLUE,
            "done": TagColour.GREEN,
            "failed": TagColour.RED,
        }
    )


class ImportWork(models.TextChoices):
    READ = "read", "Reading the file"
    WRITE = "write", "Importing the actions"


class ImportJobQuerySet(models.QuerySet):
    def stale(self, now=None):
        return self.filter(requested_at__lt=(now or timezone.now()) - KEPT_FOR)

    def pending(self):
        return self.filter(status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING))


class ImportJob(models.Model):
    """A large upload being read, or a confirmed import being written, by a worker."""

    work = models.CharField(max_length=10, choices=ImportWork.choices)
    strategy_slug = models.SlugField(max_length=80)
    filename = models.CharField(max_length=255)
    sheet = models.CharField(max_length=255, blank=True)
    # The file to read, until it is read; its table is then kept in ``pending``.
    upload = models.BinaryField(null=True, blank=True, editable=False)
    destination = models.JSONField(default=dict, blank=True)  # as PendingImport's
    pending = models.ForeignKey(
        PendingImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    step = models.CharField(max_length=200, blank=True, help_text="What the job is doing now.")
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # the written import's counts
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker doing it last said it was alive."
    )
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_work_display()} {self.filename}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ConfirmedImport(models.Model):
    """A table import as it was written: what it created and changed, so that it can be
    undone (``planboard.imports.undo``) until a reporting period closes after it.

    ``created`` maps a model's label ("plans.action") to the pks of the records the import
    created; ``changed`` maps it to the history ids of the changes it made. The strategy
    is named by slug: undoing an import that created its strategy deletes the strategy,
    and this record stays, with when and by whom it was undone.
    """

    strategy_slug = models.SlugField(max_length=80)
    # The strategy whose import page it was made from (itself, unless it made a new one).
    listed_under = models.SlugField(max_length=80)
    source = models.CharField(max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=clock.now)
    strategy_created = models.BooleanField(default=False)
    summary = models.JSONField(default=dict, blank=True)  # the import's counts
    created = models.JSONField(default=dict, blank=True)
    changed = models.JSONField(default=dict, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["listed_under", "imported_at"])]

    def __str__(self) -> str:
        return f"{self.source} into {self.strategy_slug}"
