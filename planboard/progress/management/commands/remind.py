"""``planboard remind --strategy SLUG [--dry-run]``: e-mail today's reminders.

Reminders go out on their own on each strategy's schedule (``planboard scheduler``,
docs/reminders.md); this is the manual way. Running it more than once a day sends
nothing new. The work is in ``planboard.progress.reminders``.
"""

from django.core.management.base import BaseCommand, CommandError

from planboard.plans.commands import strategy_named
from planboard.progress.models import Reminder
from planboard.progress.reminders import MailServerError, send_reminders
from planboard.progress.services import CycleError


class Command(BaseCommand):
    help = (
        "E-mails each lead the actions still waiting for their update in the open period, "
        "and the governance team a digest; nobody gets the same reminder twice a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", metavar="SLUG", required=True)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Send and record nothing; print who would get what.",
        )

    def handle(self, *args, **options):
        strategy = strategy_named(options["strategy"])
        dry_run = options["dry_run"]
        try:
            outcome = send_reminders(strategy, dry_run=dry_run)
        except (CycleError, MailServerError) as err:
            raise CommandError(str(err)) from None
        out = self.stdout.write
        would = "would send" if dry_run else "sent"
        for message in outcome.sent:
            out(f"{would}: {describe(message)}")
        for message in outcome.skipped:
            out(f"skipped, already sent today: {describe(message)}")
        for message in outcome.no_address:
            out(self.style.WARNING(f"no e-mail address: {describe(message)}"))
        for message in outcome.failed:
            out(self.style.ERROR(f"not sent, the mail server refused it: {describe(message)}"))
        if outcome.unreachable:
            refs = ", ".join(action.ref for action in outcome.unreachable)
            out(f"no lead with an account to remind: {refs}")
        out(
            f"{strategy.slug} {outcome.period.label}: {would} {len(outcome.sent)}, "
            f"skipped {len(outcome.skipped)}, no e-mail address {len(outcome.no_address)}, "
            f"failed {len(outcome.failed)}"
            + (" (dry run: nothing sent or recorded)" if dry_run else "")
            + "."
        )
        if outcome.failed:
            raise CommandError(
                f"{len(outcome.failed)} reminder(s) could not be sent; "
                "they will be tried again on the next run."
            )


def describe(message) -> str:
    """One line about a message, for the command's report."""
    what = "lead reminder" if message.kind == Reminder.Kind.LEAD else "governance digest"
    count = len(message.action_refs)
    if message.kind == Reminder.Kind.LEAD:
        detail = f"{count} action{'s' if count != 1 else ''}: {', '.join(message.action_refs)}"
    else:
        detail = f"{count} missing"
    to = f"{message.name} <{message.address}>" if message.address else message.name
    return f"{what} to {to} ({detail})"
