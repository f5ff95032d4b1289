"""``planboard restore PATH [--yes] [--check] [--unverified]``: replace the whole database
with a backup, once it matches its manifest and passes its checks."""

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
        parser.add_argument(
            "--unverified",
            action="store_true",
            help=(
                "Accept a backup that has no manifest (one made by an older planboard). "
                "Only for a file you are sure of: nothing shows whether it was changed."
            ),
        )

    def handle(self, *args, **options):
        unverified = options["unverified"]
        try:
            if options["check"]:
                summary = check_backup(options["path"], unverified=unverified)
            else:
                if not options["yes"]:
                    self.confirm(options["path"], unverified)
                summary = restore(options["path"], unverified=unverified)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(json.dumps(summary))
        if summary["verified"] == "none":
            self.stderr.write(f"{summary['path']} has no manifest: it was not verified.")
        elif "not checked" in summary["verified"]:
            self.stderr.write(
                f"{summary['path']}'s manifest is signed, but BACKUP_SIGNING_KEY is not set "
                "here, so only its SHA-256 was checked."
            )
        if not options["check"] and summary["pending_migrations"]:
            self.stderr.write(
                f"The backup is {summary['pending_migrations']} migration(s) behind this "
                "planboard: run planboard migrate before serving."
            )

    def confirm(self, path, unverified):
        """Ask, after checking the backup; without a terminal to ask on, refuse."""
        if not _interactive():
            raise CommandError("Restore replaces everything in the database; add --yes to confirm.")
        summary = check_backup(path, unverified=unverified)
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
