"""A running job's heartbeat: a thread that says every few seconds that its worker lives.

A job run by ``planboard worker`` records the time in its row while it runs, from a
thread of its own, so a long step (laying out a large PDF) still beats. A worker killed
with its job (``kill -9``, a lost machine) stops beating, and the sweep of stale jobs
(run by every worker and when the job's page is viewed) marks the job failed once it
has not been heard from for ``STALE_BEATS`` beats. A worker stopped cleanly finishes
its job first.

Beats are written, and compared, in the database's own time (``Now()``,
``database_now()``), never a machine's: a worker on one app server and the sweep on
another would otherwise take a few seconds' difference between their clocks for a
silence, or for a beat still to come.
"""

import datetime
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)

# A job not heard from for this many beats is taken to have lost its worker.
STALE_BEATS = 4


def beat_seconds() -> int:
    return settings.WORKER_HEARTBEAT_SECONDS


def stale_after() -> datetime.timedelta:
    """How long a running job may go unheard before it is marked failed."""
    return datetime.timedelta(seconds=STALE_BEATS * beat_seconds())


def database_now() -> datetime.datetime:
    """The time now by the database's clock, which every app server shares."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')")
            return timezone.make_aware(parse_datetime(cursor.fetchone()[0]), datetime.UTC)
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        return cursor.fetchone()[0]


@contextmanager
def beating(record: Callable[[], None]):
    """Call ``record`` every beat, from a thread of its own, until the block ends."""
    done = threading.Event()
    interval = beat_seconds()

    def loop():
        try:
            while not done.wait(interval):
                try:
                    record()
                except DatabaseError:
                    # A busy database: the next beat tries again, well before the job
                    # is taken for lost.
                    logger.warning("A heartbeat could not be recorded", exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=loop, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def fail_tasks(task_ids: list[str], now, reason: str, cause: str) -> None:
    """Record in the queue that the tasks of lost jobs failed, so none shows as running;
    ``cause`` names the failure (a dotted path) and ``reason`` says what happened."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id__in=task_ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=cause,
        traceback=reason,
    )


def fail_lost(running, now, *, reason: str, cause: str, started="started_at", **failed) -> int:
    """Mark failed, with ``failed`` (the model's own fields), the jobs of ``running`` (a
    queryset of running jobs) not heard from within ``stale_after()`` of ``now``, and
    their tasks in the queue with them; return how many. Call it in a transaction."""
    stale = now - stale_after()
    lost = running.filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, **{f"{started}__lt": stale})
    )
    found = list(lost.select_for_update().values_list("pk", "task_id"))
    count = lost.filter(pk__in=[pk for pk, _ in found]).update(**failed)
    if lost_tasks := [task_id for _, task_id in found if task_id]:
        fail_tasks(lost_tasks, now, reason, cause)
    return count
