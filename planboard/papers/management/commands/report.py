"""``planboard report --strategy SLUG [--period LABEL] --format html|pdf|docx|xlsx -o PATH``.

Writes the board paper for a period (or, without ``--period``, for the plan as it
stands now) to a file in one of the paper formats: the same content, made the same way,
as the files the web app's Papers page makes.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.papers.formats import FORMATS
from planboard.papers.generation import write_paper
from planboard.plans.commands import strategy_named
from planboard.progress.periods import canonical_label, period_slug


class Command(BaseCommand):
    help = "Writes a strategy's board paper for a reporting period to a file."

    def add_arguments(self, parser):
        parser.add_argument("--strategy", metavar="SLUG", required=True)
        parser.add_argument(
            "--period",
            metavar="LABEL",
            help='The period, like "2016/17 Q3" or "2016-17-q3" (default: the plan as it stands).',
        )
        parser.add_argument("--format", default="html", help=f"One of {', '.join(FORMATS)}.")
        parser.add_argument("-o", "--output", metavar="PATH", required=True)

    def handle(self, *args, **options):
        name = options["format"].strip().lower()
        if name not in FORMATS:
            raise CommandError(
                f'Unknown format "{options["format"]}": use one of {", ".join(FORMATS)}.'
            )
        strategy = strategy_named(options["strategy"])
        period = None
        if options["period"]:
            period = _find_period(strategy, options["period"])
        written = write_paper(strategy, period, name)
        path = Path(options["output"])
        _write(path, written.content)
        self.stdout.write(
            f"Wrote {path} ({FORMATS[name].label}, {written.actions} actions, "
            f"{len(written.content):,} bytes)."
        )


def _find_period(strategy, wanted):
    label = canonical_label(wanted)
    for period in strategy.periods.all():
        if period.label == label or period_slug(period.label) == wanted.strip().lower():
            return period
    raise CommandError(f'{strategy.slug} has no reporting period "{wanted}".')


def _write(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all (never a half-written file)."""
    try:
        handle, partial = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(partial, path)
    except OSError as error:
        Path(partial).unlink(missing_ok=True)
        raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
