"""``planboard period open|close|list --strategy SLUG``: run the reporting periods.

Opening and closing go through the same services as the pages. With ``--user`` the
command acts as that account, which must be an active member of the Governance group,
and the change is attributed to it. Without, the change is recorded as made from the
command line, with no account, as ``planboard import-paper`` records an import: only
someone with a shell on the server can run it, and cron jobs need no account.
"""

import datetime
import json
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from planboard.people.permissions import is_governance
from planboard.plans.commands import strategy_named
from planboard.progress.completion import completion_rate
from planboard.progress.models import PeriodStatus, ReportingPeriod
from planboard.progress.periods import canonical_label
from planboard.progress.reminders import percent
from planboard.progress.services import CycleError, close_period, current_period, open_period
from planboard.progress.services.periods import CONFIRM_FIELD

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Command(BaseCommand):
    help = (
        "Opens or closes a strategy's reporting period (closing freezes a snapshot of the "
        "plan), or lists its periods with their completion rates."
    )

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["open", "close", "list"])
        parser.add_argument("--strategy", metavar="SLUG", required=True)
        parser.add_argument(
            "--label",
            help='The quarter, like "2017/18 Q1" (April-June 2017). Needed to open; '
            "closing closes the open period unless a label is given.",
        )
        parser.add_argument(
            "--updates-due",
            metavar="YYYY-MM-DD",
            help="When leads' updates are due (default: the period's last day). Open only.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="The governance account to act as (default: none, recorded as the command line).",
        )
        parser.add_argument(
            "--confirm-not-accepted",
            action="store_true",
            help="close: close even though some updates are waiting for review or returned "
            "to their leads; each is kept as not accepted at close.",
        )
        parser.add_argument("--json", action="store_true", help="list: print JSON.")

    def handle(self, *args, **options):
        strategy = strategy_named(options["strategy"])
        operation = options["operation"]
        if options["updates_due"] and operation != "open":
            raise CommandError("--updates-due is only for opening a period.")
        if operation == "list":
            if options["user"]:
                raise CommandError("--user is only for opening or closing a period.")
            self.list_periods(strategy, options["json"])
            return
        if options["json"]:
            raise CommandError("--json is only for listing periods; open and close print JSON.")
        if options["confirm_not_accepted"] and operation != "close":
            raise CommandError("--confirm-not-accepted is only for closing a period.")
        user = acting_user(options["user"])
        try:
            if operation == "open":
                period = self.open(strategy, options["label"], options["updates_due"], user)
            else:
                period = self.close(
                    strategy, options["label"], user, options["confirm_not_accepted"]
                )
        except CycleError as err:
            if err.field == CONFIRM_FIELD:
                raise CommandError(f"{err} Run again with --confirm-not-accepted.") from None
            raise CommandError(str(err)) from None
        except PermissionDenied as err:
            raise CommandError(str(err)) from None
        self.stdout.write(json.dumps(summary(period, user, acted=True)))

    def open(self, strategy, label, updates_due, user):
        if not label:
            raise CommandError('Say which period to open with --label, like "2017/18 Q1".')
        due = parse_date(updates_due, "--updates-due") if updates_due else None
        return open_period(strategy, label, user=user, updates_due=due)

    def close(self, strategy, label, user, confirmed):
        if label:
            period = find_period(strategy, label)
        else:
            period = current_period(strategy)
            if period is None:
                raise CommandError(f"{strategy.slug} has no open period to close.")
        return close_period(period, user=user, confirm_not_accepted=confirmed)

    def list_periods(self, strategy, as_json):
        periods = list(ReportingPeriod.objects.filter(strategy=strategy).order_by("starts_on"))
        rows = [summary(period) for period in periods]
        if as_json:
            self.stdout.write(json.dumps(rows))
            return
        noun = "period" if len(rows) == 1 else "periods"
        self.stdout.write(f"{strategy.title} ({strategy.slug}): {len(rows)} reporting {noun}")
        width = max((len(row["period"]) for row in rows), default=0)
        for row in rows:
            self.stdout.write(
                f"  {row['period']:<{width}}  {row['status']:<7}  "
                f"{row['starts_on']} to {row['ends_on']}  updates due {row['updates_due']}  "
                f"{completion_text(row.get('completion'))}"
            )


def acting_user(username):
    """The governance account named by --user, or None for "the command line"."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f'There is no user "{username}".')
    if not is_governance(user):
        raise CommandError(
            f'"{username}" is not an active member of the Governance group, so cannot '
            "open or close reporting periods."
        )
    return user


def find_period(strategy, label):
    wanted = canonical_label(label)
    period = ReportingPeriod.objects.filter(strategy=strategy, label=wanted).first()
    if period is None:
        raise CommandError(f'{strategy.slug} has no period "{wanted}".')
    return period


def parse_date(value, option):
    if ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass  # 2017-13-01: the right shape but no such day
    raise CommandError(f'{option} "{value}" is not a date written as YYYY-MM-DD, like 2017-06-30.')


def summary(period, user=None, *, acted=False) -> dict:
    """What the command prints about a period (as JSON, or as a line of the list)."""
    row = {
        "strategy": period.strategy.slug,
        "period": period.label,
        "status": period.status,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "updates_due": period.updates_due.isoformat(),
    }
    if period.is_closed:
        row["snapshots"] = period.snapshots.count()
        if acted:
            left = period.updates.filter(not_accepted_at_close=True).select_related("action__theme")
            if left:  # only when there were any, as the closed period's page shows them
                row["not_accepted_at_close"] = [
                    {"action": u.action.ref, "status": u.status}
                    for u in sorted(left, key=lambda u: (u.action.theme.number, u.action.number))
                ]
    if period.status != PeriodStatus.PLANNED:
        completion = completion_rate(period)
        row["completion"] = {
            "updated": completion.updated,
            "open": completion.open,
            "rate": completion.rate,
        }
    if acted:
        row["by"] = user.get_username() if user is not None else None
    return row


def completion_text(completion) -> str:
    if completion is None:
        return "not open yet"
    share = percent(completion["rate"])
    return f"{completion['updated']} of {completion['open']} updated ({share})"
