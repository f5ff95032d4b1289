"""The cycle of tests/cycle_commands (Gail governs; Mia, Jane and Ken lead, Ken with no
e-mail address), and a worker run in this process to send what the events queued."""

import pytest
from django.core.management import call_command

from tests.cycle_commands.conftest import cycle, people, plan  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://planboard.trust.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def run_worker(monkeypatch):
    """``planboard worker --batch`` in this process, on this test's connection (the
    worker closes old connections between tasks, which would end the test's
    transaction): every task ready now runs, then it stops."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("worker", batch=True, startup_delay=False, verbosity=0)


def html_of(message) -> str:
    """The HTML part of an EmailMultiAlternatives."""
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def to(outbox, address) -> list:
    return [message for message in outbox if message.to == [address]]
