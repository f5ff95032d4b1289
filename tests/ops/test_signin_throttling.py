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
