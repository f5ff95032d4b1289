"""The test database, migrated once and copied for each test process.

Migrating a new database runs every migration of every app (about 5 s of CPU), and each
pytest-xdist process needs a database of its own. Instead, the first process to need one
migrates a template database, and every process, that one included, starts from a copy
of it: SQLite's backup of the file, or PostgreSQL's ``CREATE DATABASE ... TEMPLATE``.
The template is named by a digest of every migration file of every installed app, the
Django version and the database engine, so a changed migration makes a new template; on
SQLite it is kept in the var folder for the next run (the browser tests' run after the
others, for example), and older ones are removed. A lock file makes the other processes
wait while one migrates.

Each process's database is still the product of running every migration, as Django's
test runner makes it; only the work is not repeated.
"""

import fcntl
import hashlib
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import django

SQLITE = "django.db.backends.sqlite3"


def migrations_digest(connection) -> str:
    """A digest of everything that decides what migrating makes."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(f"{django.__version__} {connection.vendor}".encode())
    for key in sorted(loader.disk_migrations):
        module = __import__(loader.disk_migrations[key].__module__, fromlist=["_"])
        digest.update(repr(key).encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate_into(connection, name: str) -> None:
    """Make database ``name`` by migrating, as Django's test runner does, and let it go."""
    settings_dict = connection.settings_dict
    original_name, original_test = settings_dict["NAME"], dict(settings_dict["TEST"])
    settings_dict["TEST"] = {**original_test, "NAME": name}
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        if settings_dict["ENGINE"] == SQLITE:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
        settings_dict["NAME"], settings_dict["TEST"] = original_name, original_test
        from django.conf import settings

        settings.DATABASES[connection.alias]["NAME"] = original_name


def _sqlite_copy(source: str, target: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(target + suffix).unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _sqlite_template(connection, var_dir: Path, digest: str) -> str:
    template = var_dir / f"test-template-{digest}.sqlite3"
    if not template.exists():
        for old in var_dir.glob("test-template-*.sqlite3*"):
            old.unlink(missing_ok=True)
        partial = var_dir / f"test-template-{digest}-{os.getpid()}.partial"
        _migrate_into(connection, str(partial))
        _sqlite_copy(str(partial), str(template) + ".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        os.replace(str(template) + ".partial", template)
    return str(template)


def _postgres_clone(connection, template: str, target: str) -> None:
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone() is None:
            raise LookupError(template)
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} WITH TEMPLATE {quote(template)}")


def create_from_template(connection, var_dir: Path) -> str:
    """Give ``connection`` its test database, a copy of the migrated template.

    Returns the database's name before the test database replaced it, for
    ``destroy_test_db``.
    """
    from django.conf import settings

    original_name = connection.settings_dict["NAME"]
    target = connection.creation._get_test_db_name()
    digest = migrations_digest(connection)
    with _locked(var_dir / "test-template.lock"):
        if connection.settings_dict["ENGINE"] == SQLITE:
            _sqlite_copy(_sqlite_template(connection, var_dir, digest), target)
        else:
            template = f"test_template_{digest}"
            try:
                _postgres_clone(connection, template, target)
            except LookupError:
                _migrate_into(connection, template)
                _postgres_clone(connection, template, target)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = target
    connection.settings_dict["NAME"] = target
    connection.ensure_connection()
    return original_name
