"""Large imports done by a real ``planboard worker`` process against the test database: on
SQLite and, under scripts/with-postgres, on PostgreSQL.

A large file uploaded on the page is read, then imported, by a worker started
separately; a worker killed with ``kill -9`` while it writes the import leaves the
database as it was, its job is marked failed by another worker's sweep within seconds
(the heartbeat shortened to one second), and confirming again imports the table.
"""

import os
import re
import signal
import time
from contextlib import contextmanager

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from planboard.imports import jobs
from planboard.imports.models import ConfirmedImport, ImportJob
from tests.bounds import database_fingerprint
from tests.imports.large import (
    JOB,
    PREVIEW,
    job_url,
    plan_of,
    status_message,
    tracker_csv,
    upload,
)
from tests.ops.test_worker_processes import wait_for
from tests.worker_process import worker

pytestmark = [pytest.mark.subprocess, pytest.mark.django_db(transaction=True)]

PLAN = "/strategies/demo/"
BEAT = {"WORKER_HEARTBEAT_SECONDS": "1"}
NOT_THE_JOBS = ("imports.ImportJob",)


@pytest.fixture
def on_the_queue(settings):
    settings.IMPORTS_IN_BACKGROUND = True
    settings.IMPORT_IN_BACKGROUND_OVER_KB = 20


@contextmanager
def held_before_recording():
    """On PostgreSQL, a connection of the test's own that keeps the worker's write
    transaction open, every action written, until the worker is killed: it holds a lock
    that the import's last insert (the record kept for undoing it) waits for. However
    fast the machine, the worker is killed in the middle of its transaction. SQLite has
    no such lock, and its write of 10,000 rows takes several seconds."""
    if connection.vendor != "postgresql":
        yield
        return
    holder = connection.get_new_connection(connection.get_connection_params())
    try:
        with holder.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ConfirmedImport._meta.db_table} IN SHARE MODE")
        yield
    finally:
        holder.rollback()
        holder.close()


def moved_on(client, url):
    """Where the job's page leads once the job is done (the page, while it is not)."""
    job = ImportJob.objects.get(pk=JOB.fullmatch(url).group(1))
    assert job.status != "failed", job.error
    response = client.get(url)
    return response.url if response.status_code == 302 else None


def test_a_large_table_is_read_and_imported_by_a_worker_process(
    on_the_queue, client_for, governor, small_plan, tmp_path
):
    client = client_for(governor)
    reading = job_url(upload(client, tracker_csv(3_000)))

    with worker(tmp_path) as process:
        preview = wait_for(lambda: moved_on(client, reading), 120, "the file was not read")
        assert PREVIEW.fullmatch(preview)
        assert "Import 3000 actions" in client.get(preview).text
        writing = job_url(client.post(preview + "confirm/"))
        done = wait_for(lambda: moved_on(client, writing), 120, "the table was not imported")
        assert process.poll() is None, process.log.read_text()

    assert done == PLAN
    assert "tracker.csv is imported: actions 3000 added" in client.get(PLAN).text
    assert len(plan_of()) == 3_004
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_worker_killed_while_writing_leaves_the_plan_as_it_was(
    on_the_queue, settings, client_for, governor, small_plan, tmp_path
):
    settings.WORKER_HEARTBEAT_SECONDS = 1
    client = client_for(governor)
    reading = job_url(upload(client, tracker_csv(10_000)))

    with worker(tmp_path / "first", env=BEAT) as first, held_before_recording():
        preview = wait_for(lambda: moved_on(client, reading), 120, "the file was not read")
        before = database_fingerprint(leaving_out=NOT_THE_JOBS)
        writing = job_url(client.post(preview + "confirm/"))
        job = ImportJob.objects.get(work="write")

        def writing_actions():
            found = ImportJob.objects.get(pk=job.pk)
            if connection.vendor == "postgresql":
                # The heartbeat records, from a connection of its own, how far the
                # write's transaction has got; on SQLite it waits for the transaction.
                return found.rows_done > 0
            return found.step == "Importing the actions"

        wait_for(writing_actions, 60, "the worker did not start writing")
        if connection.vendor == "postgresql":
            shown = status_message(client.get(writing).text)
            assert re.fullmatch(r"Checked [\d,]+ of 10,000 actions against the plan\.", shown)
        else:
            time.sleep(1)  # well into the write, which takes several seconds
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    killed = ImportJob.objects.get(pk=job.pk)
    assert killed.status == "running", f"finished before the worker was killed: {killed.error}"
    assert database_fingerprint(leaving_out=NOT_THE_JOBS) == before

    # Another worker's sweep finds the job lost; nobody views the page meanwhile.
    with worker(tmp_path / "second", env=BEAT) as second:
        started = time.monotonic()
        wait_for(
            lambda: ImportJob.objects.get(pk=job.pk).status != "running",
            60,
            "the job of the killed worker was not marked failed",
        )
        assert time.monotonic() - started < 15
        lost = ImportJob.objects.get(pk=job.pk)
        assert (lost.status, lost.error) == ("failed", jobs.WORKER_STOPPED)
        assert DBTaskResult.objects.get(id=lost.task_id).status == "FAILED"
        page = client.get(writing).text
        assert "Its worker stopped before it finished" in page
        assert "Import tracker.csv again" in page
        assert database_fingerprint(leaving_out=NOT_THE_JOBS) == before

        # Confirming again works, and the second worker imports the table.
        again = job_url(client.post(preview + "confirm/"))
        assert again != writing
        done = wait_for(lambda: moved_on(client, again), 120, "the import asked again was not done")
        assert second.poll() is None, second.log.read_text()

    assert done == PLAN
    assert len(plan_of()) == 10_004
