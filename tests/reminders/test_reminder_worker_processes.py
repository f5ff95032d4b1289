"""Reminder runs sent by real ``planboard worker`` processes to a real SMTP server on a
local port, beating every second: a worker killed with ``kill -9`` mid-run leaves its
run, and its task in the queue, failed by another worker's sweep within seconds, and the
period's page says so; a run to a slow mail server is kept alive by its beats."""

import os
import signal
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from planboard.progress.models import Reminder, ReminderRun
from planboard.progress.reminder_runs import WORKER_STOPPED, send_reminders_now
from tests.notifications.smtp_server import smtp_server
from tests.worker_process import worker

pytestmark = [pytest.mark.subprocess, pytest.mark.django_db(transaction=True)]

PERIOD = reverse("period", kwargs={"slug": "sue", "period": "2016-17-q4"})
# A mail server given a minute for each step of a send, and a worker beating every
# second: only the heartbeat tells a dead worker from a slow server.
BEATING = {"EMAIL_TIMEOUT": "60", "WORKER_HEARTBEAT_SECONDS": "1"}


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what} within {seconds} seconds"
        time.sleep(0.1)
    return found


def mail_env(server) -> dict:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        **BEATING,
    }


def status(run) -> str:
    return ReminderRun.objects.get(pk=run.pk).status


def test_a_worker_killed_mid_run_leaves_the_run_and_its_task_failed_and_the_page_says_so(
    cycle, tmp_path
):
    run = send_reminders_now(cycle.period, user=cycle.gail)

    with smtp_server(hang=True) as server:
        env = mail_env(server)
        with worker(tmp_path / "killed", env=env) as first:
            assert server.hanging.wait(60), first.log.read_text()
            assert status(run) == "running"
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
        # Another worker's sweep finds the run lost; nobody views the page meanwhile.
        with worker(tmp_path / "sweeping", env=env) as second:
            started = time.monotonic()
            wait_for(lambda: status(run) != "running", 60, "the run was not marked failed")
            assert time.monotonic() - started < 15
            assert second.poll() is None, second.log.read_text()

    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == ("failed", 1, WORKER_STOPPED)
    task = DBTaskResult.objects.get(id=run.task_id)
    assert (task.status, task.traceback) == ("FAILED", WORKER_STOPPED)
    # The reminder being sent when the worker died is not sent again the same day.
    assert Reminder.objects.count() == 1 and server.messages == []
    governance = Client()
    governance.force_login(cycle.gail)
    page = governance.get(PERIOD).content.decode()
    assert "Failed: sent 0" in page and WORKER_STOPPED in page


def test_a_run_to_a_slow_mail_server_is_kept_alive_by_its_beats(cycle, tmp_path):
    run = send_reminders_now(cycle.period, user=cycle.gail)

    # Three reminders, each answered three seconds after it is sent: the run takes over
    # twice the four beats after which a silent worker is taken for dead, and the
    # worker's own sweep runs every second meanwhile.
    with smtp_server(slow=3) as server, worker(tmp_path, env=mail_env(server)) as process:
        wait_for(lambda: status(run) == "running", 60, "the worker did not start the run")
        seen = set()
        deadline = time.monotonic() + 90
        while (now := status(run)) == "running":
            assert time.monotonic() < deadline, process.log.read_text()
            seen.add(now)
            time.sleep(0.2)
        seen.add(now)

    assert seen == {"running", "done"}
    run.refresh_from_db()
    assert (run.sent, run.failed, run.error) == (3, 0, "")
    assert (run.heartbeat_at - run.started_at).total_seconds() >= 4
    assert DBTaskResult.objects.get(id=run.task_id).status == "SUCCESSFUL"
    assert len(server.messages) == 3
