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
