"""What every backup is checked and summarised by, whatever the database.

A copy is trusted only once it passes: it must hold a planboard database with no
migration this code lacks, and its summary counts the rows of a few key tables, so
a person sees at a glance that the copy holds the plans.
"""

from pathlib import Path

from django.apps import apps
from django.db.migrations.loader import MigrationLoader

# Counted in every summary: enough to see at a glance that a copy holds the plans.
KEY_MODELS = [
    ("plans", "Strategy"),
    ("plans", "Action"),
    ("progress", "Update"),
    ("papers", "GeneratedPaper"),
    ("papers", "PaperTemplate"),
    ("auth", "User"),
]


class BackupError(Exception):
    """Bad input or a failed check; the message is one line, fit for a command to print."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


def key_tables() -> list[str]:
    return [apps.get_model(app, model)._meta.db_table for app, model in KEY_MODELS]


def count_rows(cursor, tables, quote) -> dict:
    present = set(tables)
    counts = {}
    for table in key_tables():
        if table in present:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our table names
            counts[table] = cursor.fetchone()[0]
    return counts


def check_migrations(applied: set[tuple[str, str]], path: Path) -> None:
    """Refuse a backup with migrations this code does not have: it would not work here."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(applied - known)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"{path} comes from a newer planboard or another application: its migration "
            f"{app}.{name} is unknown here (upgrade planboard first)."
        )
