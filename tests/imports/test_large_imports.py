"""Large uploads on the task queue: read, then imported, by a worker, with their progress
on a page of their own; small uploads as before. The worker here is ``planboard worker
--batch`` run in this process; tests/imports/test_large_imports_worker.py runs a real
worker process and kills one while it writes."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from planboard.imports import jobs
from planboard.imports.models import ImportJob, PendingImport
from planboard.lib.heartbeat import database_now
from planboard.plans.models import Action
from tests.bounds import database_fingerprint
from tests.cast import reviewer
from tests.imports.hostile import builders
from tests.imports.large import (
    PREVIEW,
    file_error,
    job_url,
    plan_of,
    status_message,
    tracker_csv,
    upload,
)
from tests.worker_process import run_worker

pytestmark = pytest.mark.django_db

ACTIONS = 2_000
DONE = "tracker.csv is imported: actions 2000 added, 0 changed, 0 unchanged."


@pytest.fixture
def on_the_queue(settings):
    settings.IMPORTS_IN_BACKGROUND = True
    settings.IMPORT_IN_BACKGROUND_OVER_KB = 20


def imported_in_the_request(client, data) -> list[tuple]:
    """The plan an in-request import of ``data`` leaves; the import is then undone."""
    with transaction.atomic():
        preview = upload(client, data).url
        assert PREVIEW.fullmatch(preview), preview
        assert client.post(preview + "confirm/").status_code == 302
        plan = plan_of()
        transaction.set_rollback(True)
    return plan


def test_a_large_table_is_read_then_imported_by_the_worker_showing_its_progress(
    on_the_queue, settings, client_for, governor, small_plan, monkeypatch
):
    client = client_for(governor)
    data = tracker_csv(ACTIONS)
    settings.IMPORTS_IN_BACKGROUND = False
    expected = imported_in_the_request(client, data)
    settings.IMPORTS_IN_BACKGROUND = True
    assert len(expected) == ACTIONS + 4

    url = job_url(upload(client, data))
    job = ImportJob.objects.get()
    assert (job.work, job.status) == ("read", "queued")
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    page = client.get(url).text
    assert "http-equiv" not in page and "Check progress" in page
    assert '<meta http-equiv="refresh" content="3">' in client.get(url + "?follow=1").text
    assert "Reading tracker.csv" in page
    assert status_message(page) == "Waiting for a worker to start."
    assert not PendingImport.objects.exists()

    seen = []
    recorded = jobs.record_progress

    def watched(job_id, done, total):
        recorded(job_id, done, total)
        seen.append(status_message(client.get(url).text))

    monkeypatch.setattr(jobs, "record_progress", watched)
    run_worker(monkeypatch)

    lines = f"{ACTIONS + 1:,}"
    assert seen[0] == f"Read 0 of {lines} rows."
    assert f"Read 250 of {lines} rows." in seen
    assert f"Read 1,750 of {lines} rows." in seen
    assert seen[-1] == f"Read {lines} of {lines} rows."
    preview = client.get(url)
    assert preview.status_code == 302 and PREVIEW.fullmatch(preview.url)
    assert f"Import {ACTIONS} actions" in client.get(preview.url).text
    assert ImportJob.objects.get().upload is None  # the file is not kept once read

    writing = job_url(client.post(preview.url + "confirm/"))
    assert "Importing tracker.csv" in client.get(writing).text
    assert plan_of() != expected  # nothing is written before the worker writes it
    run_worker(monkeypatch)

    done = client.get(writing)
    assert done.status_code == 302 and done.url == "/strategies/demo/"
    assert DONE in client.get(done.url).text
    assert plan_of() == expected
    assert not PendingImport.objects.exists()
    latest = Action.objects.get(text="Action 7 of the large tracker").history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        governor,
        "Imported from tracker.csv",
    )


@pytest.mark.parametrize(
    ("work", "step", "done", "total", "shown"),
    [
        ("read", "Reading the file", 1200, 5000, "Read 1,200 of 5,000 rows."),
        ("read", jobs.CHECKING, 5000, 5000, "Read all 5,000 rows; checking them."),
        ("read", "Reading the file", 0, 0, "Reading the file."),
        (
            "write",
            "Importing the actions",
            300,
            5000,
            "Checked 300 of 5,000 actions against the plan.",
        ),
        ("write", "Importing the actions", 0, 0, "Importing the actions."),
    ],
)
def test_the_progress_page_has_the_numbers(
    client_for, governor, small_plan, django_assert_max_num_queries, work, step, done, total, shown
):
    job = ImportJob.objects.create(
        work=work,
        strategy_slug="demo",
        filename="tracker.xlsx",
        status="running",
        step=step,
        rows_done=done,
        rows_total=total,
        heartbeat_at=timezone.now(),
        uploaded_by=governor,
    )
    client = client_for(governor)

    # Eight, and one more that reads the database's clock to judge the heartbeat.
    with django_assert_max_num_queries(9):
        page = client.get(f"/strategies/demo/import/jobs/{job.pk}/").text

    assert status_message(page) == shown
    assert "Under way" in page and "Reload this page every 3 seconds" in page


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (builders.tracker(101), "tracker.xlsx"),
        (b'Ref,Action\n1.1,"Run an event\n1.2,Write a leaflet\n', "tracker.csv"),
        (builders.PDF, "tracker.csv"),
        (builders.OLE2, "tracker.xlsx"),
    ],
)
def test_a_bad_large_file_is_refused_by_the_worker_as_the_request_refuses_it(
    settings, client_for, governor, small_plan, monkeypatch, data, name
):
    settings.IMPORT_MAX_ACTIONS = 100
    client = client_for(governor)
    refused = upload(client, data, name)
    assert refused.status_code == 400
    settings.IMPORTS_IN_BACKGROUND = True
    settings.IMPORT_IN_BACKGROUND_OVER_KB = 0
    before = database_fingerprint(leaving_out=("imports.ImportJob",))

    url = job_url(upload(client, data, name))
    run_worker(monkeypatch)

    job = ImportJob.objects.get()
    assert (job.status, job.error, job.upload) == ("failed", file_error(refused), None)
    page = client.get(url).text
    assert page.count(file_error(refused).replace('"', "&#34;")) == 2  # summary and page
    assert "<title>Error: Reading " in page and "Upload the file again" in page
    assert "http-equiv" not in page
    assert database_fingerprint(leaving_out=("imports.ImportJob",)) == before


def test_a_small_file_is_still_read_in_the_request(on_the_queue, client_for, governor, small_plan):
    response = upload(client_for(governor), tracker_csv(10))

    assert PREVIEW.fullmatch(response.url)
    assert not ImportJob.objects.exists()


def test_only_the_governance_person_who_uploaded_sees_the_job(
    on_the_queue, client_for, governor, lead, board_member, small_plan
):
    url = job_url(upload(client_for(governor), tracker_csv(ACTIONS)))

    assert client_for(governor).get(url).status_code == 200
    assert client_for(reviewer()).get(url).status_code == 404
    assert client_for(lead).get(url).status_code == 403
    assert client_for(board_member).get(url).status_code == 403
    assert client_for(governor).post(url).status_code == 405


def test_a_job_whose_worker_stopped_is_failed_and_confirming_again_imports(
    on_the_queue, client_for, governor, small_plan, monkeypatch
):
    client = client_for(governor)
    upload(client, tracker_csv(ACTIONS))
    run_worker(monkeypatch)
    preview = f"/strategies/demo/import/{PendingImport.objects.get().pk}/"
    writing = job_url(client.post(preview + "confirm/"))
    assert job_url(client.post(preview + "confirm/")) == writing  # not queued twice
    job = ImportJob.objects.get(work="write")
    # As a worker killed after claiming the job leaves it (tests/imports/
    # test_large_imports_worker.py kills a real one).
    long_ago = database_now() - datetime.timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=long_ago, heartbeat_at=long_ago
    )
    before = plan_of()

    page = client.get(writing).text

    assert ImportJob.objects.get(pk=job.pk).status == "failed"
    assert jobs.WORKER_STOPPED in page and "Nothing was imported" in page
    assert "Import tracker.csv again" in page and plan_of() == before
    again = job_url(client.post(preview + "confirm/"))
    assert again != writing
    run_worker(monkeypatch)
    assert client.get(again).url == "/strategies/demo/"
    assert len(plan_of()) == ACTIONS + 4


def test_an_upload_being_imported_cannot_be_discarded(
    on_the_queue, client_for, governor, small_plan, monkeypatch
):
    client = client_for(governor)
    upload(client, tracker_csv(ACTIONS))
    run_worker(monkeypatch)
    preview = f"/strategies/demo/import/{PendingImport.objects.get().pk}/"
    writing = job_url(client.post(preview + "confirm/"))

    refused = client.post(preview + "discard/")

    assert refused.url == writing and PendingImport.objects.exists()
    assert "tracker.csv is being imported." in client.get(writing).text
    run_worker(monkeypatch)
    assert client.get(writing).url == "/strategies/demo/"
    assert len(plan_of()) == ACTIONS + 4


def test_an_upload_gone_before_its_import_is_written_imports_nothing(
    on_the_queue, client_for, governor, small_plan, monkeypatch
):
    client = client_for(governor)
    upload(client, tracker_csv(ACTIONS))
    run_worker(monkeypatch)
    preview = f"/strategies/demo/import/{PendingImport.objects.get().pk}/"
    writing = job_url(client.post(preview + "confirm/"))
    PendingImport.objects.all().delete()  # as uploads more than a day old are
    before = plan_of()

    run_worker(monkeypatch)

    assert ImportJob.objects.get(work="write").error == f"tracker.csv: {jobs.GONE}"
    assert plan_of() == before
    assert "Upload the file again" in client.get(writing).text


def test_the_sweep_fails_a_job_no_worker_started(governor, small_plan):
    job = ImportJob.objects.create(
        work="read", strategy_slug="demo", filename="t.csv", upload=b"x", uploaded_by=governor
    )
    ImportJob.objects.filter(pk=job.pk).update(
        requested_at=database_now() - jobs.STALE_AFTER - datetime.timedelta(seconds=1)
    )

    assert jobs.expire_stale_imports() == 1
    job.refresh_from_db()
    assert (job.status, job.error, job.upload) == ("failed", jobs.NEVER_STARTED, None)
