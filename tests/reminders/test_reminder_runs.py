"""A queued run of reminders, done by a worker: the right messages, once a day, its
outcome recorded, and tried again with back-off when the mail server fails."""

import datetime
import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from planboard.progress.models import Reminder, ReminderRun
from planboard.progress.reminder_runs import expire_stale_runs, retry_delay, tick
from planboard.progress.services import close_period
from tests.reminders.conftest import at, run_worker

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


def queued_run_on(cycle, day) -> ReminderRun:
    (run,) = tick(at(day))
    return run
