"""``planboard import-table PATH --strategy SLUG [--title TITLE] [--theme N | --new-theme NAME]
[--sheet NAME] [--table N] [--map HEADER=field ...] [--dry-run]``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.imports.destination import (
    INTO_NEW_THEME,
    Destination,
    DestinationError,
    check_theme_name,
)
from planboard.imports.errors import PaperError
from planboard.imports.table_header import FIELDS, parse_mapping
from planboard.imports.table_import import import_table
from planboard.plans.models import Strategy


class Command(BaseCommand):
    help = (
        "Import a table of actions (CSV, Excel .xlsx or Word .docx) into a strategy, "
        "creating the strategy if it does not exist, all or nothing; re-importing updates "
        "the actions instead of duplicating them. Prints a JSON summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The .csv, .xlsx or .docx file.")
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument(
            "--title", help="Title of a new strategy and theme (default: the file's name)."
        )
        parser.add_argument(
            "--theme", type=int, help="Put every action in this theme (default: from the ref)."
        )
        parser.add_argument(
            "--new-theme",
            metavar="NAME",
            help="Put the rows whose ref names no theme into a new theme of this name "
            "(rows with a ref such as 2.3 keep their theme).",
        )
        parser.add_argument(
            "--sheet", help="The workbook sheet to read (default: the first with rows)."
        )
        parser.add_argument(
            "--table", type=int, help="The Word table to read, from 1 (default: the largest)."
        )
        parser.add_argument(
            "--map",
            nargs="+",
            action="extend",
            default=[],
            metavar="HEADER=field",
            help=f"Say what a column holds, e.g. Owner=lead; fields: {', '.join(FIELDS)}.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, **options):
        into = None
        if options["new_theme"] is not None:
            if options["theme"] is not None:
                raise CommandError("give --theme or --new-theme, not both")
            strategy = Strategy.objects.filter(slug=options["strategy"]).first()
            try:
                name = check_theme_name(strategy, options["new_theme"])
            except DestinationError as err:
                raise CommandError(f"--new-theme: {err}") from err
            into = Destination(INTO_NEW_THEME, name=name)
        try:
            summary = import_table(
                options["path"],
                strategy_slug=options["strategy"],
                title=options["title"],
                theme=options["theme"],
                sheet=options["sheet"],
                table=options["table"],
                mapping=parse_mapping(options["map"], source=options["path"].name),
                dry_run=options["dry_run"],
                into=into,
            )
        except PaperError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(json.dumps(summary))
