"""``planboard import-paper PATH [--slug SLUG] [--replace] [--organisation ORG]``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.imports.errors import PaperError
from planboard.imports.services import import_paper


class Command(BaseCommand):
    help = (
        "Import a board paper given as pasted text (tab-separated plan tables) as a new "
        "strategy, all or nothing, and print a JSON summary."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            type=Path,
            help="The paper: a Word document (.docx), or its text copied into a UTF-8 text file.",
        )
        parser.add_argument("--slug", help="Slug for the strategy (default: from its title).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the strategy with this slug if it exists (its data is deleted).",
        )
        parser.add_argument(
            "--organisation", default="", help="The organisation, when the paper does not say."
        )

    def handle(self, *args, **options):
        try:
            summary = import_paper(
                options["path"],
                slug=options["slug"],
                replace=options["replace"],
                organisation=options["organisation"],
            )
        except PaperError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(json.dumps(summary))
