"""Sign-in throttling in processes of their own: the settings read by the installed
command, and two gunicorn workers sharing the failures of accounts and addresses.

They run planboard on a SQLite file of their own (``own_sqlite``), so the second
database's pass leaves them out; the same rules are tested on every database in
test_signin_throttling.py through Django's test client.
"""

import http.client
import re
import subprocess
import urllib.parse

import pytest

from tests.ops.conftest import PLANBOARD, unconfigured_environment
from tests.ops.served import free_port
from tests.ops.test_serve import wait_for
from tests.ops.test_signin_throttling import PASSWORD

pytestmark = [pytest.mark.subprocess, pytest.mark.own_sqlite]


def test_trusted_proxy_count_comes_from_the_environment(run_planboard):
    result = run_planboard(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.AXES_IPWARE_PROXY_COUNT, *settings.AXES_IPWARE_META_PRECEDENCE_ORDER)",
        env={"DEBUG": "true", "TRUSTED_PROXY_COUNT": "2"},
    )

    assert result.stdout.strip().splitlines()[-1] == "1 HTTP_X_FORWARDED_FOR REMOTE_ADDR", (
        result.stderr
    )


# --- through a real server ------------------------------------------------------------


class Browser:
    """One client of a real server, connecting from its own loopback address, with cookies."""

    def __init__(self, port, address):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(body)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def sign_in(self, username, password):
        """The status of the sign-in form sent with these credentials, signed out after."""
        self.cookies.pop("sessionid", None)
        _, page = self.request("GET", "/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, page = self.request(
            "POST",
            "/sign-in/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        self.cookies.pop("sessionid", None)
        return status, page


@pytest.fixture
def server(run_planboard, tmp_path, prepared_databases):
    """planboard under gunicorn (two workers sharing one database), with alice and bob."""
    env = {
        "DEBUG": "true",  # static files without collecting them; sign-in is the same
        "HTTPS": "false",
        "SIGNIN_FAILURE_LIMIT": "3",
        "SIGNIN_ADDRESS_FAILURE_LIMIT": "5",
    }
    prepared_databases.copy(tmp_path / "var")
    done = run_planboard(
        "shell",
        "-c",
        "from django.contrib.auth.models import User\n"
        f"for name in ('alice', 'bob'): User.objects.create_user(name, password={PASSWORD!r})",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    port = free_port()
    base = unconfigured_environment()
    process = subprocess.Popen(  # noqa: S603 - our own command with fixed arguments
        [str(PLANBOARD), "serve", "--port", str(port), "--workers", "2"],
        env={**base, "PLANBOARD_VAR_DIR": str(tmp_path / "var"), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_through_gunicorn_accounts_and_addresses_are_locked_separately(server):
    office, home = Browser(server, "127.0.0.2"), Browser(server, "127.0.0.3")

    # Bob's account locks after three failures; Alice still signs in from the same office.
    statuses = [office.sign_in("bob", "wrong password")[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert office.sign_in("alice", PASSWORD)[0] == 302

    # Bob's account stays locked from home, and the page names nobody.
    status, page = home.sign_in("bob", PASSWORD)
    assert status == 429
    assert "too many unsuccessful attempts to sign in" in page
    assert "bob" not in page

    # Two more failures make five from the office: now every account is locked there.
    office.sign_in("carol", "wrong password")
    office.sign_in("dave", "wrong password")
    assert office.sign_in("alice", PASSWORD)[0] == 429
    assert home.sign_in("alice", PASSWORD)[0] == 302
