"""Backup and restore of the whole database, safe while planboard is serving.

SQLite is copied with its online backup API, which reads one consistent snapshot while
other connections keep writing (WAL), and restored with the same API into the live file,
so connections that stay open see the restored data rather than a file swapped beneath
them. PostgreSQL uses pg_dump and pg_restore. A copy is checked before it is trusted: a
backup is written to a temporary file beside PATH and renamed into place only once it
passes its integrity check; a restore checks the file before touching the database, and
replaces the data in one transaction.
"""

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
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
            summary = _sqlite_backup(connection, temporary, path)
        else:
            summary = _pg_dump(connection, temporary)
        _publish(temporary, path, force=force)
    finally:
        temporary.unlink(missing_ok=True)
    return {"path": str(path), "engine": vendor, **_file_facts(path), **summary}


def check_backup(path, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Check that ``path`` is a sound backup this planboard can restore; change nothing."""
    connection = connections[using]
    path = _existing_file(path)
    vendor = _vendor(connection)
    with tempfile.TemporaryDirectory(prefix="planboard-restore-") as folder:
        if vendor == "sqlite":
            copy = _sqlite_checked_copy(path, Path(folder))
            try:
                summary = _sqlite_summary(copy)
            finally:
                copy.close()
        else:
            summary, _ = _pg_check(connection, path)
    return {"path": str(path), "engine": vendor, **_file_facts(path), **summary}


def restore(path, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Replace everything in the database with the backup at ``path``, once it passes its checks.

    The summary counts the rows now in the database and says how many migrations the
    backup lacks (``pending_migrations``: run ``planboard migrate`` when it is not 0).
    """
    connection = connections[using]
    path = _existing_file(path)
    vendor = _vendor(connection)
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction.")
    facts = _file_facts(path)
    with tempfile.TemporaryDirectory(prefix="planboard-restore-") as folder:
        if vendor == "sqlite":
            copy = _sqlite_checked_copy(path, Path(folder))
            try:
                live = _sqlite_connect(connection, str(connection.settings_dict["NAME"]))
                _match_page_size(copy, live)
                connections.close_all()
                copy.backup(live)  # one step, one transaction: all or nothing
                live.close()
            except sqlite3.Error as err:
                raise BackupError(f"The restore failed and changed nothing: {err}.") from None
            finally:
                copy.close()
        else:
            _, archived = _pg_check(connection, path)
            _pg_restore(connection, path, archived)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = _count_rows(cursor, tables, connection.ops.quote_name)
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


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_connect(connection, name: str) -> sqlite3.Connection:
    timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 20)
    return sqlite3.connect(name, timeout=timeout, isolation_level=None)


def _sqlite_backup(connection, temporary: Path, path: Path) -> dict:
    live_name = str(connection.settings_dict["NAME"])
    if live_name == ":memory:" or not Path(live_name).is_file():
        raise BackupError(f"The database file {live_name} does not exist.")
    if Path(live_name).resolve() == path.resolve():
        raise BackupError(f"{path} is the live database itself; choose another file.")
    source = _sqlite_connect(connection, live_name)
    copy = sqlite3.connect(temporary, isolation_level=None)
    try:
        # One step: the whole copy is read in one snapshot, and writers are not blocked.
        source.backup(copy)
        # A file that stands alone: no -wal beside it to lose when it is moved.
        copy.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(copy, path)
        summary = _sqlite_summary(copy)
    except sqlite3.Error as err:
        raise BackupError(f"The backup failed: {err}.") from None
    finally:
        copy.close()
        source.close()
    return summary


def _sqlite_checked_copy(path: Path, folder: Path) -> sqlite3.Connection:
    """Open a private copy of the backup, checked; the user's file is never written to."""
    copy_path = folder / "restore.sqlite3"
    try:
        shutil.copyfile(path, copy_path)
    except OSError as err:
        raise BackupError(f"Cannot copy {path} to check it: {err.strerror}.") from None
    copy = sqlite3.connect(copy_path, isolation_level=None)
    try:
        copy.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(copy, path)
        applied = set(copy.execute("SELECT app, name FROM django_migrations").fetchall())
    except sqlite3.Error as err:
        copy.close()
        raise BackupError(f"{path} is not a usable SQLite backup: {err}.") from None
    except BackupError:
        copy.close()
        raise
    _check_migrations(applied, path)
    return copy


def _sqlite_check(copy: sqlite3.Connection, path: Path) -> None:
    result = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"{path} fails SQLite's integrity check: {result[0]}")
    found = copy.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
    ).fetchone()
    if not found:
        raise BackupError(f"{path} is not a planboard database: it has no django_migrations table.")


def _sqlite_summary(copy: sqlite3.Connection) -> dict:
    tables = [
        row[0]
        for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    cursor = copy.cursor()
    return {"tables": len(tables), "rows": _count_rows(cursor, tables, _sqlite_quote)}


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _match_page_size(copy: sqlite3.Connection, live: sqlite3.Connection) -> None:
    """SQLite cannot back up into a WAL database with another page size; make them agree."""
    wanted = live.execute("PRAGMA page_size").fetchone()[0]
    if copy.execute("PRAGMA page_size").fetchone()[0] != wanted:
        copy.execute(f"PRAGMA page_size = {int(wanted)}")
        copy.execute("VACUUM")


# --- PostgreSQL ------------------------------------------------------------------------

# "215; 1259 16390 TABLE public plans_action planboard" in ``pg_restore --list``.
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?:DATA )?\S+ (\S+)(?: |$)")
# "COPY public.django_migrations (id, app, name, applied) FROM stdin;" in a restore script.
_COPY = re.compile(rb'^COPY (?:"?\w+"?\.)?"?(\w+)"? \(([^)]*)\) FROM stdin;$')


def _pg_dump(connection, temporary: Path) -> dict:
    """pg_dump in a snapshot shared with a connection that counts rows, so the counts match."""
    pg_dump = _pg_program("pg_dump", connection)
    with connection.wrap_database_errors:
        session = connection.Database.connect(**connection.get_connection_params())
    try:
        session.autocommit = True
        with session.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            rows = _count_rows(cursor, tables, connection.ops.quote_name)
            _pg_run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={temporary}",
                ],
                connection,
                "The backup failed",
            )
            cursor.execute("ROLLBACK")
    finally:
        session.close()
    _pg_archive(connection, temporary, "The backup failed its check")  # read back whole
    return {"tables": len(tables), "rows": rows}


def _pg_check(connection, path: Path) -> tuple[dict, set[str]]:
    """Read the whole archive (which fails on a damaged one) and check what it holds."""
    archived, rows, applied = _pg_archive(
        connection, path, f"{path} is not a usable PostgreSQL backup"
    )
    if "django_migrations" not in archived:
        raise BackupError(f"{path} is not a planboard database: it has no django_migrations table.")
    _check_migrations(applied, path)
    return {"tables": len(archived), "rows": rows}, archived


def _pg_archive(connection, file: Path, failure: str):
    """The tables of a custom-format archive, rows of the key ones and the migrations applied."""
    pg_restore = _pg_program("pg_restore", connection)
    listing = _pg_run([pg_restore, "--list", str(file)], connection, failure)
    archived = set()
    for line in listing.decode(errors="replace").splitlines():
        match = _TOC_TABLE.match(line)
        if match:
            archived.add(match.group(1))
    # The archive as a script, to nowhere but this parser: every block is read and inflated.
    rows = {table: 0 for table in _key_tables() if table in archived}
    applied = set()
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(  # noqa: S603 - a PostgreSQL program with our own arguments
            [pg_restore, "--file=-", str(file)],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=_pg_env(connection),
        ) as process,
    ):
        table, columns = None, []
        for line in process.stdout:
            line = line.rstrip(b"\n")
            if table is None:
                match = _COPY.match(line)
                if match:
                    table = match.group(1).decode()
                    columns = [c.strip().strip('"') for c in match.group(2).decode().split(",")]
            elif line == rb"\.":
                table = None
            elif table in rows:
                rows[table] += 1
            elif table == "django_migrations":
                values = dict(zip(columns, line.decode(errors="replace").split("\t"), strict=False))
                applied.add((values.get("app"), values.get("name")))
        if process.wait() != 0:
            errors.seek(0)
            detail = _first_error(errors.read().decode(errors="replace"))
            raise BackupError(f"{failure}: {detail}")
    return archived, rows, applied


def _pg_restore(connection, path: Path, archived: set[str]) -> None:
    left_over = set(connection.introspection.django_table_names(only_existing=True)) - archived
    if left_over:
        # pg_restore --clean drops only what the archive holds; these would block it or linger.
        raise BackupError(
            f"{path} is older than this database (it lacks the table {sorted(left_over)[0]}); "
            "restore it into an empty database, then run planboard migrate."
        )
    pg_restore = _pg_program("pg_restore", connection)
    name = connection.settings_dict["NAME"]
    connections.close_all()
    _pg_run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={name}",
            str(path),
        ],
        connection,
        "The restore failed and changed nothing",
    )


def _pg_env(connection) -> dict:
    """libpq's variables for this database: the password never goes on a command line."""
    settings = connection.settings_dict
    _, extra = DatabaseClient.settings_to_cmd_args_env(settings, [])
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings.get(key):
            env[variable] = str(settings[key])
    env.update(extra or {})
    return env


def _pg_run(args: list, connection, failure: str) -> bytes:
    try:
        done = subprocess.run(  # noqa: S603 - a PostgreSQL program with our own arguments
            [str(arg) for arg in args], env=_pg_env(connection), capture_output=True, check=False
        )
    except OSError as err:
        raise BackupError(f"{failure}: cannot run {args[0]}: {err.strerror}.") from None
    if done.returncode != 0:
        raise BackupError(f"{failure}: {_first_error(done.stderr.decode(errors='replace'))}")
    return done.stdout


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    chosen = next((line for line in lines if "error:" in line), lines[0] if lines else "")
    return re.sub(r"^\S+: error: ", "", chosen) or "no message"


def _pg_program(name: str, connection) -> str:
    """The first ``name`` at least as new as the server: PG_BIN_DIR, else PATH, else Debian's."""
    server = connection.pg_version // 10000
    folder = os.environ.get("PG_BIN_DIR", "").strip()
    if folder:
        candidates = [Path(folder) / name]
    else:
        candidates = [Path(p) for p in [shutil.which(name)] if p]
        try:
            pg_config = shutil.which("pg_config")
            bindir = (
                pg_config
                and subprocess.run(  # noqa: S603 - fixed arguments
                    [pg_config, "--bindir"], capture_output=True, text=True, check=False
                ).stdout.strip()
            )
        except OSError:
            bindir = ""
        debian = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
            reverse=True,
        )
        folders = [Path(bindir)] if bindir else []
        folders += [*debian, Path("/usr/local/bin"), Path("/usr/bin")]
        candidates += [f / name for f in folders]
    found = []
    for program in dict.fromkeys(candidates):
        if program.is_file() and os.access(program, os.X_OK):
            version = _pg_version(program)
            if version >= server:
                return str(program)
            found.append(f"{name} {version} ({program})")
    install = (
        f"install the PostgreSQL {server} client programs (Debian and Ubuntu: apt-get install "
        f"postgresql-client-{server}) or set PG_BIN_DIR to the folder that holds them"
    )
    if found:
        raise BackupError(f"{found[0]} is older than the PostgreSQL {server} server; {install}.")
    where = f"in PG_BIN_DIR ({folder})" if folder else "on PATH or in /usr/lib/postgresql"
    raise BackupError(f"{name} was not found {where}; {install}.")


def _pg_version(program: Path) -> int:
    try:
        out = subprocess.run(  # noqa: S603 - a PostgreSQL program asked for its version
            [str(program), "--version"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return 0
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else 0


# --- shared ----------------------------------------------------------------------------


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


def _file_facts(path: Path) -> dict:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:
        raise BackupError(f"Cannot read {path}: {err.strerror}.") from None
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _key_tables() -> list[str]:
    return [apps.get_model(app, model)._meta.db_table for app, model in KEY_MODELS]


def _count_rows(cursor, tables, quote) -> dict:
    present = set(tables)
    counts = {}
    for table in _key_tables():
        if table in present:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our table names
            counts[table] = cursor.fetchone()[0]
    return counts


def _check_migrations(applied: set[tuple[str, str]], path: Path) -> None:
    """Refuse a backup with migrations this code does not have: it would not work here."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(applied - known)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"{path} comes from a newer planboard or another application: its migration "
            f"{app}.{name} is unknown here (upgrade planboard first)."
        )
