"""Guessing passwords is throttled: after too many failures even the right one is refused."""

import http.client
import re
import subprocess
import urllib.parse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.ops.conftest import PLANBOARD, unconfigured_environment
from tests.ops.served import free_port
from tests.ops.test_serve import wait_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


def sign_in(client, password):
    return client.post(reverse("login"), {"username": "alice", "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked_out(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong password")
        assert not is_signed_in(client)
    return response


def test_the_right_password_signs_in(client, alice):
    response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_few_failures_do_not_lock_the_account(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong password")

    sign_in(client, PASSWORD)

    assert is_signed_in(client)


def test_after_the_failure_limit_the_right_password_is_refused(client, alice):
    fail_until_locked_out(client)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_axes_reset_lifts_the_lockout(client, alice):
    fail_until_locked_out(client)

    call_command("axes_reset", verbosity=0)
    sign_in(client, PASSWORD)

    assert is_signed_in(client)


def guess(client, username, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": username, "password": "wrong password"},
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(
    client, alice, django_user_model, settings
):
    # As TRUSTED_PROXY_COUNT=1 sets them: one proxy, which puts the client in the header.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # Every request reaches planboard from the proxy's address (the test client's REMOTE_ADDR).
    for n in range(settings.AXES_FAILURE_LIMIT):
        guess(client, f"nobody{n}", "203.0.113.9")

    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 302
    assert is_signed_in(client)


# --- by account and by address -------------------------------------------------------

OFFICE, HOME = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password=PASSWORD)


def attempt(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signs_in(client, username, address) -> bool:
    """Whether ``username`` signs in with the right password from ``address`` (then out)."""
    client.logout()
    response = attempt(client, username, PASSWORD, address)
    signed_in = response.status_code == 302 and is_signed_in(client)
    client.logout()
    return signed_in


def test_one_accounts_failures_do_not_lock_another_account_at_the_same_address(client, alice, bob):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "bob", "wrong password", OFFICE)

    assert response.status_code == 429
    assert signs_in(client, "alice", OFFICE)
    assert not signs_in(client, "bob", OFFICE)


def test_a_locked_account_stays_locked_from_another_address(client, alice, bob):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "bob", "wrong password", OFFICE)

    response = attempt(client, "bob", PASSWORD, HOME)

    assert response.status_code == 429
    assert not is_signed_in(client)
    assert signs_in(client, "alice", HOME)


def test_an_address_locks_every_account_once_its_own_limit_is_reached(client, alice, bob):
    limit = settings.SIGNIN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    # A few guesses at each of many accounts: none reaches the account limit.
    guessed = [f"guess{n}" for n in range(limit)]
    for n in range(limit - 1):
        attempt(client, guessed[n // 2], "wrong password", OFFICE)
    assert signs_in(client, "alice", OFFICE), "one failure short of the address limit"

    attempt(client, guessed[-1], "wrong password", OFFICE)

    assert not signs_in(client, "alice", OFFICE)
    assert not signs_in(client, "bob", OFFICE)
    assert signs_in(client, "alice", HOME)


def test_the_address_limit_can_be_switched_off(client, alice, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 0
    for n in range(60):
        attempt(client, f"guess{n // 2}", "wrong password", OFFICE)

    assert signs_in(client, "alice", OFFICE)


def test_the_lock_out_page_names_no_account_and_no_count(client, alice, bob):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "bob", "wrong password", OFFICE)

    page = attempt(client, "bob", PASSWORD, HOME).content.decode()

    assert "There have been too many unsuccessful attempts to sign in" in page
    assert "Try again in 15 minutes." in page
    assert "bob" not in page
    assert f"{settings.AXES_FAILURE_LIMIT} unsuccessful" not in page


def test_a_sign_in_forgets_only_that_accounts_failures(client, alice, bob):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "bob", "wrong password", OFFICE)

    assert signs_in(client, "alice", OFFICE)
    response = attempt(client, "bob", "wrong password", OFFICE)

    assert response.status_code == 429, "alice's sign-in did not clear bob's failures"
    assert not signs_in(client, "bob", HOME)


def test_a_refused_sign_in_is_not_counted_against_the_account(client, alice, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{n}", "wrong password", OFFICE)
    # Alice is refused at the locked address, again and again, with her right password.
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert attempt(client, "alice", PASSWORD, OFFICE).status_code == 429

    assert signs_in(client, "alice", HOME)


def test_the_address_limit_is_read_from_the_environment(read_settings):
    assert read_settings({"DEBUG": "true"}).SIGNIN_ADDRESS_FAILURE_LIMIT == 20
    read = read_settings({"DEBUG": "true", "SIGNIN_ADDRESS_FAILURE_LIMIT": "50"})

    assert read.SIGNIN_ADDRESS_FAILURE_LIMIT == 50
    assert read.AXES_FAILURE_LIMIT == 5


def test_trusted_proxy_count_is_read_from_the_environment(read_settings):
    read = read_settings({"DEBUG": "true", "TRUSTED_PROXY_COUNT": "2"})

    assert (read.AXES_IPWARE_PROXY_COUNT, *read.AXES_IPWARE_META_PRECEDENCE_ORDER) == (
        1,
        "HTTP_X_FORWARDED_FOR",
        "REMOTE_ADDR",
    )


@pytest.mark.subprocess
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
def server(run_planboard, tmp_path):
    """planboard under gunicorn (two workers sharing one database), with alice and bob."""
    env = {
        "DEBUG": "true",  # static files without collecting them; sign-in is the same
        "HTTPS": "false",
        "SIGNIN_FAILURE_LIMIT": "3",
        "SIGNIN_ADDRESS_FAILURE_LIMIT": "5",
    }
    for args in [
        ("migrate", "-v0"),
        (
            "shell",
            "-c",
            "from django.contrib.auth.models import User\n"
            f"for name in ('alice', 'bob'): User.objects.create_user(name, password={PASSWORD!r})",
        ),
    ]:
        done = run_planboard(*args, env=env)
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


@pytest.mark.subprocess
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
