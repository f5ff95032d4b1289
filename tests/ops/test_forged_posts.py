"""A post without the CSRF token is refused on every URL, and changes nothing.

The walk of ``test_url_protection`` covers every URL of the project, so a page added
later is covered too. The post comes from the governance team's account, which may
change the most, with a body a forger would send; each must be refused with 403 and
leave every row of the database as it was. The API takes no session (only a token in
the Authorization header, which a forged page cannot send), so there a forged post is
refused as not signed in (401), or as a method the address does not take (405); the
page describing the API for people is a page like any other.
"""

import pytest
from django.test import Client

from tests.bounds import database_fingerprint
from tests.ops.test_url_protection import ALL_ROUTES, API_PAGES, build_path

pytestmark = pytest.mark.django_db

FORGED = {
    "title": "<script>alert(1)</script>",
    "narrative": "Forged.",
    "decision": "accept",
    "username": "gail",
    "password": "guess",
}


@pytest.fixture
def forger(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.gail)
    return client


@pytest.mark.parametrize("route", ALL_ROUTES, ids=[f"/{route.description}" for route in ALL_ROUTES])
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(forger, values, route):
    try:
        path = build_path(route, values)
    except LookupError as error:
        pytest.fail(f"cannot build a URL for {route.description}: {error}; add a value")
    before = database_fingerprint()

    response = forger.post(path, FORGED)

    program = path.startswith("/api/") and route.name not in API_PAGES
    refused = (401, 405) if program else (403,)
    assert response.status_code in refused, f"POST {path} answered {response.status_code}"
    assert database_fingerprint() == before
