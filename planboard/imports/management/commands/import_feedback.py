"""``planboard import-feedback --strategy SLUG FILE [--source SOURCE] [--dry-run]``:
record the feedback items of a CSV or Excel file (Friends and Family Test comments,
survey answers, complaints ...) and print a one-line summary.

A file with any bad row writes nothing: the error lists every bad row, one a line. The
work is in ``planboard.imports.feedback_items``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.feedback.models import Source
from planboard.imports import safety
from planboard.imports.errors import PaperError
from planboard.imports.feedback_items import import_feedback
from planboard.lib.services import ServiceError
from planboard.plans.commands import strategy_named


class Command(BaseCommand):
    help = (
        "Records the feedback items of a CSV or Excel file, one a row, as the strategy's: "
        "a second import updates them. A file with a bad row writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", metavar="SLUG", required=True)
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--source",
            choices=Source.values,
            default=Source.FFT_COMMENT,
            help="Where the feedback came from (default: fft_comment).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; write nothing."
        )

    def handle(self, *args, **options):
        strategy = strategy_named(options["strategy"])
        path = Path(options["file"])
        try:
            summary = import_feedback(
                strategy,
                safety.read_limited(path),
                path.name,
                user=None,
                source=options["source"],
                dry_run=options["dry_run"],
            )
        except (PaperError, ServiceError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(summary.line())
