"""Each token may send API_RATE_PER_MINUTE requests a minute, counted in the database;
each use records the client's address as the trusted proxies give it."""

from datetime import timedelta

import pytest
from django.test import Client

from planboard.api import throttle, tokens
from planboard.api.models import ApiToken

pytestmark = pytest.mark.django_db

SCHEMA = "/api/v1/openapi.json"


def bearer(secret: str, **headers) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", REMOTE_ADDR="192.0.2.7", **headers)


@pytest.fixture
def two_tokens(cast):
    _, first = tokens.create_token(cast.mia, owner=cast.mia, name="BI", scope="read")
    _, second = tokens.create_token(cast.mia, owner=cast.mia, name="Intranet", scope="read")
    return first, second


def test_a_token_over_its_rate_gets_429_as_a_problem_with_retry_after(settings, two_tokens):
    settings.API_RATE_PER_MINUTE = 2
    first, second = two_tokens
    client = bearer(first)

    answers = [client.get(SCHEMA) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["status"] == 429 and body["title"] == "Too Many Requests"
    assert "2 requests this minute" in body["detail"]
    # The count is the token's, not the address's or the account's, and is kept in
    # the database, where every worker reads it.
    assert bearer(second).get(SCHEMA).status_code == 200
    counts = dict(ApiToken.objects.values_list("name", "requests_this_minute"))
    assert counts == {"BI": 2, "Intranet": 1}


def test_the_count_starts_again_in_a_new_minute(settings, two_tokens):
    settings.API_RATE_PER_MINUTE = 1
    client = bearer(two_tokens[0])
    assert client.get(SCHEMA).status_code == 200
    assert client.get(SCHEMA).status_code == 429
    token = ApiToken.objects.get(name="BI")
    ApiToken.objects.filter(pk=token.pk).update(minute=token.minute - timedelta(minutes=1))

    assert client.get(SCHEMA).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).requests_this_minute == 1


def test_the_schema_says_every_operation_may_answer_429():
    document = {
        "paths": {"/a/": {"get": {"responses": {"200": {}}}, "parameters": []}},
        "components": {"schemas": {"ProblemDocument": {"type": "object"}}},
    }

    document = throttle.document_throttling(document, None, None, True)

    too_many = document["paths"]["/a/"]["get"]["responses"]["429"]
    assert "Retry-After" in too_many["headers"]
    body = too_many["content"]["application/problem+json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ProblemDocument"}
    assert document["paths"]["/a/"]["parameters"] == []


def test_a_use_records_the_address_the_trusted_proxy_forwards(settings, two_tokens):
    # As TRUSTED_PROXY_COUNT=1 sets them: one proxy, which puts the client in the header.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

    response = bearer(two_tokens[0], HTTP_X_FORWARDED_FOR="198.51.100.7").get(SCHEMA)

    assert response.status_code == 200
    assert ApiToken.objects.get(name="BI").last_used_from == "198.51.100.7"


def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(two_tokens):
    response = bearer(two_tokens[0], HTTP_X_FORWARDED_FOR="198.51.100.7").get(SCHEMA)

    assert response.status_code == 200
    assert ApiToken.objects.get(name="BI").last_used_from == "192.0.2.7"
