"""Backup and restore of a PostgreSQL database with pg_dump and pg_restore.

The dump runs in a snapshot shared with the connection that counts its rows, so the
summary matches the file; an archive is read back whole before it is trusted, and a
restore runs in one transaction. The client programs must be at least as new as the
server, so they are looked for rather than assumed, and the password goes to them in
libpq's environment, never on a command line.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient

from planboard.lib.backups_checks import BackupError, check_migrations, count_rows, key_tables

# "215; 1259 16390 TABLE public plans_action planboard" in ``pg_restore --list``.
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?:DATA )?\S+ (\S+)(?: |$)")
# "COPY public.django_migrations (id, app, name, applied) FROM stdin;" in a restore script.
_COPY = re.compile(rb'^COPY (?:"?\w+"?\.)?"?(\w+)"? \(([^)]*)\) FROM stdin;$')


def pg_dump(connection, temporary: Path) -> tuple[dict, set]:
    """pg_dump in a snapshot shared with a connection that counts rows, so the counts match;
    the summary and the migrations applied, as the snapshot has them."""
    program = _pg_program("pg_dump", connection)
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
            rows = count_rows(cursor, tables, connection.ops.quote_name)
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
            _pg_run(
                [
                    program,
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
    return {"tables": len(tables), "rows": rows}, applied


def pg_check(connection, file: Path, path: Path) -> tuple[dict, set[str]]:
    """Read the whole archive ``file``, a private copy of the backup ``path`` (reading
    fails on a damaged one), and check what it holds."""
    archived, rows, applied = _pg_archive(
        connection, file, f"{path} is not a usable PostgreSQL backup"
    )
    if "django_migrations" not in archived:
        raise BackupError(f"{path} is not a planboard database: it has no django_migrations table.")
    check_migrations(applied, path)
    return {"tables": len(archived), "rows": rows}, archived


def _pg_archive(connection, file: Path, failure: str):
    """The tables of a custom-format archive, rows of the key ones and the migrations applied."""
    program = _pg_program("pg_restore", connection)
    listing = _pg_run([program, "--list", str(file)], connection, failure)
    archived = set()
    for line in listing.decode(errors="replace").splitlines():
        match = _TOC_TABLE.match(line)
        if match:
            archived.add(match.group(1))
    # The archive as a script, to nowhere but this parser: every block is read and inflated.
    rows = {table: 0 for table in key_tables() if table in archived}
    applied = set()
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(  # noqa: S603 - a PostgreSQL program with our own arguments
            [program, "--file=-", str(file)],
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


def pg_restore(connection, file: Path, archived: set[str], path: Path) -> None:
    """Restore the archive ``file``, a checked private copy of the backup ``path``."""
    left_over = set(connection.introspection.django_table_names(only_existing=True)) - archived
    if left_over:
        # pg_restore --clean drops only what the archive holds; these would block it or linger.
        raise BackupError(
            f"{path} is older than this database (it lacks the table {sorted(left_over)[0]}); "
            "restore it into an empty database, then run planboard migrate."
        )
    program = _pg_program("pg_restore", connection)
    name = connection.settings_dict["NAME"]
    connections.close_all()
    _pg_run(
        [
            program,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={name}",
            str(file),
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
