"""``planboard sync-care-opinion --strategy SLUG [--since YYYY-MM-DD]``: bring the
strategy's feedback up to date with its Care Opinion stories and print what was done
as JSON.

The scheduler queues the same sync on its own (``CARE_OPINION_SYNC_HOURS``); the work is
in ``planboard.feedback.sync``. When Care Opinion cannot be read, or a story cannot be
recorded, it stops with a one-line error and writes nothing.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from planboard.feedback.care_opinion import CareOpinionClient, CareOpinionError
from planboard.feedback.sync import sync_care_opinion
from planboard.lib.services import ServiceError
from planboard.plans.commands import strategy_named


class Command(BaseCommand):
    help = (
        "Reads the Care Opinion stories of the subscription (CARE_OPINION_API_KEY) and "
        "records them as the strategy's feedback, updating those recorded before; prints "
        "a JSON summary, with the health services' codes not mapped to a service."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", metavar="SLUG", required=True)
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="Only the stories submitted on or after this date.",
        )

    def handle(self, *args, **options):
        strategy = strategy_named(options["strategy"])
        since = None
        if options["since"] is not None:
            try:
                since = datetime.date.fromisoformat(options["since"].strip())
            except ValueError:
                raise CommandError(
                    "--since must be a date written YYYY-MM-DD, for example 2026-04-01, "
                    f'not "{options["since"][:30]}".'
                ) from None
        try:
            summary = sync_care_opinion(
                strategy, since=since, client=CareOpinionClient.from_settings()
            )
        except (CareOpinionError, ServiceError) as error:
            raise CommandError(" ".join(str(error).split())) from None
        self.stdout.write(json.dumps(summary.as_dict(), indent=2))
