"""/healthz tells a load balancer whether this server can reach its database."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_it_answers_503_when_the_database_is_unreachable(client):
    connection = connections["default"]
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503


def test_it_needs_no_sign_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200


def test_it_rejects_post(client):
    response = client.post("/healthz")

    assert response.status_code == 405
