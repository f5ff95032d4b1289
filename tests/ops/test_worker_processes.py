"""Paper files made by real ``planboard worker`` processes against the test database:
on SQLite and, under scripts/with-postgres, on PostgreSQL (scripts/run-tests runs both).

A file asked for on the page is made by a worker started separately; a worker killed
with ``kill -9`` half-way through a file leaves its job marked failed by another
worker's sweep within seconds (the heartbeat shortened to one second) and no file
stored; two workers on PostgreSQL never run the same task.
"""

import hashlib
import os
import re
import signal
import time

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from planboard.papers.generation import WORKER_STOPPED, request_paper
from planboard.papers.models import GeneratedPaper
from planboard.plans.models import Strategy
from planboard.progress.services import close_period, open_period
from tests.progress.cycle import Q3, governance
from tests.worker_process import worker

pytestmark = [pytest.mark.subprocess, pytest.mark.django_db(transaction=True)]

GENERATE = reverse("paper_generate", kwargs={"slug": "sue", "period": "2016-17-q3"})
STATUS = reverse("paper_files_status", kwargs={"slug": "sue", "period": "2016-17-q3"})
PAPER = reverse("paper", kwargs={"slug": "sue", "period": "2016-17-q3"})
# A worker's log line for a paper file's task starting (the e-mails have tasks too).
STARTED = re.compile(r"Task id=(\S+) path=\S+make_paper_file state=RUNNING")


@pytest.fixture
def closed_period(seed_path, settings):
    from planboard.imports.services import import_paper

    settings.PAPERS_IN_BACKGROUND = True
    gail = governance()
    import_paper(seed_path, slug="sue")
    strategy = Strategy.objects.get(slug="sue")
    return close_period(open_period(strategy, Q3, user=gail), user=gail)


@pytest.fixture
def as_governance(client, closed_period):
    client.force_login(governance())
    return client


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what} within {seconds} seconds"
        time.sleep(0.05)
    return found


def test_a_file_of_every_format_asked_for_on_the_page_is_made_by_a_worker(as_governance, tmp_path):
    for name in ("pdf", "docx", "xlsx", "html"):
        response = as_governance.post(GENERATE, {"format": name}, follow=True)
        assert "is being made" in response.content.decode()
    assert set(GeneratedPaper.objects.values_list("status", flat=True)) == {"queued"}

    with worker(tmp_path) as process:

        def all_done():
            files = as_governance.get(STATUS).json()["files"]
            assert not [f for f in files if f["status"] == "failed"], files
            return all(f["status"] == "done" for f in files)

        wait_for(all_done, 180, "the worker did not make the files")
        assert process.poll() is None, process.log.read_text()

    for job in GeneratedPaper.objects.all():
        download = as_governance.get(
            reverse("paper_download", kwargs={"slug": "sue", "pk": job.pk})
        )
        assert download.status_code == 200
        assert hashlib.sha256(download.content).hexdigest() == job.checksum
        assert len(download.content) == job.size > 1000
    page = as_governance.get(PAPER).content.decode()
    # Made in another process, and fingerprinted there as this page fingerprints it.
    assert page.count('nhsuk-tag--green">Ready<') == 4
    assert "Out of date" not in page
    tasks = DBTaskResult.objects.filter(
        id__in=[job.task_id for job in GeneratedPaper.objects.all()]
    )
    assert set(tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_worker_killed_half_way_leaves_its_job_failed_with_no_file(
    as_governance, closed_period, tmp_path, settings
):
    settings.WORKER_HEARTBEAT_SECONDS = 1
    beat = {"WORKER_HEARTBEAT_SECONDS": "1"}
    as_governance.post(GENERATE, {"format": "pdf"})
    job = GeneratedPaper.objects.get()

    with worker(tmp_path / "first", env=beat) as first:

        def writing():
            found = GeneratedPaper.objects.get(pk=job.pk)
            return found.status == "running" and found.step.startswith("Writing")

        wait_for(writing, 60, "the worker did not start the file")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    killed = GeneratedPaper.objects.get(pk=job.pk)
    assert killed.status == "running", "the file was finished before the worker was killed"

    # Another worker's sweep finds the job lost; nobody views the page meanwhile.
    with worker(tmp_path / "second", env=beat) as second:
        started = time.monotonic()
        wait_for(
            lambda: GeneratedPaper.objects.get(pk=job.pk).status != "running",
            30,
            "the job of the killed worker was not marked failed",
        )
        lost = GeneratedPaper.objects.get(pk=job.pk)
        assert (lost.status, lost.error) == ("failed", WORKER_STOPPED)
        assert (lost.content, lost.size, lost.checksum) == (None, None, "")
        assert DBTaskResult.objects.get(id=lost.task_id).status == "FAILED"
        assert time.monotonic() - started < 15
        assert "Its worker stopped while making it" in as_governance.get(PAPER).content.decode()

        # Asking again works, and the second worker makes the file.
        as_governance.post(GENERATE, {"format": "pdf"})
        again = GeneratedPaper.objects.exclude(pk=job.pk).get()
        wait_for(
            lambda: not GeneratedPaper.objects.get(pk=again.pk).is_pending,
            120,
            "the file asked for again was not made",
        )
        assert GeneratedPaper.objects.get(pk=again.pk).status == "done"
        assert second.poll() is None, second.log.read_text()


def test_two_workers_on_postgresql_never_run_the_same_task(closed_period, tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("several workers at once are for PostgreSQL (scripts/with-postgres)")
    strategy = closed_period.strategy
    jobs = [request_paper(strategy, closed_period, "xlsx", user=None) for _ in range(30)]
    task_ids = {job.task_id for job in jobs}

    with (
        worker(tmp_path, worker_id="first") as first,
        worker(tmp_path, worker_id="second") as second,
    ):
        wait_for(
            lambda: not GeneratedPaper.objects.filter(status__in=("queued", "running")).exists(),
            240,
            "the workers did not make the files",
        )
    ran = {
        process.worker_id: STARTED.findall(process.log.read_text()) for process in (first, second)
    }
    assert set(GeneratedPaper.objects.values_list("status", flat=True)) == {"done"}
    assert ran["first"] and ran["second"], "both workers should have run tasks at once"
    everything = ran["first"] + ran["second"]
    assert len(everything) == len(set(everything)) == len(task_ids)
    assert set(everything) == task_ids
    for task in DBTaskResult.objects.all():
        assert len(task.worker_ids) == 1
