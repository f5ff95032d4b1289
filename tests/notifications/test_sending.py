"""Each e-mail is sent once, even if its task runs twice; a mail server that cannot be
reached is tried again with back-off, and then the e-mail is failed for governance to
see and send again."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from planboard.lib.heartbeat import database_now
from planboard.notifications.models import Notification, TurnedOff
from planboard.notifications.sending import (
    MAY_NOT_HAVE_BEEN_SENT,
    deliver,
    expire_stuck_sends,
    record_heartbeat,
    send_notification,
)
from planboard.notifications.services import Recipient, notify, save_choices, send_again
from planboard.progress.services import accept_update, return_update, submit_update
from planboard.web.management.commands.worker import sweep
from tests.notifications.conftest import to
from tests.ops.served import free_port
from tests.worker_process import run_worker


def returned(cycle):
    update = submit_update(cycle.actions.review, user=cycle.mia, narrative="Booked.")
    return_update(update, user=cycle.gail, comment="Say more.", expected_version=1)
    return Notification.objects.get(kind="update_returned")


@pytest.fixture
def mail_server_down(settings):
    """The SMTP backend pointed at a local port nothing listens on: a real refusal."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 5
    settings.NOTIFICATION_RETRY_SECONDS = 60
    settings.NOTIFICATION_ATTEMPTS = 5


def test_a_task_run_twice_sends_its_e_mail_once(cycle, mailoutbox):
    row = returned(cycle)

    send_notification.call(row.pk)
    send_notification.call(row.pk)

    assert len(to(mailoutbox, "mia@trust.example")) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
    assert row.sent_at is not None


def test_two_claims_at_once_send_once(cycle):
    """The second claim, made while the first is sending, finds the row taken."""
    row = returned(cycle)
    second = []

    class ClaimingAgainWhileSending(mail.backends.locmem.EmailBackend):
        def send_messages(self, messages):
            second.append(deliver(row.pk))
            return super().send_messages(messages)

    assert deliver(row.pk, connection=ClaimingAgainWhileSending()) == "sent"
    assert second == [None]
    assert len(mail.outbox) == 1


def test_one_event_never_writes_two_e_mails_for_one_address(cycle):
    mia = Recipient("mia@trust.example", cycle.mia, "Mia")
    args = ("update_returned", "update-returned:999:2")
    kwargs = {"subject": "S", "link": "https://x.example/", "context": {}}

    first = notify(*args, [mia, Recipient("MIA@trust.example", None, "Mia")], **kwargs)
    again = notify(*args, [mia], **kwargs)

    assert len(first) == 1 and again == []
    assert Notification.objects.filter(event="update-returned:999:2").count() == 1


def test_an_e_mail_turned_off_is_recorded_and_not_sent(cycle, mailoutbox, monkeypatch):
    save_choices(cycle.mia, receive=["period_opened", "paper_ready"], user=cycle.mia)
    assert set(TurnedOff.objects.values_list("user__username", "kind")) == {
        ("mia", "update_accepted")
    }
    run_worker(monkeypatch)
    before = len(mailoutbox)
    update = submit_update(cycle.actions.mapping, user=cycle.jane, narrative="Mapped.")
    accept_update(update, user=cycle.gail, expected_version=1)
    run_worker(monkeypatch)

    assert [m.to for m in mailoutbox[before:]] == [["jane@trust.example"]]
    mia = Notification.objects.get(kind="update_accepted", address="mia@trust.example")
    assert (mia.status, mia.task_id) == ("turned_off", "")


def test_a_returned_update_is_sent_even_to_someone_who_turned_everything_off(
    cycle, mailoutbox, monkeypatch
):
    save_choices(cycle.mia, receive=[], user=cycle.mia)
    returned(cycle)
    run_worker(monkeypatch)

    assert len([m for m in to(mailoutbox, "mia@trust.example") if "returned" in m.subject]) == 1


def test_with_the_mail_server_down_the_page_answers_at_once_and_the_e_mail_waits(
    cycle, client, mail_server_down, monkeypatch
):
    update = submit_update(cycle.actions.review, user=cycle.mia, narrative="Booked.")
    client.force_login(cycle.gail)
    review = reverse("review", kwargs={"slug": "sue", "period": "2016-17-q4"})
    decision = {"update": update.pk, "version": 1, "decision": "return", "comment": "More."}

    # The page answers at once: the request never tries the mail server (it would wait
    # up to EMAIL_TIMEOUT for one that does not answer); the worker does.
    tried = []
    real_connect = smtplib.SMTP.connect

    def connect(smtp, *args, **kwargs):
        tried.append(args)
        return real_connect(smtp, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", connect)
    response = client.post(review, decision)
    monkeypatch.setattr(smtplib.SMTP, "connect", real_connect)

    assert response.status_code == 302
    assert tried == []
    row = Notification.objects.get(kind="update_returned")
    assert (row.status, row.attempts) == ("queued", 0)

    started = timezone.now()
    run_worker(monkeypatch)

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1)
    assert "refused" in row.last_error.lower(), row.last_error
    wait = row.next_try_at - started
    assert datetime.timedelta(seconds=59) < wait < datetime.timedelta(seconds=70)
    retry = DBTaskResult.objects.get(id=row.task_id)
    assert (retry.status, retry.run_after) == ("READY", row.next_try_at)


def test_the_tries_back_off_then_the_e_mail_fails_and_governance_sees_it(
    cycle, client, mail_server_down, monkeypatch
):
    row = returned(cycle)
    Notification.objects.exclude(pk=row.pk).delete()
    waits = []
    for _ in range(5):
        before = timezone.now()
        run_worker(monkeypatch)
        row.refresh_from_db()
        if row.status == "queued":
            waits.append(round((row.next_try_at - before).total_seconds() / 60))
            # The time of the next try comes: its task is ready now.
            DBTaskResult.objects.filter(id=row.task_id).update(run_after=timezone.now())

    assert waits == [1, 5, 15, 60]
    assert (row.status, row.attempts) == ("failed", 5)
    assert "refused" in row.last_error.lower()

    client.force_login(cycle.gail)
    home = client.get(reverse("home")).content.decode()
    assert "1 e-mail could not be sent." in home
    page = client.get(reverse("failed_emails")).content.decode()
    assert row.subject in page and row.last_error in page and "Send again" in page

    response = client.post(reverse("send_email_again", kwargs={"pk": row.pk}), follow=True)
    assert "is queued to send again" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 0)
    assert DBTaskResult.objects.get(id=row.task_id).status == "READY"


def test_other_errors_of_a_message_fail_it_without_retrying(cycle, monkeypatch):
    row = returned(cycle)

    class Broken(mail.backends.locmem.EmailBackend):
        def send_messages(self, messages):
            raise ValueError("Header values may not contain linefeed or carriage return")

    assert deliver(row.pk, connection=Broken()) == "failed"
    row.refresh_from_db()
    assert row.last_error.startswith("Header values")


def test_an_smtp_refusal_of_the_message_is_retried(cycle, settings):
    settings.NOTIFICATION_RETRY_SECONDS = 1
    row = returned(cycle)

    class Refusing(mail.backends.locmem.EmailBackend):
        def send_messages(self, messages):
            raise smtplib.SMTPRecipientsRefused({"mia@trust.example": (550, b"No such user")})

    assert deliver(row.pk, connection=Refusing()) == "queued"


def test_an_e_mail_left_sending_by_a_dead_worker_is_failed_by_the_sweep_not_resent(
    cycle, mailoutbox, settings
):
    settings.EMAIL_TIMEOUT = 60  # a slow mail server is given a minute for each step
    settings.WORKER_HEARTBEAT_SECONDS = 10
    row = returned(cycle)
    DBTaskResult.objects.filter(id=row.task_id).update(status="RUNNING")
    # A worker claimed it five minutes ago and still beats: the mail server is slow.
    now = timezone.now()
    Notification.objects.filter(pk=row.pk).update(
        status="sending",
        attempts=1,
        claimed_at=now - datetime.timedelta(minutes=5),
        heartbeat_at=now - datetime.timedelta(seconds=39),
    )
    assert expire_stuck_sends(now) == 0
    assert expire_stuck_sends(now + datetime.timedelta(seconds=2)) == 1
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("failed", MAY_NOT_HAVE_BEEN_SENT)
    task = DBTaskResult.objects.get(id=row.task_id)
    assert (task.status, task.traceback) == ("FAILED", MAY_NOT_HAVE_BEEN_SENT)

    # The worker's own sweep finds it too: killed 41 seconds ago, four beats unheard.
    Notification.objects.filter(pk=row.pk).update(
        status="sending", heartbeat_at=database_now() - datetime.timedelta(seconds=41)
    )
    assert sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("failed", MAY_NOT_HAVE_BEEN_SENT)
    send_notification.call(row.pk)
    assert not mailoutbox


def test_a_sending_e_mail_beats_and_a_beat_keeps_it_from_the_sweep(cycle, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 10
    row = returned(cycle)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Notification.objects.filter(pk=row.pk).update(
        status="sending", attempts=1, claimed_at=long_ago, heartbeat_at=long_ago
    )

    record_heartbeat(row.pk)

    assert expire_stuck_sends() == 0
    row.refresh_from_db()
    assert row.status == "sending" and row.heartbeat_at > long_ago


def test_a_claim_records_its_first_beat_and_a_claim_never_beaten_is_judged_by_it(
    cycle, mailoutbox, settings
):
    settings.WORKER_HEARTBEAT_SECONDS = 10
    row = returned(cycle)
    send_notification.call(row.pk)
    row.refresh_from_db()
    assert row.status == "sent" and row.heartbeat_at == row.claimed_at is not None

    # A row claimed before it had a heartbeat is judged by its claim.
    now = timezone.now()
    Notification.objects.filter(pk=row.pk).update(
        status="sending", claimed_at=now - datetime.timedelta(seconds=39), heartbeat_at=None
    )
    assert expire_stuck_sends(now) == 0
    assert expire_stuck_sends(now + datetime.timedelta(seconds=2)) == 1


def test_only_a_failed_e_mail_can_be_sent_again_and_only_by_governance(cycle, client):
    from django.core.exceptions import PermissionDenied

    from planboard.lib.services import ServiceError

    row = returned(cycle)
    with pytest.raises(ServiceError, match="has not failed"):
        send_again(row, user=cycle.gail)
    Notification.objects.filter(pk=row.pk).update(status="failed")
    with pytest.raises(PermissionDenied):
        send_again(row, user=cycle.mia)

    client.force_login(cycle.mia)
    assert client.get(reverse("failed_emails")).status_code == 403
    again = reverse("send_email_again", kwargs={"pk": row.pk})
    assert client.post(again).status_code == 403
    row.refresh_from_db()
    assert row.status == "failed"
