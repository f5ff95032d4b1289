"""``planboard restore PATH [--yes] [--check]``: replace the whole database with a backup."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from planboard.lib.backups import BackupError, check_backup, restore


class Command(BaseCommand):
    help = (
        "Replace everything in the database with the backup at PATH, once the backup passes "
        "its checks, and print a JSON summary. With --check, only check the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A file written by planboard backup.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: replace the database's contents."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only check the backup; change nothing."
        )

    def handle(self, *args, **options):
        try:
            if options["check"]:
                summary = check_backup(options["path"])
            else:
                if not options["yes"]:
                    self.confirm(options["path"])
                summary = restore(options["path"])
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(json.dumps(summary))
        if not options["check"] and summary["pending_migrations"]:
            self.stderr.write(
                f"The backup is {summary['pending_migrations']} migration(s) behind this "
                "planboard: run planboard migrate before serving."
            )

    def confirm(self, path):
        """Ask, after checking the backup; without a terminal to ask on, refuse."""
        if not _interactive():
            raise CommandError("Restore replaces everything in the database; add --yes to confirm.")
        summary = check_backup(path)
        rows = ", ".join(f"{table} {count}" for table, count in summary["rows"].items())
        self.stdout.write(f"{summary['path']} is a sound backup ({rows}).")
        try:
            answer = input(
                f"Replace everything in the database {connection.settings_dict['NAME']} with it? "
                "Type yes to continue: "
            )
        except (EOFError, KeyboardInterrupt):
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False
