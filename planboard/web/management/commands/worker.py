"""``planboard worker``: run the background tasks queued in the database.

It is django-tasks-db's ``db_worker`` (every option of it works here, see ``--help``)
with one addition: a thread that sweeps stale jobs every ``WORKER_HEARTBEAT_SECONDS``,
marking failed a job whose worker died (``planboard.lib.heartbeat``). Each queued task
is claimed by one worker in a transaction (``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL, where several workers on several machines may run at once; an exclusive
transaction on SQLite, where one worker is enough). SIGINT or SIGTERM lets the task
running finish first; a second one stops it at once. See docs/deployment.md.
"""

import logging
import signal
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

logger = logging.getLogger(__name__)

# The services that mark failed the jobs (and e-mails) whose worker stopped.
SWEEPS = [
    "planboard.papers.generation.expire_stale_jobs",
    "planboard.imports.jobs.expire_stale_imports",
    "planboard.progress.reminder_runs.expire_stale_runs",
    "planboard.notifications.sending.expire_stuck_sends",
]


def sweep() -> int:
    """Run every sweep once; return how many jobs they marked failed."""
    return sum(import_string(path)() for path in SWEEPS)


def _sweep_forever(stop: threading.Event) -> None:
    while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
        try:
            marked = sweep()
        except DatabaseError:
            logger.warning("The sweep of stale jobs failed; it runs again soon", exc_info=True)
            marked = 0
        finally:
            close_old_connections()
        if marked:
            logger.warning("Marked failed %s job(s) whose worker stopped", marked)


class Command(DatabaseWorkerCommand):
    help = (
        "Runs planboard's background tasks (paper files, large imports, reminders, e-mails) "
        "as they are queued; several workers may run at once against PostgreSQL."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Reloading on code changes could stop a task half-way; ask for it with --reload.
        parser.set_defaults(reload=False)
        for action in parser._actions:
            if action.dest == "reload":
                action.help = "Reload the worker on code changes (default: off)."

    def handle(self, **options):
        stop = threading.Event()
        sweeper = threading.Thread(target=_sweep_forever, args=(stop,), daemon=True)
        sweeper.start()
        # The worker takes over SIGINT and SIGTERM; they are given back when it returns
        # (``--batch``), for a caller that goes on.
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            super().handle(**options)
        finally:
            stop.set()
            for number, handler in handlers.items():
                signal.signal(number, handler)
