"""Writing papers to files: one function for the command line and the web app's jobs.

``write_paper`` builds a paper and writes it in one format. The web app does not hold a
request open while it does: ``request_paper`` records a job (a ``GeneratedPaper``,
queued) and starts it in the background once the request's transaction commits; the
job keeps its step, then its file, checksum and size, in the database, so any app
server can show its progress and serve the file. A job that has not finished within
``STALE_AFTER`` (its process was restarted, say) is marked failed and can be asked for
again.

``settings.PAPERS_IN_BACKGROUND`` set to false runs the job inside the request
instead (the tests do, as their data is not committed for another thread to see).
"""

import datetime
import hashlib
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from planboard.lib.services import service
from planboard.papers import formats
from planboard.papers.content import build_paper
from planboard.papers.models import GeneratedPaper, GenerationStatus, PaperTemplate
from planboard.people.permissions import planboard_itself, require_governance
from planboard.progress.periods import period_slug

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=15)
# One paper at a time per process: a large PDF takes a few hundred megabytes while it
# is laid out, and two at once in one web worker would take twice that.
_ONE_AT_A_TIME = threading.BoundedSemaphore(1)


@dataclass(frozen=True)
class WrittenPaper:
    """A paper written in one format: its bytes, a file name and the Word template used."""

    content: bytes
    filename: str
    template: PaperTemplate | None
    actions: int


def active_template(strategy) -> PaperTemplate | None:
    """The Word template for ``strategy``: its own active one, else the active one for all."""
    templates = PaperTemplate.objects.filter(active=True).filter(
        Q(strategy=strategy) | Q(strategy__isnull=True)
    )
    own = [t for t in templates if t.strategy_id == strategy.pk]
    shared = [t for t in templates if t.strategy_id is None]
    return max(own or shared, key=lambda t: t.uploaded_at, default=None)


def paper_filename(strategy, period, name: str) -> str:
    """``sue-2016-17-q3-paper.pdf``; ``sue-paper.pdf`` for the live plan."""
    middle = f"-{period_slug(period.label)}" if period is not None else ""
    return f"{strategy.slug}{middle}-paper.{formats.FORMATS[name].extension}"


def write_paper(strategy, period, name: str, *, step=None) -> WrittenPaper:
    """The paper for ``strategy`` and ``period`` written in format ``name``.

    ``step``, when given, is called with a few words each time the work moves on.
    """
    step = step or (lambda words: None)
    step("Reading the plan")
    paper = build_paper(strategy, period)
    options = {}
    template = None
    if name == "docx":
        from planboard.papers.formats.charts import rag_chart

        template = active_template(strategy)
        options["template"] = bytes(template.content) if template is not None else None
        options["chart_png"] = rag_chart(paper, "png")
    step(f"Writing the {formats.FORMATS[name].label}")
    content = formats.render(paper, name, **options)
    return WrittenPaper(content, paper_filename(strategy, period, name), template, len(paper.rows))


@service
def request_paper(strategy, period, name: str, *, user) -> GeneratedPaper:
    """Record a job to write the paper in format ``name`` and start it after commit."""
    require_governance(user, "make paper files", command_line_ok=True)
    if name not in formats.FORMATS:
        raise ValueError(f'Unknown paper format "{name}".')
    job = GeneratedPaper.objects.create(
        strategy=strategy,
        period=period,
        format=name,
        requested_by=user,
        step="Waiting to start",
        filename=paper_filename(strategy, period, name),
    )
    if getattr(settings, "PAPERS_IN_BACKGROUND", True):
        transaction.on_commit(lambda: _start_thread(job.pk))
    else:
        run_job(job.pk)
        job.refresh_from_db()
    return job


def _start_thread(job_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    try:
        with _ONE_AT_A_TIME:
            run_job(job_id)
    finally:
        close_old_connections()


@service
def run_job(job_id: int) -> None:
    """Do the job ``job_id`` if it is still queued; record its file or its failure.

    The person who asked for the job was checked then; the job itself is planboard's.
    """
    planboard_itself("write a paper file that was asked for")
    claimed = GeneratedPaper.objects.filter(pk=job_id, status=GenerationStatus.QUEUED).update(
        status=GenerationStatus.RUNNING, started_at=timezone.now(), step="Starting"
    )
    if not claimed:
        return
    job = GeneratedPaper.objects.select_related("strategy", "period").get(pk=job_id)

    def step(words):
        GeneratedPaper.objects.filter(pk=job_id, status=GenerationStatus.RUNNING).update(step=words)

    try:
        written = write_paper(job.strategy, job.period, job.format, step=step)
    except Exception as error:  # noqa: BLE001 - any failure is the job's, shown on the page
        logger.exception("Paper %s failed", job_id)
        GeneratedPaper.objects.filter(pk=job_id, status=GenerationStatus.RUNNING).update(
            status=GenerationStatus.FAILED,
            step="",
            error=_one_line(error),
            finished_at=timezone.now(),
        )
        return
    GeneratedPaper.objects.filter(pk=job_id, status=GenerationStatus.RUNNING).update(
        status=GenerationStatus.DONE,
        step="",
        content=written.content,
        size=len(written.content),
        checksum=hashlib.sha256(written.content).hexdigest(),
        filename=written.filename,
        template=written.template,
        finished_at=timezone.now(),
    )


@service
def expire_stale_jobs(now=None) -> int:
    """Mark failed the jobs still waiting or running ``STALE_AFTER`` after they were asked for."""
    planboard_itself("mark failed the paper files that never finished")
    now = now or timezone.now()
    return GeneratedPaper.objects.filter(
        status__in=(GenerationStatus.QUEUED, GenerationStatus.RUNNING),
        requested_at__lt=now - STALE_AFTER,
    ).update(
        status=GenerationStatus.FAILED,
        step="",
        error="It did not finish (the server may have restarted). Ask for it again.",
        finished_at=now,
    )


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:500]
