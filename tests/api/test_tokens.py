"""Personal access tokens: made once, kept as a digest, sent as a bearer token."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from planboard.api import tokens
from planboard.api.models import ApiToken
from planboard.lib.services import ServiceError
from planboard.people.permissions import COMMAND_LINE

pytestmark = pytest.mark.django_db

SCHEMA = "/api/v1/openapi.json"


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", REMOTE_ADDR="192.0.2.7")


def test_a_token_is_shown_once_and_kept_only_as_a_digest(cast):
    token, secret = tokens.create_token(cast.gail, owner=cast.gail, name="Intranet", scope="read")

    assert secret.startswith("pb_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in {stored.digest, stored.prefix, stored.name}
    assert secret.startswith(stored.prefix)
    assert tokens.find(secret) == stored


def test_a_token_opens_the_api_and_its_use_is_recorded(cast):
    token, secret = tokens.create_token(COMMAND_LINE, owner=cast.gail, name="BI", scope="read")

    response = bearer(secret).get(SCHEMA)

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_from == "192.0.2.7"
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


@pytest.mark.parametrize("spoil", ["revoke", "expire", "switch_off", "wrong"])
def test_a_spoilt_token_gets_401(cast, spoil):
    token, secret = tokens.create_token(cast.gail, owner=cast.gail, name="BI", scope="read")
    if spoil == "revoke":
        tokens.revoke_token(cast.gail, token)
    elif spoil == "expire":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif spoil == "switch_off":
        type(cast.gail).objects.filter(pk=cast.gail.pk).update(is_active=False)
    else:
        secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")

    response = bearer(secret).get(SCHEMA)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_token_gets_401():
    response = Client().get(SCHEMA)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_nobody_makes_or_revokes_anothers_token(cast):
    token, _ = tokens.create_token(cast.gail, owner=cast.gail, name="BI", scope="read")

    with pytest.raises(PermissionDenied):
        tokens.create_token(cast.gail, owner=cast.mia, name="BI", scope="read")
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(cast.mia, token)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"name": " ", "scope": "read"}, "name"),
        ({"name": "x" * 101, "scope": "read"}, "name"),
        ({"name": "BI", "scope": "admin"}, "scope"),
        ({"name": "BI", "scope": "read", "expires_days": 0}, "expires_days"),
        ({"name": "BI", "scope": "read", "expires_days": 367}, "expires_days"),
    ],
)
def test_a_bad_token_request_names_its_field_and_makes_nothing(cast, kwargs, field):
    with pytest.raises(ServiceError) as refused:
        tokens.create_token(cast.gail, owner=cast.gail, **kwargs)

    assert refused.value.field == field
    assert not ApiToken.objects.exists()


def test_an_error_is_a_problem_document():
    response = Client().get(SCHEMA)

    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["title"] == "Unauthorized"
    assert body["type"] == "about:blank" and body["detail"]


def test_every_api_view_counts_and_notes_each_use_of_a_token():
    """A token's use is noted by the per-token limit, so no API view may go without it."""
    from django.urls import get_resolver

    from planboard.api.throttle import PerToken

    api = get_resolver().namespace_dict["api"][1]
    views = [pattern.callback for pattern in api.url_patterns]
    drf_views = [view.cls for view in views if hasattr(view, "cls")]
    assert len(drf_views) >= 10
    for view in drf_views:
        assert PerToken in view.throttle_classes, view


def test_an_address_nothing_answers_is_a_problem_document_only_under_the_api(cast):
    _, secret = tokens.create_token(cast.gail, owner=cast.gail, name="BI", scope="read")

    missing = bearer(secret).get("/api/v1/no-such-thing/")
    page = Client().get("/no-such-page/")

    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["status"] == 404 and "openapi.json" in missing.json()["detail"]
    assert page.status_code in (302, 404) and "problem" not in page.get("Content-Type", "")


def test_a_server_error_under_the_api_is_a_problem_document(rf):
    from planboard.api.problems import server_error

    response = server_error(rf.get("/api/v1/strategies/"))

    assert response.status_code == 500 and response["Content-Type"] == "application/problem+json"
    assert server_error(rf.get("/")).status_code == 500
