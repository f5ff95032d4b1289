"""``planboard import-json PATH|-``: a strategy from a ``planboard export`` file."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.imports.exchange import ExchangeError
from planboard.imports.exchange_load import import_strategy


class Command(BaseCommand):
    help = (
        "Create a strategy from a file `planboard export` wrote, all or nothing, and print "
        "a JSON summary. The strategy's slug must not be in use."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file, or - for standard input.")

    def handle(self, *args, **options):
        name = options["path"]
        if name == "-":
            name, text = "standard input", sys.stdin.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: there is no such file.")
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as err:
                raise CommandError(f"{name}: the file cannot be read ({err.strerror}).") from None
            except UnicodeDecodeError:
                raise CommandError(f"{name}: the file is not UTF-8 text.") from None
            name = path.name
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise CommandError(
                f"{name}: not JSON ({err.msg} at line {err.lineno}, column {err.colno})."
            ) from None
        try:
            summary = import_strategy(data, source=name)
        except ExchangeError as err:
            raise CommandError(f"{name}: {err}") from None
        self.stdout.write(json.dumps(summary))
