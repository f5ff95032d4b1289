"""Backup and restore of the whole database, safe while planboard is serving.

SQLite is copied with its online backup API, which reads one consistent snapshot while
other connections keep writing (WAL), and restored with the same API into the live file,
so connections that stay open see the restored data rather than a file swapped beneath
them. PostgreSQL uses pg_dump and pg_restore. A copy is checked before it is trusted: a
backup is written to a temporary file beside PATH and renamed into place only once it
passes its integrity check; a restore checks the file before touching the database, and
replaces the data in one transaction. Each backup has a manifest beside it (its size,
SHA-256 and, with a key, a signature): a restore copies the file, verifies the copy
against the manifest and restores that copy, so the file verified is the file restored.
Each database's way is in its own module (``backups_sqlite``, ``backups_postgres``); the
checks both share are in ``backups_checks``, the manifest in ``backups_manifest``.
"""

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from planboard.lib.backups_checks import BackupError, count_rows
from planboard.lib.backups_manifest import file_facts, manifest_path, verify, write_manifest
from planboard.lib.backups_postgres import pg_check, pg_dump, pg_restore
from planboard.lib.backups_sqlite import (
    match_page_size,
    sqlite_backup,
    sqlite_checked_copy,
    sqlite_connect,
    sqlite_summary,
)


def backup(path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Copy the whole database to ``path`` and return a summary of the copy."""
    path = Path(path).absolute()
    connection = connections[using]
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the backup a file name.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; add --force to replace it.")
    vendor = _vendor(connection)
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as err:
        raise BackupError(f"Cannot write in {path.parent}: {err.strerror}.") from None
    os.close(fd)
    temporary = Path(name)
    try:
        if vendor == "sqlite":
            summary, applied = sqlite_backup(connection, temporary, path)
        else:
            summary, applied = pg_dump(connection, temporary)
        facts = file_facts(temporary)
        _publish(temporary, path, force=force)
    finally:
        temporary.unlink(missing_ok=True)
    try:
        manifest = write_manifest(path, facts, engine=vendor, applied=applied)
    except BackupError:
        path.unlink(missing_ok=True)  # a backup without its manifest would be refused
        raise
    return {
        "path": str(path),
        "engine": vendor,
        **facts,
        **summary,
        "manifest": str(manifest_path(path)),
        "made": manifest["made"],
        "signed": "hmac_sha256" in manifest,
    }


def check_backup(path, *, unverified: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Check that ``path`` is a sound backup this planboard can restore; change nothing.

    ``unverified`` accepts a backup that has no manifest (one made by an older planboard);
    a manifest that is there is always checked.
    """
    connection = connections[using]
    path = _existing_file(path)
    vendor = _vendor(connection)
    with tempfile.TemporaryDirectory(prefix="planboard-restore-") as folder:
        private, facts = _verified_copy(path, Path(folder), unverified)
        if vendor == "sqlite":
            copy = sqlite_checked_copy(private, path)
            try:
                summary = sqlite_summary(copy)
            finally:
                copy.close()
        else:
            summary, _ = pg_check(connection, private, path)
    return {"path": str(path), "engine": vendor, **facts, **summary}


def restore(path, *, unverified: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Replace everything in the database with the backup at ``path``, once it passes its checks.

    The summary counts the rows now in the database and says how many migrations the
    backup lacks (``pending_migrations``: run ``planboard migrate`` when it is not 0).
    ``unverified`` is as for ``check_backup``.
    """
    connection = connections[using]
    path = _existing_file(path)
    vendor = _vendor(connection)
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction.")
    with tempfile.TemporaryDirectory(prefix="planboard-restore-") as folder:
        private, facts = _verified_copy(path, Path(folder), unverified)
        if vendor == "sqlite":
            copy = sqlite_checked_copy(private, path)
            try:
                live = sqlite_connect(connection, str(connection.settings_dict["NAME"]))
                match_page_size(copy, live)
                connections.close_all()
                copy.backup(live)  # one step, one transaction: all or nothing
                live.close()
            except sqlite3.Error as err:
                raise BackupError(f"The restore failed and changed nothing: {err}.") from None
            finally:
                copy.close()
        else:
            _, archived = pg_check(connection, private, path)
            pg_restore(connection, private, archived, path)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = count_rows(cursor, tables, connection.ops.quote_name)
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {
        "path": str(path),
        "engine": vendor,
        **facts,
        "tables": len(tables),
        "rows": rows,
        "pending_migrations": len(pending),
    }


# --- the file --------------------------------------------------------------------------


def _vendor(connection) -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    return connection.vendor


def _existing_file(path) -> Path:
    path = Path(path).absolute()
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    return path


def _verified_copy(path: Path, folder: Path, unverified: bool) -> tuple[Path, dict]:
    """A private copy of the backup, verified against its manifest, and what the summary
    says of it. Everything after reads the copy, which nobody else can change meanwhile."""
    private = folder / "backup"
    try:
        shutil.copyfile(path, private)
    except OSError as err:
        raise BackupError(f"Cannot copy {path} to check it: {err.strerror}.") from None
    facts = file_facts(private)
    return private, {**facts, **verify(path, facts, unverified=unverified)}


def _publish(temporary: Path, path: Path, *, force: bool) -> None:
    """Move the checked copy into place, flushed to disk; never over a file unless forced."""
    with open(temporary, "rb") as file:
        os.fsync(file.fileno())
    if force:
        os.replace(temporary, path)
    else:
        try:
            os.link(temporary, path)  # fails, rather than replaces, if PATH appeared meanwhile
        except FileExistsError:
            raise BackupError(f"{path} already exists; add --force to replace it.") from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise BackupError(f"{path} already exists; add --force to replace it.") from None
            os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
