"""E-mails sent by real ``planboard worker`` processes to a real SMTP server on a local
port: on SQLite and, under scripts/with-postgres, on PostgreSQL with two workers at
once. Every task is queued twice, as a task run again would be: each e-mail still
arrives once."""

import datetime
import os
import signal
import time

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from planboard.notifications.models import Notification
from planboard.notifications.sending import MAY_NOT_HAVE_BEEN_SENT, queue
from planboard.notifications.services import Recipient, notify
from planboard.progress.services import open_period, return_update, submit_update
from tests.notifications.smtp_server import smtp_server
from tests.worker_process import worker

pytestmark = [pytest.mark.subprocess, pytest.mark.django_db(transaction=True)]

SITE = "https://planboard.trust.example"
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
        "SITE_URL": SITE,
    }


def test_a_worker_sends_a_returned_update_over_smtp_with_both_parts(plan, tmp_path):
    period = open_period(
        plan.strategy, "2016/17 Q4", user=plan.gail, updates_due=datetime.date(2017, 3, 31)
    )
    update = submit_update(plan.actions.review, user=plan.mia, narrative="Booked.")
    return_update(update, user=plan.gail, comment="Say which rooms.", expected_version=1)
    assert period.is_open

    with smtp_server() as server, worker(tmp_path, env=mail_env(server)) as process:
        wait_for(
            lambda: not Notification.objects.exclude(status__in=("sent", "failed")).exists(),
            60,
            "the worker did not send the e-mails",
        )
        assert process.poll() is None, process.log.read_text()

    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    returned = [m for to, m in server.messages if "was returned" in m["Subject"]]
    assert [m["To"] for m in returned] == ["mia@trust.example"]
    (message,) = returned
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"{SITE}/strategies/sue/actions/1.1/update/"
    assert "Say which rooms." in text and link in text
    assert "Say which rooms." in html and f'href="{link}"' in html
    # The period's opening and the returned update: one e-mail each, to each lead.
    assert len(server.messages) == Notification.objects.count() == 3


def test_each_e_mail_arrives_once_though_its_task_is_queued_twice(plan, tmp_path):
    workers = 2 if connection.vendor == "postgresql" else 1
    rows = [
        row
        for number in range(30)
        for row in notify(
            "paper_ready",
            f"paper-ready:{number}",
            [Recipient(f"person{number}@trust.example", None, "Sam")],
            subject=f"File {number} is ready",
            link=f"{SITE}/",
            context={},
        )
    ]
    for row in rows:
        queue(row)  # a second task for the same e-mail

    with smtp_server() as server:
        with worker(tmp_path, worker_id="first", env=mail_env(server)):
            if workers == 2:
                with worker(tmp_path, worker_id="second", env=mail_env(server)):
                    wait_for(lambda: all_sent(rows), 120, "the workers did not send them")
            else:
                wait_for(lambda: all_sent(rows), 120, "the worker did not send them")
            time.sleep(1)  # any second send would arrive now

    subjects = sorted(str(m["Subject"]) for _, m in server.messages)
    assert subjects == sorted(f"File {n} is ready" for n in range(30))
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    if workers == 2:
        logs = [(tmp_path / f"worker-{name}.log").read_text() for name in ("first", "second")]
        assert all("state=RUNNING" in log for log in logs), "both workers should have run"


def all_sent(rows) -> bool:
    ids = [row.pk for row in rows]
    return Notification.objects.filter(pk__in=ids, status="sent").count() == len(ids)


def test_a_worker_killed_while_sending_leaves_the_e_mail_failed_and_not_sent_again(plan, tmp_path):
    (row,) = notify(
        "paper_ready",
        "paper-ready:1",
        [Recipient("sam@trust.example", None, "Sam")],
        subject="File 1 is ready",
        link=f"{SITE}/",
        context={},
    )
    with smtp_server(hang=True) as server:
        env = {**mail_env(server), **BEATING}
        with worker(tmp_path, worker_id="killed", env=env) as first:
            assert server.hanging.wait(60), first.log.read_text()
            assert Notification.objects.get(pk=row.pk).status == "sending"
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
        # Another worker, whose sweep runs every second and gives a silence four beats.
        with worker(tmp_path, worker_id="sweeping", env=env) as second:
            started = time.monotonic()
            wait_for(
                lambda: Notification.objects.get(pk=row.pk).status == "failed",
                60,
                "the sweep did not mark the e-mail failed",
            )
            assert time.monotonic() - started < 15
            time.sleep(2)
            assert second.poll() is None, second.log.read_text()

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, MAY_NOT_HAVE_BEEN_SENT)
    task = DBTaskResult.objects.get(id=row.task_id)
    assert (task.status, task.traceback) == ("FAILED", MAY_NOT_HAVE_BEEN_SENT)
    assert server.messages == []


def test_an_e_mail_to_a_slow_mail_server_is_kept_alive_by_its_beats_and_sent_once(plan, tmp_path):
    (row,) = notify(
        "paper_ready",
        "paper-ready:1",
        [Recipient("sam@trust.example", None, "Sam")],
        subject="File 1 is ready",
        link=f"{SITE}/",
        context={},
    )
    # The server takes eight seconds to answer the message: twice the four beats after
    # which a silent worker is taken for dead. The worker's sweep runs every second.
    with smtp_server(slow=8) as server, worker(tmp_path, env={**mail_env(server), **BEATING}):
        wait_for(
            lambda: Notification.objects.get(pk=row.pk).status == "sending",
            60,
            "the worker did not start sending",
        )
        seen = set()
        deadline = time.monotonic() + 60
        while (status := Notification.objects.get(pk=row.pk).status) == "sending":
            assert time.monotonic() < deadline, "the e-mail was not sent"
            seen.add(status)
            time.sleep(0.2)
        seen.add(status)

    assert seen == {"sending", "sent"}
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert (row.heartbeat_at - row.claimed_at).total_seconds() >= 4
    assert DBTaskResult.objects.get(id=row.task_id).status == "SUCCESSFUL"
    assert [str(m["Subject"]) for _, m in server.messages] == ["File 1 is ready"]
