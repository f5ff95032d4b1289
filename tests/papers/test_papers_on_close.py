"""Closing a period asks for its paper in every format, on the queue, in the closing
transaction: the board and governance find the files being made, then ready, and never
wait for one. Made here by a worker run in this process (tests/papers/test_paper_files.py);
a real worker process makes them in tests/ops/test_several_servers.py."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from planboard.papers.formats import FORMATS
from planboard.papers.models import GeneratedPaper
from planboard.progress.models import PeriodStatus, ReportingPeriod
from planboard.progress.services import CycleError, close_period, open_period
from planboard.progress.signals import period_closed
from tests.papers.test_paper_files import DATABASE_TASKS, run_worker
from tests.progress.cycle import Q3

PAPER = reverse("paper", kwargs={"slug": "sue", "period": "2016-17-q3"})
TITLE = "Service User Engagement Strategy"


@pytest.fixture
def papers_on_close(settings):
    settings.PAPERS_IN_BACKGROUND = True
    settings.PAPERS_ON_CLOSE = True
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def open_q3(seed_strategy, gail):
    return open_period(seed_strategy, Q3, user=gail)


def read(job) -> str:
    """The file of ``job`` opened with its format's own reader, as its text."""
    content = bytes(job.content)
    if job.format == "pdf":
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if job.format == "docx":
        return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    if job.format == "xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell) for sheet in workbook for row in sheet.values for cell in row if cell
        )
    return content.decode("utf-8")


def test_closing_queues_the_paper_in_every_format_and_a_worker_makes_them(
    papers_on_close, open_q3, gail, client, monkeypatch
):
    closed = close_period(open_q3, user=gail)

    jobs = list(GeneratedPaper.objects.order_by("format"))
    assert sorted(job.format for job in jobs) == sorted(FORMATS)
    for job in jobs:
        assert (job.status, job.period, job.requested_by) == ("queued", closed, gail)
        assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    client.force_login(gail)
    page = client.get(PAPER).content.decode()
    assert "A file is still being made" in page
    assert page.count("Waiting to start") >= len(FORMATS)
    for paper_format in FORMATS.values():
        assert f"sue-2016-17-q3-paper.{paper_format.extension}" in page

    run_worker(monkeypatch)

    for job in GeneratedPaper.objects.all():
        assert job.status == "done", job.error
        assert job.checksum == hashlib.sha256(bytes(job.content)).hexdigest()
        assert TITLE in " ".join(read(job).split()), job.format
        assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    page = client.get(PAPER).content.decode()
    assert "A file is still being made" not in page
    for job in GeneratedPaper.objects.all():
        assert reverse("paper_download", kwargs={"slug": "sue", "pk": job.pk}) in page


def test_closing_from_the_command_line_queues_them_as_planboard_itself(papers_on_close, open_q3):
    call_command("period", "close", strategy="sue", stdout=io.StringIO())

    jobs = GeneratedPaper.objects.all()
    assert sorted(jobs.values_list("format", flat=True)) == sorted(FORMATS)
    assert {(job.status, job.requested_by_id, job.period_id) for job in jobs} == {
        ("queued", None, open_q3.pk)
    }
    assert DBTaskResult.objects.filter(id__in=[job.task_id for job in jobs]).count() == 4


def test_a_closing_that_fails_leaves_no_jobs_and_no_tasks(papers_on_close, open_q3, gail):
    def fails_after_the_papers(sender, **kwargs):
        assert GeneratedPaper.objects.count() == len(FORMATS)
        raise RuntimeError("a later step of the close failed")

    period_closed.connect(fails_after_the_papers, dispatch_uid="test.fails")
    try:
        with pytest.raises(RuntimeError):
            close_period(open_q3, user=gail)
    finally:
        period_closed.disconnect(dispatch_uid="test.fails")
    assert ReportingPeriod.objects.get(pk=open_q3.pk).status == PeriodStatus.OPEN
    assert not GeneratedPaper.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_period_closes_once_so_its_files_are_asked_for_once(papers_on_close, open_q3, gail):
    closed = close_period(open_q3, user=gail)
    with pytest.raises(CycleError, match="is not open"):
        close_period(closed, user=gail)
    with pytest.raises(CycleError, match="cannot be opened again"):
        open_period(closed.strategy, closed.label, user=gail)
    assert GeneratedPaper.objects.count() == len(FORMATS)


def test_with_papers_on_close_turned_off_closing_asks_for_none(settings, open_q3, gail):
    settings.PAPERS_IN_BACKGROUND = True
    settings.TASKS = DATABASE_TASKS
    settings.PAPERS_ON_CLOSE = False
    close_period(open_q3, user=gail)
    assert not GeneratedPaper.objects.exists()
    assert not DBTaskResult.objects.exists()
