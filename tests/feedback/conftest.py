"""What the feedback tests share: one local Care Opinion server per test module, which
each test fills with its own stories (``CareOpinionServer.reset``)."""

import pytest

from tests.feedback.care_opinion_server import CareOpinionServer


@pytest.fixture(scope="module")
def server():
    running = CareOpinionServer([]).start()
    yield running
    running.stop()
