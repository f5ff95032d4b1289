"""Two app servers and two workers on one PostgreSQL, as a trust runs planboard behind a
load balancer: whichever server answers, a visitor's session, a paper asked for, its
progress and its file, the sign-in lock-out and the public form's hourly limit are the
same, because each is kept in the database, never in one server's memory
(docs/deployment.md, "What each server keeps, and what the database keeps").

Each server is a ``planboard serve`` (gunicorn) process of its own, as on two machines;
they share only the database and the secret key. Run on PostgreSQL by scripts/run-tests
(scripts/with-postgres); skipped on SQLite, which several machines cannot share.
"""

import hashlib
import json
import secrets
import time
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from planboard.papers.formats import FORMATS
from planboard.papers.models import GeneratedPaper
from tests.ops.served import Browser, served
from tests.worker_process import database_url, worker

pytestmark = [pytest.mark.subprocess, pytest.mark.django_db(transaction=True)]

PAPER = reverse("paper", kwargs={"slug": "sue", "period": "2016-17-q3"})
GENERATE = reverse("paper_generate", kwargs={"slug": "sue", "period": "2016-17-q3"})
STATUS = reverse("paper_files_status", kwargs={"slug": "sue", "period": "2016-17-q3"})
SIGN_IN = "/sign-in/"
FORM = "/public/sue/other-formats/"
GOOD = {"format": "large_print", "name": "Sam Carer", "contact": "07700 900123", "details": ""}
FAILURE_LIMIT = 3
REQUESTS_PER_HOUR = 2


@pytest.fixture
def two_servers(tmp_path):
    """Servers A and B, and two workers, on this test's PostgreSQL database."""
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share PostgreSQL (scripts/with-postgres)")
    env = {
        "DATABASE_URL": database_url(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SIGNIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "PUBLIC_REQUESTS_PER_HOUR": str(REQUESTS_PER_HOUR),
    }
    with (
        served(tmp_path / "a", workers=1, env=env) as first,
        served(tmp_path / "b", workers=1, env=env, passwords=first.passwords) as second,
        worker(tmp_path / "workers", worker_id="one"),
        worker(tmp_path / "workers", worker_id="two"),
    ):
        yield first, second


def until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what} within {seconds} seconds"
        time.sleep(0.2)
    return found


def send_form(browser, page, action, fields):
    """Post ``fields`` to ``action`` as the form on ``page`` would, with its CSRF token."""
    body = urlencode({"csrfmiddlewaretoken": browser.token(page), **fields}).encode()
    kind = {"Content-Type": "application/x-www-form-urlencoded"}
    return browser.request("POST", action, body, kind)


def test_a_session_a_paper_and_both_limits_hold_whichever_server_answers(two_servers):
    a, b = two_servers

    # Signed in on A, carrying on on B with the same cookie.
    browser = Browser(a.port)
    browser.sign_in("governance", a.passwords["governance"])
    browser.port = b.port
    page = browser.get(PAPER)
    assert page.status == 200, page.status
    assert "Make the file" in page.text  # the governance team's form: signed in as them

    # Asked for on A, followed on B, downloaded from both.
    browser.port = a.port
    closing = set(GeneratedPaper.objects.values_list("pk", flat=True))
    assert send_form(browser, PAPER, GENERATE, {"format": "pdf"}).status == 302
    job = GeneratedPaper.objects.exclude(pk__in=closing).get()
    browser.port = b.port
    seen = set()

    def made_on_b():
        files = {f["pk"]: f for f in json.loads(browser.get(STATUS).text)["files"]}
        seen.add(files[job.pk]["status"])
        assert files[job.pk]["status"] != "failed", files
        return files[job.pk]["status"] == "done"

    until(made_on_b, 240, "the file was not made")
    assert seen <= {"queued", "running", "done"}
    job.refresh_from_db()
    download = reverse("paper_download", kwargs={"slug": "sue", "pk": job.pk})
    sums = set()
    for server in (a, b):
        browser.port = server.port
        got = browser.get(download).content
        assert got.startswith(b"%PDF-")
        sums.add(hashlib.sha256(got).hexdigest())
    assert sums == {job.checksum}
    assert job.checksum[:16] in browser.get(PAPER).text

    # The period was closed by the demo: its paper in every format, made by the workers.
    until(
        lambda: not GeneratedPaper.objects.filter(status__in=("queued", "running")).exists(),
        240,
        "the papers asked for on closing were not made",
    )
    closed = GeneratedPaper.objects.filter(pk__in=closing)
    assert sorted(closed.values_list("format", flat=True)) == sorted(FORMATS)
    assert set(closed.values_list("status", flat=True)) == {"done"}

    # Wrong passwords counted across both servers: A, B, A, and the account is locked on
    # both, though neither server saw as many as the limit.
    guesser = Browser(a.port)
    for server in (a, b, a):
        guesser.port = server.port
        guesser.post(SIGN_IN, {"username": "board", "password": "not the password"})
    for server in (b, a):
        guesser.port = server.port
        right = {"username": "board", "password": a.passwords["board"]}
        assert guesser.post(SIGN_IN, right).status == 429

    # The public form's hourly limit counted across both servers.
    visitor = Browser(a.port)
    statuses = []
    for server in (a, b, a, b):
        visitor.port = server.port
        statuses.append(send_form(visitor, FORM, FORM, GOOD).status)
    assert statuses == [302] * REQUESTS_PER_HOUR + [429] * (4 - REQUESTS_PER_HOUR)
