"""The paper page's files: governance edits the cover sheet and asks for files; everyone
signed in downloads them; each file is kept with its format, checksum and maker."""

import datetime
import hashlib
import io
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from planboard.lib.heartbeat import stale_after
from planboard.papers import generation
from planboard.papers.generation import expire_stale_jobs, request_paper, run_job
from planboard.papers.models import CoverSheet, GeneratedPaper, GenerationStatus
from planboard.plans.models import Strategy
from planboard.web.paper_forms import DATE_FIELDS
from tests.progress.cycle import board_member
from tests.web.pages import date_boxes
from tests.worker_process import run_worker

PAPER = reverse("paper", kwargs={"slug": "sue", "period": "2016-17-q3"})
GENERATE = reverse("paper_generate", kwargs={"slug": "sue", "period": "2016-17-q3"})
COVER = reverse("paper_cover", kwargs={"slug": "sue", "period": "2016-17-q3"})


@pytest.fixture
def as_governance(client, gail):
    client.force_login(gail)
    return client


@pytest.fixture
def as_board(client, db):
    client.force_login(board_member())
    return client


def test_governance_makes_an_excel_file_and_anyone_signed_in_downloads_it(
    as_governance, closed_q3, gail, django_user_model
):
    response = as_governance.post(GENERATE, {"format": "xlsx"})
    assert response.status_code == 302
    assert response["Location"].endswith("/strategies/sue/papers/2016-17-q3/#files")
    job = GeneratedPaper.objects.get()
    assert (job.status, job.format, job.requested_by, job.period) == (
        "done",
        "xlsx",
        gail,
        closed_q3,
    )
    assert job.filename == "sue-2016-17-q3-paper.xlsx"
    content = bytes(job.content)
    assert job.checksum == hashlib.sha256(content).hexdigest()
    assert job.size == len(content)

    page = as_governance.get(PAPER).content.decode()
    assert "sue-2016-17-q3-paper.xlsx" in page
    assert job.checksum[:16] in page
    assert "Ready" in page

    as_governance.force_login(django_user_model.objects.create_user("reader"))
    download = as_governance.get(reverse("paper_download", kwargs={"slug": "sue", "pk": job.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="sue-2016-17-q3-paper.xlsx"'
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames[:3] == ["Cover", "Summary", "Exceptions"]
    assert workbook.sheetnames[-2:] == ["All actions", "Appendix"]
    assert len(workbook.sheetnames) == 11


def test_an_html_file_is_always_downloaded_never_shown_as_a_page(as_governance, closed_q3):
    as_governance.post(GENERATE, {"format": "html"})
    job = GeneratedPaper.objects.get()
    response = as_governance.get(reverse("paper_download", kwargs={"slug": "sue", "pk": job.pk}))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_only_governance_asks_for_files_and_edits_cover_sheets(as_board, closed_q3):
    assert as_board.post(GENERATE, {"format": "pdf"}).status_code == 403
    assert as_board.get(COVER).status_code == 403
    assert as_board.post(COVER, {"title": "x"}).status_code == 403
    assert not GeneratedPaper.objects.exists()
    page = as_board.get(PAPER).content.decode()
    assert "Make the file" not in page
    assert "Edit the cover sheet" not in page


def test_an_unknown_format_is_refused_with_the_nhs_error_summary(as_governance, closed_q3):
    response = as_governance.post(GENERATE, {"format": "exe"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose a format" in html
    assert not GeneratedPaper.objects.exists()


def test_a_file_that_fails_says_why_and_keeps_nothing(as_governance, closed_q3, monkeypatch):
    def broken(paper, name, **options):
        raise RuntimeError("the renderer\nbroke")

    monkeypatch.setattr(generation.formats, "render", broken)
    response = as_governance.post(GENERATE, {"format": "pdf"}, follow=True)
    job = GeneratedPaper.objects.get()
    assert (job.status, job.error, job.content) == ("failed", "the renderer broke", None)
    assert "could not be made: the renderer broke" in response.content.decode()


def test_a_download_is_only_of_a_ready_file_of_that_strategy(as_governance, closed_q3, gail):
    other = Strategy.objects.create(slug="other", title="Other")
    waiting = GeneratedPaper.objects.create(
        strategy=closed_q3.strategy, period=closed_q3, format="pdf"
    )
    url = reverse("paper_download", kwargs={"slug": "sue", "pk": waiting.pk})
    assert as_governance.get(url).status_code == 404
    run_job(waiting.pk)
    assert as_governance.get(url).status_code == 200
    wrong = reverse("paper_download", kwargs={"slug": other.slug, "pk": waiting.pk})
    assert as_governance.get(wrong).status_code == 404


def test_a_job_is_done_once_and_a_stale_one_is_marked_failed(closed_q3, gail):
    job = GeneratedPaper.objects.create(
        strategy=closed_q3.strategy, period=closed_q3, format="html"
    )
    run_job(job.pk)
    first = GeneratedPaper.objects.get(pk=job.pk)
    run_job(job.pk)  # already done: nothing happens
    assert GeneratedPaper.objects.get(pk=job.pk).finished_at == first.finished_at

    stuck = GeneratedPaper.objects.create(
        strategy=closed_q3.strategy, period=closed_q3, format="pdf"
    )
    GeneratedPaper.objects.filter(pk=stuck.pk).update(
        requested_at=first.requested_at - generation.STALE_AFTER * 2
    )
    assert expire_stale_jobs() == 1
    stuck.refresh_from_db()
    assert stuck.status == GenerationStatus.FAILED
    assert "Ask for it again" in stuck.error


def test_the_files_status_is_json_for_the_pages_script(as_board, closed_q3):
    job = GeneratedPaper.objects.create(strategy=closed_q3.strategy, period=closed_q3, format="pdf")
    url = reverse("paper_files_status", kwargs={"slug": "sue", "period": "2016-17-q3"})
    body = as_board.get(url).json()
    assert body == {"files": [{"pk": job.pk, "status": "queued", "step": ""}]}
    page = as_board.get(PAPER).content.decode()
    assert "data-pending" in page
    assert "Refresh this page" in page


def test_the_chart_is_an_svg_image_for_the_paper_page(as_board, closed_q3):
    page = as_board.get(PAPER).content.decode()
    chart = reverse("paper_chart", kwargs={"slug": "sue", "period": "2016-17-q3"})
    assert f'src="{chart}"' in page
    response = as_board.get(chart)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml")


def test_the_paper_page_with_files_costs_the_same_for_more_files(as_governance, closed_q3):
    for name in ("html", "xlsx"):
        request_paper(closed_q3.strategy, closed_q3, name, user=None)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert as_governance.get(PAPER).status_code == 200
        counts.append(len(captured.captured_queries))
        for name in ("html", "xlsx", "html"):
            request_paper(closed_q3.strategy, closed_q3, name, user=None)
    assert counts[0] == counts[1]


# --- the cover sheet page --------------------------------------------------------


def test_the_cover_sheet_form_is_prefilled_and_saves_a_sheet_for_this_paper(
    as_governance, closed_q3
):
    page = as_governance.get(COVER).content.decode()
    assert "Service User Engagement Strategy Implementation Plan" in page
    # the report date, 13 February 2017, in the three boxes of NHS.UK's date input
    assert 'id="report-date-day" name="report_date-day" type="text" value="13"' in page
    assert 'id="report-date-month" name="report_date-month" type="text" value="2"' in page
    assert 'id="report-date-year" name="report_date-year" type="text" value="2017"' in page
    form = _form_values(closed_q3)
    form.update(meeting="Quality Assurance Committee")
    form.update(date_boxes("meeting_date", ("27", "04", "2017")))
    form["purpose_ticked"] = ["For information"]
    response = as_governance.post(COVER, form)
    assert response.status_code == 302
    sheet = CoverSheet.objects.get(period=closed_q3)
    assert sheet.meeting == "Quality Assurance Committee"
    assert str(sheet.meeting_date) == "2017-04-27"
    assert [t["label"] for t in sheet.purpose_ticks if t["ticked"]] == ["For information"]
    paper = as_governance.get(PAPER).content.decode()
    assert "Quality Assurance Committee" in paper
    assert "27 April 2017" in paper


def test_a_bad_date_is_shown_in_the_error_summary_and_nothing_saved(as_governance, closed_q3):
    form = _form_values(closed_q3)
    form.update(date_boxes("meeting_date", ("31", "02", "2017")), title="Changed")
    response = as_governance.post(COVER, form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#meeting-date-day"' in html
    assert "The meeting date must be a real date" in html
    assert CoverSheet.objects.get(period=closed_q3).title != "Changed"


def test_a_cover_sheet_saved_by_someone_else_meanwhile_is_not_overwritten(as_governance, closed_q3):
    stale = _form_values(closed_q3)
    fresh = dict(stale, outcome="Their outcome")
    assert as_governance.post(COVER, fresh).status_code == 302
    mine = dict(stale, outcome="My outcome, typed carefully")
    response = as_governance.post(COVER, mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Your changes were not saved" in html
    assert "Their outcome" in html
    assert "My outcome, typed carefully" in html
    assert CoverSheet.objects.get(period=closed_q3).outcome == "Their outcome"
    # Saving the form as shown now replaces theirs, knowingly.
    version = CoverSheet.objects.get(period=closed_q3).version
    assert f'name="version" value="{version}"' in html
    assert as_governance.post(COVER, dict(mine, version=version)).status_code == 302
    assert CoverSheet.objects.get(period=closed_q3).outcome == "My outcome, typed carefully"


def _form_values(period) -> dict:
    """What the cover sheet form posts, unchanged, for ``period``."""
    from planboard.papers.covers import cover_for
    from planboard.web.paper_forms import CoverSheetForm

    form = CoverSheetForm(sheet=cover_for(period.strategy, period))
    values = {name: form.shown_value(name) for name in form.Meta.fields}
    values["version"] = str(form.initial["version"])
    for name in DATE_FIELDS:
        day = values.pop(name)
        values.update(date_boxes(name, day if day else ("", "", "")))
    return {name: ("" if value is None else value) for name, value in values.items()}


# --- on the task queue --------------------------------------------------------
# A real worker process, on SQLite and PostgreSQL, is in tests/ops/test_worker_served.py.

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def on_the_queue(settings):
    settings.PAPERS_IN_BACKGROUND = True
    settings.TASKS = DATABASE_TASKS


def test_a_file_asked_for_is_queued_with_its_job_and_made_by_a_worker(
    on_the_queue, as_governance, closed_q3, monkeypatch
):
    response = as_governance.post(GENERATE, {"format": "html"}, follow=True)
    assert "is being made" in response.content.decode()
    job = GeneratedPaper.objects.get()
    assert (job.status, job.content) == ("queued", None)
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"

    run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert b"Service User Engagement Strategy" in bytes(job.content)
    assert job.checksum == hashlib.sha256(bytes(job.content)).hexdigest()
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_a_job_and_its_task_are_kept_together_or_not_at_all(on_the_queue, closed_q3):
    with pytest.raises(RuntimeError), transaction.atomic():
        request_paper(closed_q3.strategy, closed_q3, "pdf", user=None)
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the request failed after asking")
    assert not GeneratedPaper.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_on_the_immediate_backend_the_task_makes_the_file_at_once(settings, closed_q3):
    settings.PAPERS_IN_BACKGROUND = True
    settings.TASKS = IMMEDIATE_TASKS
    job = request_paper(closed_q3.strategy, closed_q3, "xlsx", user=None)
    assert job.status == "done", job.error
    assert job.size == len(bytes(job.content))


def test_a_running_job_whose_worker_stopped_beating_is_marked_failed_with_its_task(
    on_the_queue, as_governance, closed_q3, monkeypatch
):
    lost = request_paper(closed_q3.strategy, closed_q3, "pdf", user=None)
    alive = request_paper(closed_q3.strategy, closed_q3, "xlsx", user=None)
    now = timezone.now()
    GeneratedPaper.objects.update(status="running", started_at=now - datetime.timedelta(hours=1))
    DBTaskResult.objects.update(status="RUNNING")
    GeneratedPaper.objects.filter(pk=lost.pk).update(
        heartbeat_at=now - stale_after() - datetime.timedelta(seconds=1)
    )
    GeneratedPaper.objects.filter(pk=alive.pk).update(heartbeat_at=now)

    assert expire_stale_jobs(now) == 1
    lost.refresh_from_db()
    assert (lost.status, lost.error) == ("failed", generation.WORKER_STOPPED)
    assert (lost.content, lost.size, lost.checksum) == (None, None, "")
    assert DBTaskResult.objects.get(id=lost.task_id).status == "FAILED"
    assert GeneratedPaper.objects.get(pk=alive.pk).status == "running"
    assert DBTaskResult.objects.get(id=alive.task_id).status == "RUNNING"
    assert "Its worker stopped while making it" in as_governance.get(PAPER).content.decode()
    # The file is made if asked for again, and the lost job, if its worker came back,
    # would not overwrite the failure.
    again = request_paper(closed_q3.strategy, closed_q3, "pdf", user=None)
    run_worker(monkeypatch)
    assert GeneratedPaper.objects.get(pk=again.pk).status == "done"
    run_job(lost.pk)
    assert GeneratedPaper.objects.get(pk=lost.pk).status == "failed"


def test_a_worker_sweeps_and_a_running_job_beats(on_the_queue, settings, closed_q3):
    from planboard.lib.heartbeat import beating
    from planboard.web.management.commands.worker import sweep

    job = request_paper(closed_q3.strategy, closed_q3, "pdf", user=None)
    GeneratedPaper.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert sweep() == 1
    assert GeneratedPaper.objects.get(pk=job.pk).status == "failed"

    settings.WORKER_HEARTBEAT_SECONDS = 1
    beats = threading.Semaphore(0)
    with beating(beats.release):
        assert beats.acquire(timeout=5)
        assert beats.acquire(timeout=5)


def test_an_over_long_field_is_refused_by_name_and_nothing_saved(as_governance, closed_q3):
    form = _form_values(closed_q3)
    form.update(summary="x" * 10_001, title="t" * 301)
    response = as_governance.post(COVER, form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Summary must be 10000 characters or fewer" in html
    assert "Title must be 300 characters or fewer" in html
    assert CoverSheet.objects.get(period=closed_q3).summary != "x" * 10_001
