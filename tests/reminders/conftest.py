"""The plan of the ``planboard remind`` tests, and the helpers of the scheduled reminders."""

import datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command

from tests.cycle_commands.conftest import cycle, people, plan  # noqa: F401 - fixtures

LONDON = ZoneInfo("Europe/London")


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour`` in the trust's time zone."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def run_worker(monkeypatch):
    """``planboard worker --batch`` in this process, on this test's connection: the worker
    closes old connections between tasks, which would close the test's transaction."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
