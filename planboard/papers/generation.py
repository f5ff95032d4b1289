"""Writing papers to files: one function for the command line and the web app's jobs.

``write_paper`` builds a paper and writes it in one format. The web app does not hold a
request open while it does: ``request_paper`` records a job (a ``GeneratedPaper``,
queued) and, in the same transaction, a task on the queue (``make_paper_file``) that a
worker (``planboard worker``) runs once the request has committed. The job keeps its
step, its heartbeat, then its file, checksum and size, in the database, so any app
server can show its progress and serve the file, and a restarted web server loses
nothing. The file is stored by the statement that marks the job done, so a job is
either done with its whole file or not done with none.

A job whose worker died (its heartbeat stopped, ``planboard.lib.heartbeat``) is marked
failed by the next sweep (``expire_stale_jobs``, run by every worker and whenever the
job's page is viewed), as is a job no worker started within ``STALE_AFTER``; either can
be asked for again. A failed job is not retried on its own: a file that killed its
worker (a PDF too large for its memory, say) would kill the next one too.

``settings.PAPERS_IN_BACKGROUND`` set to false runs the job inside the request
instead (the tests that start no worker do, as their data is not committed).

``request_every_format`` asks for every format at once, leaving out the formats
already being made. Each file keeps the fingerprints of the paper it was written from
and of its cover sheet (``planboard.papers.freshness``), so the paper page marks it out
of date once what the paper prints changes.

When a period closes, ``make_papers_on_close`` asks for its paper in every format, in
the closing transaction, as whoever closed it (planboard itself from the command line),
so the board and governance find the files made or being made and never wait for one.
A closed period is never opened again, so each period's papers are asked for once.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from planboard.lib.heartbeat import beating, database_now, fail_lost
from planboard.lib.services import service
from planboard.papers import formats, notices
from planboard.papers.content import build_paper
from planboard.papers.covers import cover_for
from planboard.papers.freshness import MadeFrom, made_from
from planboard.papers.models import GeneratedPaper, GenerationStatus, PaperTemplate
from planboard.people.permissions import planboard_itself, require_governance
from planboard.progress.periods import period_slug
from planboard.progress.signals import period_closed

logger = logging.getLogger(__name__)

# A job still waiting this long after it was asked for has found no worker.
STALE_AFTER = datetime.timedelta(minutes=15)
WORKER_STOPPED = (
    "Its worker stopped while making it (the server may have restarted). Ask for it again."
)
NEVER_STARTED = "No worker started it within 15 minutes. Ask for it again."


@dataclass(frozen=True)
class WrittenPaper:
    """A paper written in one format: its bytes, a file name, the Word template used and
    the fingerprints of the paper it was written from."""

    content: bytes
    filename: str
    template: PaperTemplate | None
    actions: int
    made_from: MadeFrom | None = None


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
    # Read before the paper, so a cover sheet edited in between is told as the change.
    sheet = cover_for(strategy, period)
    paper = build_paper(strategy, period)
    options = {}
    template = None
    if name == "docx":
        from planboard.papers.formats.charts import rag_chart

        template = active_template(strategy)
        options["template"] = bytes(template.content) if template is not None else None
        options["chart_png"] = rag_chart(paper, "png")
        if paper.feedback is not None:
            from planboard.papers.formats.feedback_chart import feedback_chart

            options["feedback_chart_png"] = feedback_chart(paper.feedback, "png")
        if paper.engagement is not None:
            from planboard.papers.formats.engagement_chart import engagement_chart

            options["engagement_chart_png"] = engagement_chart(paper.engagement, "png")
    step(f"Writing the {formats.FORMATS[name].label}")
    content = formats.render(paper, name, **options)
    return WrittenPaper(
        content,
        paper_filename(strategy, period, name),
        template,
        len(paper.rows),
        made_from(paper, sheet),
    )


@service
def request_paper(strategy, period, name: str, *, user) -> GeneratedPaper:
    """Record a job to write the paper in format ``name``, and queue the task that does."""
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
        # The task's row is written in this transaction: the job and its task are kept
        # together or not at all, and no worker sees the task before the job.
        queued = make_paper_file.enqueue(job.pk)
        GeneratedPaper.objects.filter(pk=job.pk).update(task_id=str(queued.id)[:64])
    else:
        run_job(job.pk)
    job.refresh_from_db()
    return job


@service
@transaction.atomic
def request_every_format(strategy, period, *, user) -> list[GeneratedPaper]:
    """Ask for the paper in every format not already being made (queued or running),
    in one transaction; return the jobs asked for, in the formats' order."""
    require_governance(user, "make paper files", command_line_ok=True)
    if period is not None:
        # Two people asking at once ask once: the second waits here, then sees the first's.
        type(period).objects.select_for_update().filter(pk=period.pk).first()
    being_made = set(
        GeneratedPaper.objects.filter(
            strategy=strategy,
            period=period,
            status__in=(GenerationStatus.QUEUED, GenerationStatus.RUNNING),
        ).values_list("format", flat=True)
    )
    return [
        request_paper(strategy, period, name, user=user)
        for name in formats.FORMATS
        if name not in being_made
    ]


@receiver(period_closed, dispatch_uid="papers.make_papers_on_close")
def make_papers_on_close(sender, period, user, **kwargs):
    """Ask for the closing period's paper in every format (``settings.PAPERS_ON_CLOSE``).

    Sent inside the closing transaction: if the close fails, no job and no task stays.
    """
    if getattr(settings, "PAPERS_ON_CLOSE", True):
        for name in formats.FORMATS:
            request_paper(period.strategy, period, name, user=user)


@task()
def make_paper_file(job_id: int) -> None:
    """The queued task: do the job ``job_id``, beating while it runs."""
    with beating(lambda: record_heartbeat(job_id)):
        run_job(job_id)


@service
def record_heartbeat(job_id: int) -> None:
    planboard_itself("note that the worker making a paper file is alive")
    GeneratedPaper.objects.filter(pk=job_id, status=GenerationStatus.RUNNING).update(
        heartbeat_at=Now()
    )


@service
def run_job(job_id: int) -> None:
    """Do the job ``job_id`` if it is still queued; record its file or its failure.

    The person who asked for the job was checked then; the job itself is planboard's.
    """
    planboard_itself("write a paper file that was asked for")
    claimed = GeneratedPaper.objects.filter(pk=job_id, status=GenerationStatus.QUEUED).update(
        status=GenerationStatus.RUNNING, started_at=Now(), heartbeat_at=Now(), step="Starting"
    )
    if not claimed:
        return
    job = GeneratedPaper.objects.select_related("strategy", "period").get(pk=job_id)

    def step(words):
        GeneratedPaper.objects.filter(pk=job_id, status=GenerationStatus.RUNNING).update(
            step=words, heartbeat_at=Now()
        )

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
    # One statement stores the file and marks the job done: there is no moment at which
    # a half-stored file is seen, and a job the sweep has given up on stays failed.
    with transaction.atomic():  # the e-mail saying it is ready is queued with it
        if _store_file(job, written):
            notices.paper_ready(job)


def _store_file(job, written) -> int:
    made = written.made_from or MadeFrom(paper="", cover="")
    return GeneratedPaper.objects.filter(pk=job.pk, status=GenerationStatus.RUNNING).update(
        status=GenerationStatus.DONE,
        step="",
        content=written.content,
        size=len(written.content),
        checksum=hashlib.sha256(written.content).hexdigest(),
        filename=written.filename,
        template=written.template,
        made_from_paper=made.paper,
        made_from_cover=made.cover,
        finished_at=timezone.now(),
    )


@service
@transaction.atomic
def expire_stale_jobs(now=None) -> int:
    """Mark failed the running jobs whose worker stopped beating, and the jobs no worker
    started within ``STALE_AFTER``; return how many. A lost job and its task in the
    queue are marked failed together, in one transaction."""
    planboard_itself("mark failed the paper files that never finished")
    now = now or database_now()
    pending = GeneratedPaper.objects.filter(
        status__in=(GenerationStatus.QUEUED, GenerationStatus.RUNNING)
    )
    failed = dict(status=GenerationStatus.FAILED, step="", finished_at=now)
    count = fail_lost(
        pending.filter(status=GenerationStatus.RUNNING),
        now,
        reason=WORKER_STOPPED,
        cause=f"{__name__}.WorkerStopped",
        error=WORKER_STOPPED,
        **failed,
    )
    count += pending.filter(
        status=GenerationStatus.QUEUED, requested_at__lt=now - STALE_AFTER
    ).update(error=NEVER_STARTED, **failed)
    return count


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:500]
