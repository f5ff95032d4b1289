"""Sending one queued e-mail, once: the task ``send_notification`` and its retries.

The task claims its row with a conditional UPDATE (queued to sending) that commits
before the message goes, so two workers, or a task the queue runs twice, cannot both
send it. A mail server that cannot be reached (an SMTP error or ``OSError``) puts the
row back in the queue after a wait that grows (``NOTIFICATION_RETRY_SECONDS`` times
1, 5, 15 then 60) until ``NOTIFICATION_ATTEMPTS`` tries are spent; then it is failed,
and the governance team sees it on the failed e-mails page and may send it again.

While it sends, the task beats (``planboard.lib.heartbeat``), so a slow mail server
(each step of a send is bounded by ``EMAIL_TIMEOUT``) is waited for as long as its
worker lives. A row left "sending" by a worker that died (killed between its claim and
its send) is never sent again on its own, as the message may have gone: the sweep
``expire_stuck_sends``, run by every worker, marks it failed, with its task in the
queue, once it has not been heard from for four beats, saying it may not have been sent.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import task

from planboard.lib.heartbeat import beating, database_now, fail_lost
from planboard.lib.services import service
from planboard.notifications.models import Notification, Status
from planboard.people.permissions import planboard_itself

logger = logging.getLogger(__name__)

# The waits between tries, as multiples of NOTIFICATION_RETRY_SECONDS.
BACK_OFF = (1, 5, 15, 60)
MAY_NOT_HAVE_BEEN_SENT = (
    "Its worker stopped while sending it, so it may not have been sent. "
    "Send it again if it has not arrived."
)


def queue(notification, when=None) -> None:
    """Enqueue the task that sends ``notification`` (at ``when``, if given), in the
    caller's transaction, and note the task on the row."""
    sender = send_notification if when is None else send_notification.using(run_after=when)
    result = sender.enqueue(notification.pk)
    notification.task_id = str(result.id)[:64]
    Notification.objects.filter(pk=notification.pk).update(task_id=notification.task_id)


def wait_before(attempt: int) -> datetime.timedelta:
    """How long to wait after the ``attempt``-th try (1, 2, ...) failed."""
    factor = BACK_OFF[min(attempt, len(BACK_OFF)) - 1]
    return datetime.timedelta(seconds=settings.NOTIFICATION_RETRY_SECONDS * factor)


@task()
def send_notification(notification_id: int) -> None:
    """The queued task: send the e-mail ``notification_id`` if it is still queued,
    beating while it sends."""
    with beating(lambda: record_heartbeat(notification_id)):
        deliver(notification_id)


@service
def record_heartbeat(notification_id: int) -> None:
    planboard_itself("note that the worker sending an e-mail is alive")
    Notification.objects.filter(pk=notification_id, status=Status.SENDING).update(
        heartbeat_at=Now()
    )


@service
def deliver(notification_id: int, *, connection=None) -> str | None:
    """Send the e-mail once if it is queued; return its new status (None: not ours)."""
    planboard_itself("send an e-mail planboard has queued")
    claimed = Notification.objects.filter(pk=notification_id, status=Status.QUEUED).update(
        status=Status.SENDING,
        claimed_at=Now(),
        heartbeat_at=Now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    row = Notification.objects.get(pk=notification_id)
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        to=[row.address],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(row.html, "text/html")
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Could not send e-mail %s to %s: %s", row.pk, row.address, error)
        return _try_later(row, error)
    except Exception as error:  # noqa: BLE001 - a message no server would take; no retry
        logger.exception("E-mail %s could not be made", row.pk)
        return _finish(row, Status.FAILED, error=_one_line(error))
    return _finish(row, Status.SENT)


def _finish(row, status, *, error="") -> str:
    now = timezone.now()
    Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=status,
        sent_at=now if status == Status.SENT else None,
        next_try_at=None,
        last_error=error,
    )
    return status


@transaction.atomic
def _try_later(row, error) -> str:
    if row.attempts >= settings.NOTIFICATION_ATTEMPTS:
        return _finish(row, Status.FAILED, error=_one_line(error))
    when = timezone.now() + wait_before(row.attempts)
    Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.QUEUED, next_try_at=when, last_error=_one_line(error)
    )
    queue(row, when)
    return Status.QUEUED


@service
@transaction.atomic
def expire_stuck_sends(now=None) -> int:
    """Mark failed the e-mails whose sending worker stopped beating, and their tasks in
    the queue with them, in one transaction; return how many."""
    planboard_itself("mark failed the e-mails whose sending never finished")
    now = now or database_now()
    return fail_lost(
        Notification.objects.filter(status=Status.SENDING),
        now,
        reason=MAY_NOT_HAVE_BEEN_SENT,
        cause=f"{__name__}.WorkerStopped",
        started="claimed_at",
        status=Status.FAILED,
        last_error=MAY_NOT_HAVE_BEEN_SENT,
    )


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:500]
