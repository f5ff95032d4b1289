"""``planboard import-engagement FILE --strategy SLUG [--add-services] [--dry-run]``:
record the activities of an engagement activity register (CSV or Excel) and print a
one-line summary.

A file with any bad row writes nothing: the error lists every bad row, one a line. The
work is in ``planboard.imports.engagement_activities``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.imports import safety
from planboard.imports.engagement_activities import import_activities
from planboard.imports.errors import PaperError
from planboard.lib.services import ServiceError
from planboard.plans.commands import strategy_named


class Command(BaseCommand):
    help = (
        "Records the engagement activities of a CSV or Excel file, one a row, as the "
        "strategy's: a row with a ref, or with the title and start date of an activity "
        "already kept, updates it. A file with a bad row writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", metavar="SLUG", required=True)
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--add-services",
            action="store_true",
            help="Add a directorate the file names and planboard does not know.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; write nothing."
        )

    def handle(self, *args, **options):
        strategy = strategy_named(options["strategy"])
        path = Path(options["file"])
        try:
            summary = import_activities(
                strategy,
                safety.read_limited(path),
                path.name,
                user=None,
                add_services=options["add_services"],
                dry_run=options["dry_run"],
            )
        except (PaperError, ServiceError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(summary.line())
