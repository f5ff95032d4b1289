"""The browser tests' data, built once per test process and restored for each test.

The browser tests run against a live server, so their data is committed and the database
is emptied after each test; building it again for the next test (importing the seed
paper, then the quarterly cycle) took a good part of each test's time. A fixture wrapped
in ``snapshot`` builds its data the first time; SQLite's backup then copies the whole
database into memory, and later tests get that copy written back instead of the data
built again. Only where the database is known to hold exactly what the snapshot was made
from: for the first fixture of a chain, no row in any table but those Django fills
itself (migrations, content types, permissions); for the next, the snapshot of the
fixture before it, restored by this connection with nothing written since. Anywhere else
(another fixture wrote first, or on PostgreSQL) the data is built as before.

Each test gets its own copy of the objects the fixture returned.
"""

import copy
import functools
import inspect
import sqlite3
from dataclasses import dataclass

# Tables Django fills itself after emptying the database; a snapshot restores them too.
DJANGO_OWN = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}


@dataclass
class _Snapshot:
    parent: str | None
    database: sqlite3.Connection
    value: object


_snapshots: dict[str, _Snapshot] = {}
_current: tuple | None = None  # (connection, its total changes, snapshot name)


def _raw():
    from django.db import connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    connection.ensure_connection()
    return connection.connection


def _empty(raw) -> bool:
    tables = [
        name
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name not in DJANGO_OWN
    ]
    return not any(
        raw.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]  # noqa: S608
        for table in tables
    )


def _holds(raw, parent: str | None) -> bool:
    """Whether the database holds exactly what ``parent``'s snapshot was made from."""
    if parent is None:
        return _empty(raw)
    return _current == (raw, raw.total_changes, parent)


def _mark(raw, name):
    global _current
    _current = (raw, raw.total_changes, name)


def snapshot(parent: str | None):
    """Build the fixture's data once per process; restore it for later tests.

    ``parent`` names the snapshotted fixture this one is built on, or None for one built
    on an empty database.
    """

    def decorate(build):
        name = build.__name__

        @functools.wraps(build)
        def fixture(*args, **kwargs):
            raw = _raw()
            if raw is None or not _holds(raw, parent):
                return build(*args, **kwargs)
            taken = _snapshots.get(name)
            if taken and taken.parent == parent:
                taken.database.backup(raw)
                from django.contrib.contenttypes.models import ContentType

                ContentType.objects.clear_cache()
                _mark(raw, name)
                return copy.deepcopy(taken.value)
            value = build(*args, **kwargs)
            if _raw() is raw:
                database = sqlite3.connect(":memory:", check_same_thread=False)
                raw.backup(database)
                _snapshots[name] = _Snapshot(parent, database, copy.deepcopy(value))
                _mark(raw, name)
            return value

        fixture.__signature__ = inspect.signature(build)
        return fixture

    return decorate
