"""Large imports on the task queue: a file read, or a confirmed import written, by a worker.

A small upload is read in its request, as ever. A large one (over
``IMPORT_IN_BACKGROUND_OVER_KB``) is kept in an ``ImportJob`` with, in the same
transaction, a task on the queue (``run_import``) that a worker (``planboard worker``)
runs: it reads the file, checks it as the request would (``read_table_bytes`` and
``preview``, so it refuses what the request refuses with the same one-line error) and
keeps the table as a ``PendingImport`` for the preview. Its confirmed import is written
the same way, in one transaction that also marks the job done: a worker killed while
writing leaves the plan as it was and the job running, until the sweep
(``expire_stale_imports``, run by every worker) marks it failed; confirming again works.

The page follows the job in the database: rows read of rows total (the readers count
the rows before reading them, ``planboard.imports.progress``), then actions written. A
file's reading is recorded as it goes; a write's progress only by the heartbeat, from a
connection of its own, since the write's own transaction is seen by no one until it
ends (on SQLite, where one connection writes at a time, not until then).

``settings.IMPORTS_IN_BACKGROUND`` set to false reads and writes every file in the
request (the tests that start no worker do).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import task

from planboard.imports import progress
from planboard.imports.destination import INTO_NEW_STRATEGY, check_destination
from planboard.imports.errors import PaperError
from planboard.imports.models import ImportJob, ImportStatus, ImportWork, PendingImport
from planboard.imports.pending import DOING, destination_of, keep_table, read_pending
from planboard.imports.table_import import import_table, preview
from planboard.imports.tables import read_table_bytes
from planboard.lib.heartbeat import beating, database_now, fail_lost, stale_after
from planboard.lib.services import service
from planboard.people.permissions import planboard_itself, require_governance
from planboard.plans.models import Strategy

logger = logging.getLogger(__name__)

# A job still waiting this long after it was asked for has found no worker.
STALE_AFTER = datetime.timedelta(minutes=15)
WORKER_STOPPED = (
    "Its worker stopped before it finished (the server may have restarted). Nothing was imported."
)
NEVER_STARTED = "No worker started it within 15 minutes. Nothing was imported."
CHECKING = "Checking the rows"
GONE = "the upload is no longer kept (it was discarded, or is more than a day old)"


def in_background(size: int) -> bool:
    """Whether a file of ``size`` bytes is read, and its import written, by a worker."""
    return settings.IMPORTS_IN_BACKGROUND and size > settings.IMPORT_IN_BACKGROUND_OVER_KB * 1024


@service
@transaction.atomic
def start_reading(
    strategy, *, data: bytes, filename: str, sheet: str = "", destination=None, user
) -> ImportJob:
    """Keep an upload for a worker to read, and queue the task that does; ``destination``
    (checked now) is kept with the table it reads."""
    require_governance(user, DOING)
    into = check_destination(strategy, destination)
    ImportJob.objects.stale().delete()
    job = ImportJob.objects.create(
        work=ImportWork.READ,
        strategy_slug=strategy.slug,
        filename=filename[:255],
        sheet=sheet,
        upload=data,
        destination=into.as_json(),
        uploaded_by=user,
        step="Waiting to start",
    )
    return _queue(job)


@service
@transaction.atomic
def start_writing(pending: PendingImport, strategy, *, user) -> ImportJob:
    """Queue the confirmed import of ``pending``; the job already doing it, if one is."""
    require_governance(user, DOING)
    under_way = pending.jobs.filter(work=ImportWork.WRITE).pending().first()
    if under_way is not None:
        return under_way
    job = ImportJob.objects.create(
        work=ImportWork.WRITE,
        strategy_slug=strategy.slug,
        filename=pending.filename,
        sheet=pending.sheet,
        pending=pending,
        uploaded_by=user,
        step="Waiting to start",
    )
    return _queue(job)


def _queue(job: ImportJob) -> ImportJob:
    # The task's row is written in this transaction: the job and its task are kept
    # together or not at all, and no worker sees the task before the job.
    queued = run_import.enqueue(job.pk)
    job.task_id = str(queued.id)[:64]
    ImportJob.objects.filter(pk=job.pk).update(task_id=job.task_id)
    return job


class Tracker:
    """A job's progress as its work reports it, held here for the heartbeat to record."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.done = self.total = 0
        self.recording = True  # False while writing: the heartbeat records it then

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self.recording:
            record_progress(self.job_id, done, total)


@task()
def run_import(job_id: int) -> None:
    """The queued task: do the job ``job_id``, beating while it runs."""
    tracker = Tracker(job_id)
    with beating(lambda: record_progress(job_id, tracker.done, tracker.total)):
        run_job(job_id, tracker)


@service
def record_progress(job_id: int, done: int, total: int) -> None:
    planboard_itself("note how far the worker importing a file has got")
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(
        rows_done=done, rows_total=total, heartbeat_at=Now()
    )


@service
def run_job(job_id: int, tracker: Tracker | None = None) -> None:
    """Do the job ``job_id`` if it is still queued; record its outcome or its failure.

    The person who asked for the job was checked then; the job itself is planboard's,
    and the import is written in that person's name.
    """
    planboard_itself("read or write an import that was asked for")
    tracker = tracker or Tracker(job_id)
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=Now(), heartbeat_at=Now(), step="Starting"
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("uploaded_by", "pending").get(pk=job_id)
    try:
        strategy = Strategy.objects.get(slug=job.strategy_slug)
        with progress.reporting(tracker):
            if job.work == ImportWork.READ:
                _read(job, strategy)
            else:
                tracker.recording = False
                _write(job, strategy)
    except Exception as error:  # noqa: BLE001 - any failure is the job's, shown on the page
        if not isinstance(error, PaperError):
            logger.exception("Import job %s failed", job_id)
        _running(job_id).update(
            status=ImportStatus.FAILED,
            step="",
            error=_one_line(error),
            upload=None,
            finished_at=timezone.now(),
        )


def _running(job_id: int):
    return ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING)


def _step(job_id: int, words: str) -> None:
    _running(job_id).update(step=words, heartbeat_at=Now())


def _read(job: ImportJob, strategy) -> None:
    _step(job.pk, "Reading the file")
    data = bytes(job.upload)
    raw = read_table_bytes(data, job.filename, sheet=job.sheet or None)
    last = raw.rows[-1].number
    record_progress(job.pk, last, last)
    _step(job.pk, CHECKING)
    into = check_destination(strategy, job.destination)
    preview(raw, None if into.into == INTO_NEW_STRATEGY else strategy, into=into)
    with transaction.atomic():
        pending = keep_table(
            strategy, raw, job.filename, job.sheet, len(data), job.uploaded_by, into.as_json()
        )
        done = _running(job.pk).update(
            status=ImportStatus.DONE,
            step="",
            pending=pending,
            upload=None,
            finished_at=timezone.now(),
        )
        if not done:  # the sweep gave up on the job meanwhile: keep nothing of it
            transaction.set_rollback(True)


def _write(job: ImportJob, strategy) -> None:
    if job.pending is None:
        raise PaperError(GONE, source=job.filename)
    _step(job.pk, "Importing the actions")
    raw = read_pending(job.pending)
    with transaction.atomic():
        summary = import_table(
            raw,
            strategy_slug=strategy.slug,
            mapping=job.pending.mapping or None,
            into=destination_of(job.pending, strategy),
            listed_under=strategy.slug,
            user=job.uploaded_by,
        )
        # One transaction writes the plan and marks the job done: a worker killed before
        # it ends leaves neither, and a job the sweep has given up on writes nothing.
        done = _running(job.pk).update(
            status=ImportStatus.DONE,
            step="",
            summary=summary,
            rows_done=summary["rows_read"],
            rows_total=summary["rows_read"],
            finished_at=timezone.now(),
        )
        if not done:
            transaction.set_rollback(True)
            return
        job.pending.delete()


@service
@transaction.atomic
def expire_stale_imports(now=None) -> int:
    """Mark failed the running imports whose worker stopped beating, and those no worker
    started within ``STALE_AFTER``; return how many. A lost job and its task in the queue
    are marked failed together, in one transaction."""
    planboard_itself("mark failed the imports that never finished")
    now = now or database_now()
    failed = dict(status=ImportStatus.FAILED, step="", upload=None, finished_at=now)
    count = fail_lost(
        ImportJob.objects.filter(status=ImportStatus.RUNNING),
        now,
        reason=WORKER_STOPPED,
        cause=f"{__name__}.WorkerStopped",
        error=WORKER_STOPPED,
        **failed,
    )
    count += ImportJob.objects.filter(
        status=ImportStatus.QUEUED, requested_at__lt=now - STALE_AFTER
    ).update(error=NEVER_STARTED, **failed)
    return count


def looks_lost(job: ImportJob, now=None) -> bool:
    """Whether the sweep would mark ``job`` failed now (its page then runs the sweep)."""
    now = now or database_now()
    if job.status == ImportStatus.QUEUED:
        return job.requested_at < now - STALE_AFTER
    beat = job.heartbeat_at or job.started_at
    return job.status == ImportStatus.RUNNING and beat is not None and beat < now - stale_after()


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:500]
