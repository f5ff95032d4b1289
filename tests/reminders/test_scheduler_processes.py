"""Schedulers side by side, on committed data: two turns at once queue one run (threads,
each on its own connection; on PostgreSQL under ``scripts/with-postgres``), and a real
``planboard scheduler`` with a real ``planboard worker`` sends the reminders due once."""

import datetime
import os
import re
import signal
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from planboard.notifications.models import Notification
from planboard.progress.models import DailyChore, ReminderRun
from planboard.progress.reminder_runs import tick
from planboard.progress.services import open_period
from tests.reminders.conftest import at
from tests.worker_process import LEFT_OUT, PLANBOARD, database_url, worker

pytestmark = pytest.mark.django_db(transaction=True)

DUE = datetime.date(2017, 3, 31)
SCHEDULER_SETTINGS = {"SCHEDULER_SECONDS", "REMINDERS_HOUR", "EMAIL_BACKEND", "EMAIL_FILE_PATH"}


def test_two_schedulers_turning_at_once_queue_one_run_and_one_chore(cycle):
    schedulers = 4
    ready = threading.Barrier(schedulers)
    queued, errors = [], []

    def turn():
        try:
            ready.wait(timeout=30)
            queued.extend(tick(at(DUE)))
        except Exception as error:  # noqa: BLE001 - every error is a failure to report
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=turn) for _ in range(schedulers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    assert len(queued) == 1
    assert ReminderRun.objects.count() == 1
    assert DailyChore.objects.count() == 1
    tasks = DBTaskResult.objects.values_list("task_path", flat=True)
    assert sorted(path.rsplit(".", 1)[-1] for path in tasks) == [
        "prune_task_results",
        "send_queued_reminders",
    ]


@contextmanager
def scheduler(folder, env):
    """A ``planboard scheduler`` process on this test's database, its output in a log."""
    folder.mkdir(parents=True, exist_ok=True)
    left_out = LEFT_OUT | SCHEDULER_SETTINGS
    base = {name: value for name, value in os.environ.items() if name not in left_out}
    base.update(
        {
            "DATABASE_URL": database_url(),
            "PLANBOARD_VAR_DIR": str(folder / "var"),
            "DEBUG": "false",
            "HTTPS": "false",
            **env,
        }
    )
    log = folder / "scheduler.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command with fixed arguments
            [str(PLANBOARD), "scheduler"], env=base, stdout=output, stderr=subprocess.STDOUT
        )
    process.log = log
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def recipients(folder) -> list[str]:
    """Every address the file-based e-mail backend wrote a message to."""
    found = []
    for path in sorted(folder.glob("*.log")):
        found += re.findall(r"^To: (.+)$", path.read_text(), re.MULTILINE)
    return sorted(found)


@pytest.mark.subprocess
def test_a_scheduler_and_a_worker_send_the_reminders_due_once(plan, tmp_path):
    today = timezone.localdate()
    open_period(
        plan.strategy, "2016/17 Q4", user=plan.gail, updates_due=today + datetime.timedelta(days=7)
    )
    # Only the reminders in the mail folder: not the "period opened" e-mails.
    Notification.objects.all().delete()
    DBTaskResult.objects.all().delete()
    mail = tmp_path / "mail"
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "SCHEDULER_SECONDS": "1",
        "REMINDERS_HOUR": "0",
    }
    with (
        worker(tmp_path / "worker", env=env) as running,
        scheduler(tmp_path / "scheduler", env) as turning,
    ):
        deadline = time.monotonic() + 60
        while not ReminderRun.objects.filter(status__in=("done", "failed")).exists():
            assert time.monotonic() < deadline, turning.log.read_text() + running.log.read_text()
            assert turning.poll() is None, turning.log.read_text()
            time.sleep(0.2)
        time.sleep(3)  # three more turns of the scheduler: nothing more is due today

        turning.send_signal(signal.SIGTERM)
        assert turning.wait(timeout=15) == 0, turning.log.read_text()

    (run,) = ReminderRun.objects.all()
    assert (run.trigger, run.day, run.sent, run.no_address, run.failed) == (
        "schedule",
        today,
        3,
        1,
        0,
    )
    assert recipients(mail) == ["gail@trust.example", "jane@trust.example", "mia@trust.example"]
    assert "Queued the reminders for sue 2016/17 Q4." in turning.log.read_text()
