"""``planboard backup PATH [--force]``: a checked copy of the whole database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.lib.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Copy the whole database to PATH, safely while planboard is serving, check the copy "
        "and print a JSON summary (size, SHA-256, rows of the main tables)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file to write.")
        parser.add_argument("--force", action="store_true", help="Replace PATH if it exists.")

    def handle(self, *args, **options):
        try:
            summary = backup(options["path"], force=options["force"])
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(json.dumps(summary))
