"""Every operation of the OpenAPI document, called with what the document allows, as a
reader and as two writers: no answer is a server error, and every answer is one the
document describes (its status, its media type, its body).

schemathesis generates the requests from the document the API serves, so an operation
added later is called here without a change to this file. The requests go through
Django's WSGI handler in the test's own transaction; each operation gets a few
examples, the same on every run, half of them naming the seed's own strategy, actions
and periods so that reads find data, the rest anything the document allows.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ROLES = ["reader", "governor", "lead"]
OPERATIONS = sorted(
    (path, method)
    for path, methods in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    for method in methods
)


@contextmanager
def keeping_the_connection():
    """Django's WSGI handler closes the database connection around each request, as a
    server should; here that would end the test's transaction (Django's test client
    does the same as this while it sends a request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


_served = {}


def served_document(secret):
    """The OpenAPI document as the API serves it, read once."""
    if "schema" not in _served:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        response = client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        _served["schema"] = schemathesis.openapi.from_dict(response.json())
    return _served["schema"]


def real_parameters(api_world) -> dict[str, list]:
    """Path parameters that name things in the seed, by name."""
    return {
        "slug": [api_world.strategy.slug],
        "ref": ["1.1", api_world.accepted, api_world.waiting, "6.3"],
        "period": ["2016-17-q4", "2016-17-q3"],
        "id": [api_world.paper],
    }


def cases(operation, known):
    """Cases for ``operation``: with path parameters from ``known`` where it has them,
    and with anything the document allows."""
    names = [p.name for p in operation.path_parameters]
    if not names:
        return operation.as_strategy()
    steered = st.fixed_dictionaries({n: st.sampled_from(known[n]) for n in names if n in known})
    return st.one_of(
        steered.flatmap(lambda fixed: operation.as_strategy(path_parameters=fixed)),
        operation.as_strategy(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_every_answer_is_one_the_document_describes(api_world, role, path, method):
    secret = api_world.secrets[role]
    operation = served_document(secret)[path][method.upper()]
    # The answers are read as sent: called in-process, nothing would undo the gzip a
    # client asking for it gets (tests/web/test_compression.py checks that).
    headers = {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}
    wsgi = get_wsgi_application()

    @given(case=cases(operation, real_parameters(api_world)))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def answers(case):
        with keeping_the_connection():
            response = case.call(app=wsgi, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    answers()


def test_the_run_covers_every_address_of_the_api():
    """Every API address but the document itself and its page for people is an
    operation of the document, so the run above calls it."""
    from django.urls import URLPattern, get_resolver, resolve

    included = get_resolver().namespace_dict["api"][1]
    names = {p.name for p in included.url_patterns if isinstance(p, URLPattern)}
    filled = Filled(slug="sue", ref="1.1", period="2016-17-q4")
    documented = {resolve(path.format_map(filled)).url_name for path, _ in OPERATIONS}

    assert names - {"openapi", "docs"} == documented


class Filled(dict):
    """A value for each parameter of an address: a number unless named here."""

    def __missing__(self, name):
        return "1"
