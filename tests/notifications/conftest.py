"""The cycle of tests/cycle_commands (Gail governs; Mia, Jane and Ken lead, Ken with no
e-mail address), and a worker run in this process to send what the events queued."""

import pytest

from tests.cycle_commands.conftest import cycle, people, plan  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://planboard.trust.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def html_of(message) -> str:
    """The HTML part of an EmailMultiAlternatives."""
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def to(outbox, address) -> list:
    return [message for message in outbox if message.to == [address]]
