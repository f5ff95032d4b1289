"""``planboard import-fft --strategy SLUG FILE [--dry-run]``: record the Friends and
Family Test's monthly counts of a CSV or Excel file (NHS England's published or raw
files, or a trust's own export) and print a one-line summary.

A file with any bad row writes nothing: the error lists every bad row, one a line. The
work is in ``planboard.imports.feedback_fft``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.imports import safety
from planboard.imports.errors import PaperError
from planboard.imports.feedback_fft import import_fft
from planboard.lib.services import ServiceError
from planboard.plans.commands import strategy_named


class Command(BaseCommand):
    help = (
        "Records the Friends and Family Test counts of a CSV or Excel file as the "
        "strategy's: a second import of a month updates it. A file with a bad row "
        "writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", metavar="SLUG", required=True)
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; write nothing."
        )

    def handle(self, *args, **options):
        strategy = strategy_named(options["strategy"])
        path = Path(options["file"])
        try:
            data = safety.read_limited(path)
            summary = import_fft(strategy, data, path.name, user=None, dry_run=options["dry_run"])
        except (PaperError, ServiceError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(summary.line())
