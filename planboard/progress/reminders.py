"""Reminders: chase the leads whose updates are outstanding, and tell governance where things stand.

``send_reminders`` is called by the runs ``planboard scheduler`` queues on each
strategy's schedule (``planboard.progress.reminder_runs``), by "Send reminders now" on
a period's page, and by ``planboard remind``. For the strategy's open period it sends

- each lead one message listing every open action they lead that has no update yet
  (an update returned to them counts as outstanding), with a link to "My actions";
- each governance user a digest: updates received, missing and overdue actions, and the
  completion rate overall and by lead role.

Nobody gets the same kind of reminder twice in one day, even when two servers run the
command at once: a Reminder row (unique per strategy, recipient, kind and day) is
claimed before the message goes, and given back if sending fails.
"""

import logging
import smtplib
from dataclasses import dataclass, field

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from planboard.lib import clock
from planboard.lib.letters import long_date, shorten
from planboard.lib.services import service
from planboard.lib.site import site_link
from planboard.lib.users import display_name
from planboard.people.permissions import COMMAND_LINE, require_governance
from planboard.people.recipients import address_of, addresses, governance_users, leads_by_user
from planboard.plans.models import Action
from planboard.progress.completion import completion_rate
from planboard.progress.models import Reminder, Update, UpdateStatus
from planboard.progress.services import CycleError, current_period

logger = logging.getLogger(__name__)


class MailServerError(Exception):
    """The mail server could not be reached; its message is one sentence for the user."""


@dataclass
class Message:
    """One reminder to one person, ready to send (or to describe, in a dry run)."""

    kind: str
    user: object
    address: str
    subject: str
    body: str
    action_refs: list[str] = field(default_factory=list)
    already_sent: bool = False

    @property
    def name(self) -> str:
        return display_name(self.user)


@dataclass
class Outcome:
    """What ``send_reminders`` did: each list holds Messages."""

    period: object
    sent: list[Message] = field(default_factory=list)
    skipped: list[Message] = field(default_factory=list)
    no_address: list[Message] = field(default_factory=list)
    failed: list[Message] = field(default_factory=list)
    unreachable: list[Action] = field(default_factory=list)


# --- who is chased for what -------------------------------------------------


def outstanding_actions(period) -> list[Action]:
    """Open actions of the period's strategy with no update received in the period."""
    received = Update.objects.filter(period=period).received().values("action_id")
    return list(
        Action.objects.for_strategy(period.strategy)
        .in_plan()
        .open()
        .exclude(pk__in=received)
        .with_plan_relations()
        .in_plan_order()
    )


# --- what the messages say --------------------------------------------------


def _action_lines(actions, updates):
    return [
        {
            "ref": action.ref,
            "text": shorten(action.text),
            "target": action.target_display or "no target date",
            "leads": ", ".join(sorted(role.short_name for role in action.leads.all())),
            "returned": updates.get(action.pk),
        }
        for action in actions
    ]


def _returned_comments(period) -> dict:
    returned = Update.objects.filter(period=period, status=UpdateStatus.RETURNED)
    return {update.action_id: update.review_comment for update in returned}


def lead_message(period, user, actions, *, today, returned=None) -> tuple[str, str]:
    """Subject and body of one lead's reminder listing ``actions``."""
    count = len(actions)
    noun = "action" if count == 1 else "actions"
    subject = f"{period.label}: {count} {noun} waiting for your update ({period.strategy.title})"
    body = render_to_string(
        "progress/email/lead_reminder.txt",
        {
            "name": user.first_name or display_name(user),
            "period": period,
            "strategy": period.strategy,
            "due": long_date(period.updates_due),
            "overdue": today > period.updates_due,
            "actions": _action_lines(actions, returned or {}),
            "my_actions": site_link("my_actions"),
        },
    )
    return subject, body


def digest_message(period, *, today) -> tuple[str, str, list[str]]:
    """Subject, body and the refs it lists as missing, of the governance digest."""
    strategy = period.strategy
    received = list(
        Update.objects.filter(period=period)
        .received()
        .select_related("action__theme", "proposed_rag", "submitted_by")
        .order_by("action__theme__number", "action__number")
    )
    missing = outstanding_actions(period)
    overdue = (
        Action.objects.for_strategy(strategy)
        .in_plan()
        .overdue(today)
        .with_plan_relations()
        .in_plan_order()
    )
    completion = completion_rate(period)
    subject = (
        f"{period.label} updates for {strategy.title}: "
        f"{completion.updated} of {completion.open} received"
    )
    where = {"slug": strategy.slug, "period": period.slug}
    body = render_to_string(
        "progress/email/governance_digest.txt",
        {
            "period": period,
            "strategy": strategy,
            "today": long_date(today),
            "due": long_date(period.updates_due),
            "completion": completion,
            "rate": percent(completion.rate),
            "by_role": [
                {
                    "role": row.role,
                    "updated": row.updated,
                    "open": row.open,
                    "rate": percent(row.rate),
                }
                for row in completion.by_role
            ],
            "received": [
                {
                    "ref": update.action.ref,
                    "status": update.get_status_display(),
                    "by": display_name(update.submitted_by),
                    "on_behalf": update.on_behalf,
                    "rag": update.proposed_rag.label if update.proposed_rag else "",
                }
                for update in received
            ],
            "missing": _action_lines(missing, _returned_comments(period)),
            "overdue": _action_lines(overdue, {}),
            "review_link": site_link("review", **where),
            "period_link": site_link("period", **where),
        },
    )
    return subject, body, [action.ref for action in missing]


def percent(rate) -> str:
    """A completion rate as "42%"; rates are fractions (0.42) or None when nothing is open."""
    if rate is None:
        return "n/a"
    return f"{round(float(rate) * 100)}%"


# --- planning and sending ---------------------------------------------------


def plan_reminders(strategy, *, today=None) -> tuple[object, list[Message], list[Action]]:
    """The open period, every reminder due today (marked if already sent) and the
    outstanding actions no lead can be reminded about. Raises CycleError with no open period.
    """
    today = today or clock.today()
    period = current_period(strategy)
    if period is None:
        raise CycleError(
            f"{strategy.slug} has no open reporting period to remind anyone about; open one with "
            f'`planboard period open --strategy {strategy.slug} --label "..."`.'
        )
    period.strategy = strategy
    sent_today = set(
        Reminder.objects.filter(strategy=strategy, sent_on=today).values_list(
            "recipient_id", "kind"
        )
    )
    in_key = addresses(strategy)

    def message(kind, user, subject, body, refs):
        address = address_of(user, in_key)
        return Message(kind, user, address, subject, body, refs, (user.pk, kind) in sent_today)

    returned = _returned_comments(period)
    by_user, unreachable = leads_by_user(strategy, outstanding_actions(period))
    messages = [
        message(
            Reminder.Kind.LEAD,
            user,
            *lead_message(period, user, actions, today=today, returned=returned),
            [action.ref for action in actions],
        )
        for user, actions in by_user.items()
    ]
    governors = list(governance_users().order_by("last_name", "first_name", "username"))
    if governors:
        subject, body, missing = digest_message(period, today=today)
        messages += [
            message(Reminder.Kind.DIGEST, user, subject, body, missing) for user in governors
        ]
    return period, messages, unreachable


@service
def send_reminders(
    strategy, *, today=None, dry_run=False, connection=None, user=COMMAND_LINE
) -> Outcome:
    """Send today's reminders for the strategy's open period; see the module docstring.

    With ``dry_run`` nothing is sent or recorded: the Outcome says what would be.
    ``user`` None is the command line (``planboard remind``) or a queued run.
    """
    require_governance(user, "send reminders", command_line_ok=True)
    today = today or clock.today()
    period, messages, unreachable = plan_reminders(strategy, today=today)
    outcome = Outcome(period=period, unreachable=unreachable)
    to_send = []
    for message in messages:
        if message.already_sent:
            outcome.skipped.append(message)
        elif not message.address:
            outcome.no_address.append(message)
        else:
            to_send.append(message)
    if dry_run:
        outcome.sent = to_send
        return outcome
    if not to_send:
        return outcome
    connection = connection or get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as err:
        raise MailServerError(
            f"Could not reach the mail server ({err}); nothing was sent. Check the EMAIL_ settings."
        ) from None
    try:
        for message in to_send:
            reminder = _claim(period, message, today)
            if reminder is None:  # another run sent it a moment ago
                outcome.skipped.append(message)
            elif _deliver(message, connection):
                outcome.sent.append(message)
            else:
                reminder.delete()  # not sent, so the next run may try again
                outcome.failed.append(message)
    finally:
        connection.close()
    return outcome


def _claim(period, message, today):
    """Record the reminder before sending it, so two runs at once cannot both send it."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                strategy=period.strategy,
                period=period,
                recipient=message.user,
                kind=message.kind,
                sent_on=today,
                sent_at=clock.now(),
                action_refs=message.action_refs,
            )
    except IntegrityError:
        return None


def _deliver(message, connection) -> bool:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.address],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        email.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as err:
        logger.warning("Could not send a reminder to %s: %s", message.address, err)
        return False
    return True
