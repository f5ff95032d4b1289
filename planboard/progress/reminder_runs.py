"""Reminders sent on their own, on each strategy's schedule, by the task queue.

``tick(now)`` is one turn of ``planboard scheduler``: for each strategy with an open
period whose schedule (``planboard.progress.schedule``) reminds on today, after
``REMINDERS_HOUR`` in the trust's time zone, it records a ``ReminderRun`` and queues
the task that sends them (``send_queued_reminders``) in the same transaction. The run
is unique per strategy and day, so schedulers on several servers at once queue it once;
the Reminder rows still send nobody the same reminder twice a day, however many runs
there are (a governance member's "Send reminders now", ``send_reminders_now``, is one).

The task records what it did on the run: sent, already sent today, without an e-mail
address, failed. When some messages failed (the mail server down), the run is queued
again ``REMINDER_RETRY_MINUTES`` later, doubling each time, until ``REMINDER_ATTEMPTS``
tries; after the last it is marked failed, for the period's page to show.

While it sends, the run beats (``planboard.lib.heartbeat``): a run whose worker died is
marked failed, with its task in the queue, by the next sweep (``expire_stale_runs``, run
by every worker and when the period's page shows a run being sent) once it has not been
heard from for four beats, well within a minute. It is not sent again on its own; "Send
reminders now" sends what it had not, and never a reminder twice a day. A first try no
worker started within ``STALE_AFTER`` is marked failed too.

Once a day the scheduler also queues the pruning of finished task results older than
``TASK_RESULTS_KEEP_DAYS``, as django-tasks-db's ``prune_db_task_results`` does.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import task

from planboard.lib import clock
from planboard.lib.heartbeat import beating, database_now, fail_lost
from planboard.lib.services import service
from planboard.people.permissions import COMMAND_LINE, planboard_itself, require_governance
from planboard.progress.errors import CycleError
from planboard.progress.models import (
    DailyChore,
    ReminderRun,
    ReminderSchedule,
    ReportingPeriod,
    RunStatus,
)
from planboard.progress.reminders import MailServerError, send_reminders

logger = logging.getLogger(__name__)

PRUNE = "prune task results"
# A first try no worker started within this long has found no worker.
STALE_AFTER = datetime.timedelta(minutes=30)
WORKER_STOPPED = "Its worker stopped while sending (the server may have restarted)."
NEVER_STARTED = "No worker started it within 30 minutes; is `planboard worker` running?"


# --- what the scheduler queues ------------------------------------------------


def due_periods(day: datetime.date) -> list:
    """The open periods whose strategy's schedule reminds on ``day`` and that have no
    scheduled run that day yet."""
    periods = list(
        ReportingPeriod.objects.open()
        .select_related("strategy")
        .exclude(
            strategy_id__in=ReminderRun.objects.filter(
                day=day, trigger=ReminderRun.Trigger.SCHEDULE
            ).values("strategy_id")
        )
    )
    saved = {
        schedule.strategy_id: schedule
        for schedule in ReminderSchedule.objects.filter(
            strategy_id__in=[period.strategy_id for period in periods]
        )
    }
    return [
        period
        for period in periods
        if saved.get(period.strategy_id, ReminderSchedule.default_for(period.strategy)).reminds_on(
            period.updates_due, day
        )
    ]


def tick(now=None) -> list[ReminderRun]:
    """One turn of the scheduler at ``now``: queue what is due; return the runs queued."""
    local = timezone.localtime(now or clock.now())
    day = local.date()
    queue_chore(PRUNE, day)
    if local.hour < settings.REMINDERS_HOUR:
        return []
    queued = [queue_scheduled_run(period, day) for period in due_periods(day)]
    return [run for run in queued if run is not None]


@service
def queue_scheduled_run(period, day: datetime.date) -> ReminderRun | None:
    """Record ``period``'s reminder run for ``day`` and queue its task, unless another
    scheduler did a moment ago (then None)."""
    planboard_itself("queue the reminders due today")
    try:
        with transaction.atomic():
            run = ReminderRun.objects.create(
                strategy=period.strategy,
                period=period,
                day=day,
                trigger=ReminderRun.Trigger.SCHEDULE,
                queued_at=timezone.now(),
            )
            _enqueue(run)
    except IntegrityError:
        return None
    return run


@service
@transaction.atomic
def send_reminders_now(period, *, user) -> ReminderRun:
    """Queue a run of today's reminders for ``period`` at once (a governance member's
    "Send reminders now"); a run still waiting to start is returned instead of a second."""
    require_governance(user, "send reminders")
    if not period.is_open:
        raise CycleError(f"{period.label} is not open, so there is nobody to remind.")
    waiting = ReminderRun.objects.filter(period=period, status=RunStatus.QUEUED, attempts=0).first()
    if waiting is not None:
        return waiting
    run = ReminderRun.objects.create(
        strategy=period.strategy,
        period=period,
        day=clock.today(),
        trigger=ReminderRun.Trigger.NOW,
        requested_by=user,
        queued_at=timezone.now(),
    )
    _enqueue(run)
    return run


def _enqueue(run, run_after=None) -> None:
    queued = send_queued_reminders
    if run_after is not None:
        queued = queued.using(run_after=run_after)
    result = queued.enqueue(run.pk)
    ReminderRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])


def last_run(period) -> ReminderRun | None:
    """The latest reminder run for ``period``, for its page."""
    return ReminderRun.objects.filter(period=period).first()


# --- what the worker runs ------------------------------------------------------


@task()
def send_queued_reminders(run_id: int) -> None:
    """The queued task: send the reminders of run ``run_id``, beating while it runs."""
    with beating(lambda: record_heartbeat(run_id)):
        run_reminders(run_id)


@service
def record_heartbeat(run_id: int) -> None:
    planboard_itself("note that the worker sending reminders is alive")
    ReminderRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(heartbeat_at=Now())


@service
def run_reminders(run_id: int) -> None:
    """Send the run's reminders if it is still queued, and record what happened.

    Whoever asked for the run was checked then; sending it is planboard's own work.
    """
    planboard_itself("send the reminders that were queued")
    now = timezone.now()
    claimed = ReminderRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=Now(),
        heartbeat_at=Now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return
    run = ReminderRun.objects.select_related("strategy").get(pk=run_id)
    error = ""
    try:
        outcome = send_reminders(run.strategy, user=COMMAND_LINE)
    except CycleError as problem:  # the period closed before the run started
        _finish(run, status=RunStatus.FAILED, error=str(problem))
        return
    except MailServerError as problem:
        error = str(problem)
        outcome = send_reminders(run.strategy, dry_run=True, user=COMMAND_LINE)
        outcome.failed, outcome.sent = outcome.sent, []
    except Exception as problem:  # noqa: BLE001 - any failure is the run's, shown on its page
        logger.exception("Reminder run %s failed", run_id)
        _finish(run, status=RunStatus.FAILED, error=" ".join(str(problem).split())[:500])
        return
    counts = {
        "sent": run.sent + len(outcome.sent),
        # What earlier tries of this run sent is not "already sent" by someone else.
        "skipped": max(len(outcome.skipped) - run.sent, 0),
        "no_address": len(outcome.no_address),
        "failed": len(outcome.failed),
    }
    if not outcome.failed:
        _finish(run, status=RunStatus.DONE, **counts)
    elif run.attempts < settings.REMINDER_ATTEMPTS:
        retry_at = now + retry_delay(run.attempts)
        words = error or f"{len(outcome.failed)} could not be sent."
        with transaction.atomic():
            ReminderRun.objects.filter(pk=run_id).update(
                status=RunStatus.QUEUED,
                error=f"{words} Trying again at {timezone.localtime(retry_at):%H:%M}.",
                **counts,
            )
            _enqueue(run, run_after=retry_at)
    else:
        _finish(
            run,
            status=RunStatus.FAILED,
            error=error or f"{len(outcome.failed)} could not be sent after {run.attempts} tries.",
            **counts,
        )


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th try failed: doubling each time."""
    return datetime.timedelta(minutes=settings.REMINDER_RETRY_MINUTES * 2 ** (attempts - 1))


def _finish(run, **fields) -> None:
    ReminderRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), **fields)


@service
@transaction.atomic
def expire_stale_runs(now=None) -> int:
    """Mark failed the runs whose worker stopped beating, and the first tries no worker
    started within ``STALE_AFTER``; return how many. A lost run and its task in the
    queue are marked failed together, in one transaction."""
    planboard_itself("mark failed the reminder runs that never finished")
    now = now or database_now()
    failed = dict(status=RunStatus.FAILED, finished_at=now)
    count = fail_lost(
        ReminderRun.objects.filter(status=RunStatus.RUNNING),
        now,
        reason=WORKER_STOPPED,
        cause=f"{__name__}.WorkerStopped",
        error=WORKER_STOPPED,
        **failed,
    )
    count += ReminderRun.objects.filter(
        status=RunStatus.QUEUED, attempts=0, queued_at__lt=now - STALE_AFTER
    ).update(error=NEVER_STARTED, **failed)
    return count


# --- the daily chores ------------------------------------------------------------


@service
def queue_chore(name: str, day: datetime.date) -> bool:
    """Queue the chore ``name`` once on ``day``, whichever scheduler asks first."""
    planboard_itself("queue the day's housekeeping")
    if DailyChore.objects.filter(name=name, day=day).exists():
        return False
    try:
        with transaction.atomic():
            chore = DailyChore.objects.create(name=name, day=day)
            result = prune_task_results.enqueue()
            DailyChore.objects.filter(pk=chore.pk).update(task_id=str(result.id)[:64])
    except IntegrityError:
        return False
    return True


@task()
def prune_task_results() -> int:
    """The queued chore: delete the finished task results older than the days kept."""
    return prune_finished_results()


@service
def prune_finished_results(now=None) -> int:
    """Delete the queue's finished task results older than ``TASK_RESULTS_KEEP_DAYS``, as
    django-tasks-db's ``prune_db_task_results`` does; return how many."""
    from django_tasks_db.models import DBTaskResult

    planboard_itself("prune the queue's old finished task results")
    now = now or timezone.now()
    keep = datetime.timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    old = DBTaskResult.objects.finished().filter(
        backend_name="default", finished_at__lte=now - keep
    )
    deleted, _ = old.delete()
    return deleted
