"""``planboard worker`` started as a process of its own against this test's database.

For the tests of what only a real worker shows: a task claimed once, a worker killed
with its job, a page followed while another process makes the file. The test must have
committed its data (``transactional_db``, ``django_db(transaction=True)`` or a live
server) for the worker to see it.
"""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.core.management import call_command
from django.db import connection

PLANBOARD = Path(sys.executable).with_name("planboard")
# The variables a worker's settings would read from this process's environment.
LEFT_OUT = {"DATABASE_URL", "PLANBOARD_VAR_DIR", "WORKER_HEARTBEAT_SECONDS", "LOG_LEVEL"}


def database_url() -> str:
    """The address of the database this test runs on."""
    found = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{found['NAME']}"
    user = quote(found["USER"] or "")
    password = f":{quote(found['PASSWORD'])}" if found["PASSWORD"] else ""
    host = found["HOST"] or "localhost"
    port = f":{found['PORT']}" if found["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{found['NAME']}"


@contextmanager
def worker(folder: Path, *, worker_id: str | None = None, env: dict | None = None):
    """A ``planboard worker`` process on this test's database, its output kept in a log
    beside it (``process.log``); stopped, if still running, when the block ends."""
    worker_id = worker_id or uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    base = {name: value for name, value in os.environ.items() if name not in LEFT_OUT}
    base.update(
        {
            "DATABASE_URL": database_url(),
            "PLANBOARD_VAR_DIR": str(folder / "var"),
            "DEBUG": "false",
            "HTTPS": "false",
            **(env or {}),
        }
    )
    log = folder / f"worker-{worker_id}.log"
    argv = [str(PLANBOARD), "worker", "--no-startup-delay", "--interval", "0.1"]
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command with fixed arguments
            [*argv, "--worker-id", worker_id, "-v", "2"],
            env=base,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    process.log = log
    process.worker_id = worker_id
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run_worker(monkeypatch):
    """``planboard worker --batch`` in this process, on this test's connection (the
    worker closes old connections between tasks, which would end the test's
    transaction): every task ready now runs, then it stops."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
