"""Backup and restore of a SQLite database with its online backup API.

The API reads one consistent snapshot while other connections keep writing (WAL), and
restores into the live file, so connections that stay open see the restored data
rather than a file swapped beneath them. The user's backup file is never written to:
it is checked, and restored from, as a private copy.
"""

import sqlite3
from pathlib import Path

from planboard.lib.backups_checks import BackupError, check_migrations, count_rows


def sqlite_connect(connection, name: str) -> sqlite3.Connection:
    timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 20)
    return sqlite3.connect(name, timeout=timeout, isolation_level=None)


def sqlite_backup(connection, temporary: Path, path: Path) -> tuple[dict, set]:
    """Copy the live database to ``temporary``, checked; its summary and migrations applied."""
    live_name = str(connection.settings_dict["NAME"])
    if live_name == ":memory:" or not Path(live_name).is_file():
        raise BackupError(f"The database file {live_name} does not exist.")
    if Path(live_name).resolve() == path.resolve():
        raise BackupError(f"{path} is the live database itself; choose another file.")
    source = sqlite_connect(connection, live_name)
    copy = sqlite3.connect(temporary, isolation_level=None)
    try:
        # One step: the whole copy is read in one snapshot, and writers are not blocked.
        source.backup(copy)
        # A file that stands alone: no -wal beside it to lose when it is moved.
        copy.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(copy, path)
        summary = sqlite_summary(copy)
        applied = _applied(copy)
    except sqlite3.Error as err:
        raise BackupError(f"The backup failed: {err}.") from None
    finally:
        copy.close()
        source.close()
    return summary, applied


def sqlite_checked_copy(copy_path: Path, path: Path) -> sqlite3.Connection:
    """Open ``copy_path``, a private copy of the backup ``path``, checked."""
    copy = sqlite3.connect(copy_path, isolation_level=None)
    try:
        copy.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(copy, path)
        applied = _applied(copy)
    except sqlite3.Error as err:
        copy.close()
        raise BackupError(f"{path} is not a usable SQLite backup: {err}.") from None
    except BackupError:
        copy.close()
        raise
    check_migrations(applied, path)
    return copy


def _applied(copy: sqlite3.Connection) -> set[tuple[str, str]]:
    return set(copy.execute("SELECT app, name FROM django_migrations").fetchall())


def _sqlite_check(copy: sqlite3.Connection, path: Path) -> None:
    result = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"{path} fails SQLite's integrity check: {result[0]}")
    found = copy.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
    ).fetchone()
    if not found:
        raise BackupError(f"{path} is not a planboard database: it has no django_migrations table.")


def sqlite_summary(copy: sqlite3.Connection) -> dict:
    tables = [
        row[0]
        for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    cursor = copy.cursor()
    return {"tables": len(tables), "rows": count_rows(cursor, tables, _sqlite_quote)}


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def match_page_size(copy: sqlite3.Connection, live: sqlite3.Connection) -> None:
    """SQLite cannot back up into a WAL database with another page size; make them agree."""
    wanted = live.execute("PRAGMA page_size").fetchone()[0]
    if copy.execute("PRAGMA page_size").fetchone()[0] != wanted:
        copy.execute(f"PRAGMA page_size = {int(wanted)}")
        copy.execute("VACUUM")
