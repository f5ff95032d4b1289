"""The page describing the API for people, and the OpenAPI document it links to."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/docs/"
SCHEMA = "/api/v1/openapi.json"


@pytest.fixture
def signed_in(cast):
    client = Client()
    client.force_login(cast.oscar)
    return client


def test_the_page_lists_every_operation_with_its_parameters_and_responses(signed_in):
    document = signed_in.get(SCHEMA).json()

    page = signed_in.get(DOCS)

    assert page.status_code == 200
    text = page.content.decode()
    assert f'href="{SCHEMA}"' in text
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert f'id="{operation["operationId"]}"' in text
            assert f"{method.upper()} <code>{path}</code>" in text
            for parameter in operation.get("parameters", []):
                assert f"{parameter['name']}</th>" in text
    assert "one of: not_started, in_progress, complete" in text
    assert 'href="#object-PaginatedActionList"' in text
    assert 'id="object-Action"' in text
    assert "Area, or null" in text and "string (date), or null" in text
    assert "application/problem+json" in text
    assert "<script" not in text.split("<footer")[0].split("</header>")[-1]


def test_the_page_needs_sign_in():
    response = Client().get(DOCS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_someone_signed_in_reads_the_document_but_no_other_address(signed_in):
    assert signed_in.get(SCHEMA).status_code == 200
    assert signed_in.post(SCHEMA).status_code == 401
    assert signed_in.get("/api/v1/strategies/").status_code == 401
