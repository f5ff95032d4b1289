"""Guessing passwords is throttled: after too many failures even the right one is refused."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

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
