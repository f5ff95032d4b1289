"""A queued run of reminders, done by a worker: the right messages, once a day, its
outcome recorded, and tried again with back-off when the mail server fails."""

import datetime
import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from planboard.lib.heartbeat import database_now
from planboard.progress.models import Reminder, ReminderRun
from planboard.progress.reminder_runs import (
    WORKER_STOPPED,
    expire_stale_runs,
    record_heartbeat,
    retry_delay,
    send_queued_reminders,
    tick,
)
from planboard.progress.services import close_period
from tests.reminders.conftest import at
from tests.worker_process import run_worker

DUE = datetime.date(2017, 3, 31)
REFUSING = "tests.reminders.test_reminder_runs.RefusingBackend"
UNREACHABLE = "tests.reminders.test_reminder_runs.UnreachableBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers, then refuses every message."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, "Try again later")


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


def queued_run(cycle) -> ReminderRun:
    (run,) = tick(at(DUE))
    return run


def outcome(run) -> tuple:
    run.refresh_from_db()
    return run.status, run.sent, run.skipped, run.no_address, run.failed


def test_a_worker_sends_the_runs_reminders_and_records_what_it_did(cycle, mailoutbox, monkeypatch):
    run = queued_run(cycle)

    run_worker(monkeypatch)

    assert sorted(message.to[0] for message in mailoutbox) == [
        "gail@trust.example",
        "jane@trust.example",
        "mia@trust.example",
    ]
    assert outcome(run) == ("done", 3, 0, 1, 0)  # Ken has no e-mail address
    assert run.attempts == 1 and run.finished_at is not None and run.error == ""
    assert Reminder.objects.filter(strategy=cycle.strategy).count() == 3
    assert DBTaskResult.objects.get(id=run.task_id).status == "SUCCESSFUL"


def test_a_second_run_the_same_day_sends_nobody_anything_again(cycle, mailoutbox, monkeypatch):
    queued_run(cycle)
    run_worker(monkeypatch)
    assert len(mailoutbox) == 3

    (second,) = tick(at(DUE + datetime.timedelta(days=4)))  # another day's run, sent today
    run_worker(monkeypatch)

    assert len(mailoutbox) == 3
    assert outcome(second) == ("done", 0, 3, 1, 0)


def test_a_run_the_mail_server_refused_is_queued_again_later_and_then_sent(
    cycle, mailoutbox, settings, monkeypatch
):
    settings.EMAIL_BACKEND = REFUSING
    run = queued_run(cycle)
    first_task = run.task_id
    before = timezone.now()

    run_worker(monkeypatch)

    assert outcome(run) == ("queued", 0, 0, 1, 3)
    assert run.attempts == 1
    assert run.error.startswith("3 could not be sent. Trying again at ")
    assert not Reminder.objects.exists()  # nothing refused counts as sent
    retry = DBTaskResult.objects.get(id=run.task_id)
    assert run.task_id != first_task and retry.status == "READY"
    assert before + datetime.timedelta(minutes=10) <= retry.run_after
    assert retry.run_after <= timezone.now() + datetime.timedelta(minutes=10)

    run_worker(monkeypatch)  # not yet: the retry waits its turn
    assert outcome(run)[0] == "queued" and run.attempts == 1

    settings.EMAIL_BACKEND = LOCMEM
    DBTaskResult.objects.filter(id=run.task_id).update(run_after=timezone.now())
    run_worker(monkeypatch)

    assert outcome(run) == ("done", 3, 0, 1, 0)
    assert run.attempts == 2
    assert len(mailoutbox) == 3


def test_after_the_last_try_the_run_is_marked_failed(cycle, settings, monkeypatch):
    settings.EMAIL_BACKEND = REFUSING
    settings.REMINDER_ATTEMPTS = 2
    run = queued_run(cycle)
    run_worker(monkeypatch)
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())

    run_worker(monkeypatch)

    assert outcome(run) == ("failed", 0, 0, 1, 3)
    assert run.error == "3 could not be sent after 2 tries."
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_an_unreachable_mail_server_counts_every_message_failed(cycle, settings, monkeypatch):
    settings.EMAIL_BACKEND = UNREACHABLE
    run = queued_run(cycle)

    run_worker(monkeypatch)

    assert outcome(run) == ("queued", 0, 0, 1, 3)
    assert run.error.startswith("Could not reach the mail server")
    assert "Trying again at" in run.error


def test_the_wait_doubles_after_each_failed_try(settings):
    settings.REMINDER_RETRY_MINUTES = 10
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3)] == [10, 20, 40]


def test_a_run_whose_period_closed_before_it_started_fails_saying_why(
    cycle, mailoutbox, monkeypatch
):
    run = queued_run(cycle)
    close_period(cycle.period, user=cycle.gail)

    run_worker(monkeypatch)

    assert outcome(run)[0] == "failed"
    assert "no open reporting period" in run.error
    assert mailoutbox == []


def test_runs_that_lost_their_worker_or_never_started_are_marked_failed(cycle):
    run = queued_run(cycle)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ReminderRun.objects.filter(pk=run.pk).update(queued_at=long_ago)
    running = queued_run_on(cycle, DUE + datetime.timedelta(days=4))
    ReminderRun.objects.filter(pk=running.pk).update(status="running", started_at=long_ago)
    fresh = queued_run_on(cycle, DUE + datetime.timedelta(days=6))

    assert expire_stale_runs() == 2

    assert outcome(run)[0] == "failed" and "No worker started it" in run.error
    assert outcome(running)[0] == "failed" and "worker stopped" in running.error
    assert outcome(fresh)[0] == "queued"


def test_a_running_run_is_failed_with_its_task_four_beats_after_its_last_heartbeat(cycle, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 10
    run = queued_run(cycle)
    run.refresh_from_db()
    now = timezone.now()
    DBTaskResult.objects.filter(id=run.task_id).update(status="RUNNING")
    # Started ten minutes ago (a long run to many leads), last heard from 39 seconds ago.
    ReminderRun.objects.filter(pk=run.pk).update(
        status="running",
        attempts=1,
        started_at=now - datetime.timedelta(minutes=10),
        heartbeat_at=now - datetime.timedelta(seconds=39),
    )
    assert expire_stale_runs(now) == 0
    assert outcome(run)[0] == "running"

    later = now + datetime.timedelta(seconds=2)  # 41 seconds unheard: four beats
    assert expire_stale_runs(later) == 1

    assert outcome(run)[0] == "failed"
    assert (run.error, run.finished_at) == (WORKER_STOPPED, later)
    task = DBTaskResult.objects.get(id=run.task_id)
    assert (task.status, task.traceback, task.finished_at) == ("FAILED", WORKER_STOPPED, later)
    assert task.exception_class_path == "planboard.progress.reminder_runs.WorkerStopped"
    assert expire_stale_runs(later) == 0


def test_a_run_beats_while_it_runs_and_a_beat_keeps_it_from_the_sweep(cycle, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 10
    run = queued_run(cycle)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    ReminderRun.objects.filter(pk=run.pk).update(
        status="running", attempts=1, started_at=long_ago, heartbeat_at=long_ago
    )

    record_heartbeat(run.pk)

    assert expire_stale_runs() == 0
    run.refresh_from_db()
    assert run.status == "running" and run.heartbeat_at > long_ago


def test_a_run_records_when_it_started_and_its_first_beat(cycle, mailoutbox):
    run = queued_run(cycle)

    send_queued_reminders.call(run.pk)

    run.refresh_from_db()
    assert run.status == "done" and run.started_at is not None
    assert run.heartbeat_at is not None and run.heartbeat_at >= run.started_at


def test_the_period_page_marks_a_run_whose_worker_stopped_failed_and_says_why(
    cycle, client, settings
):
    settings.WORKER_HEARTBEAT_SECONDS = 10
    run = queued_run(cycle)
    a_minute_ago = database_now() - datetime.timedelta(minutes=1)
    ReminderRun.objects.filter(pk=run.pk).update(
        status="running", attempts=1, started_at=a_minute_ago, heartbeat_at=a_minute_ago
    )
    client.force_login(cycle.gail)

    page = client.get(reverse("period", kwargs={"slug": "sue", "period": "2016-17-q4"}))
    page = page.content.decode()

    assert outcome(run)[0] == "failed"
    assert "Failed: sent 0" in page and WORKER_STOPPED in page


def queued_run_on(cycle, day) -> ReminderRun:
    (run,) = tick(at(day))
    return run
