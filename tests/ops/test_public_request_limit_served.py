"""The limits counted in the database hold across gunicorn's workers: they count
together, not each in its own memory. The hourly limit on requests for another format
is per address; the API's limit is per token and per minute."""

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from urllib.parse import urlencode

import pytest

from tests.ops.conftest import PLANBOARD, unconfigured_environment
from tests.ops.served import Browser, served

pytestmark = [pytest.mark.subprocess, pytest.mark.own_sqlite]

FORM = "/public/sue/other-formats/"
GOOD = {"format": "large_print", "name": "Sam Carer", "contact": "07700 900123", "details": ""}
LIMIT = 4
ROUNDS = 20
API = "/api/v1/openapi.json"
API_LIMIT = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory, prepared_databases):
    env = {"PUBLIC_REQUESTS_PER_HOUR": str(LIMIT), "API_RATE_PER_MINUTE": str(API_LIMIT)}
    folder = tmp_path_factory.mktemp("served")
    with served(folder, workers=2, env=env, prepared=prepared_databases) as found:
        yield found


def test_one_address_is_refused_at_the_limit_whichever_worker_answers(server):
    browser = Browser(server.port)
    body = urlencode({"csrfmiddlewaretoken": browser.token(FORM), **GOOD}).encode()

    def send(_):
        kind = {"Content-Type": "application/x-www-form-urlencoded"}
        return browser.request("POST", FORM, body, kind).status

    # Sent at once, so that two may race for the last place, and in rounds until both
    # workers have answered some: the kernel hands connections to whichever worker takes
    # one, so one worker may answer a whole round. A worker counting alone would accept
    # the first request it answers once the other has filled the limit.
    statuses = []
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(ROUNDS):
            statuses += pool.map(send, range(2 * LIMIT + 2))
            if len(posting_workers(server)) == 2:
                break

    assert len(posting_workers(server)) == 2, server.log.read_text()
    assert sorted(statuses) == [302] * LIMIT + [429] * (len(statuses) - LIMIT)
    # The limit held for the next request too, one at a time.
    assert send(None) == 429


def posting_workers(server) -> set[str]:
    return {pid for pid, line, _ in server.access_log() if line.startswith(f"POST {FORM}")}


def test_one_api_token_is_refused_at_its_limit_whichever_worker_answers(server):
    made = subprocess.run(  # noqa: S603 - our own command with fixed arguments
        [str(PLANBOARD), "api-token", "create", "--user", "lead", "--scope", "read"],
        env={**unconfigured_environment(), "PLANBOARD_VAR_DIR": str(server.temp.parent / "var")},
        capture_output=True,
        text=True,
        check=True,
    )
    secret = made.stdout.splitlines()[-1]
    browser = Browser(server.port)

    def send(_):
        return browser.request("GET", API, headers={"Authorization": f"Bearer {secret}"}).status

    # The count starts again each clock minute: begin early in one.
    if datetime.now().second > 40:
        time.sleep(61 - datetime.now().second)
    statuses = []
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(ROUNDS):
            statuses += pool.map(send, range(2 * API_LIMIT + 2))
            if len(workers_answering(server, f"GET {API}")) == 2:
                break

    assert len(workers_answering(server, f"GET {API}")) == 2, server.log.read_text()
    assert sorted(statuses) == [200] * API_LIMIT + [429] * (len(statuses) - API_LIMIT)
    assert send(None) == 429


def workers_answering(server, request_line) -> set[str]:
    return {pid for pid, line, _ in server.access_log() if line.startswith(request_line)}
