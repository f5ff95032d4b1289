"""The "Your API tokens" page: each person lists, makes and revokes their own tokens,
and sees a new token's secret once."""

import pytest
from django.test import Client
from django.urls import reverse

from planboard.api import tokens
from planboard.api.models import ApiToken
from planboard.lib.forms import TAMPERED
from tests.bounds import database_fingerprint

pytestmark = pytest.mark.django_db

PAGE = reverse("my_api_tokens")
MADE = reverse("api_token_made")


def signed_in(user) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.7")
    client.force_login(user)
    return client


def test_the_page_lists_only_your_tokens_with_their_use(cast):
    used, _ = tokens.create_token(cast.mia, owner=cast.mia, name="Intranet", scope="read")
    tokens.record_use(used, "198.51.100.7")
    gone, _ = tokens.create_token(cast.mia, owner=cast.mia, name="Old script", scope="write")
    tokens.revoke_token(cast.mia, gone)
    tokens.create_token(cast.gail, owner=cast.gail, name="Gail's report", scope="read")

    page = signed_in(cast.mia).get(PAGE).text

    assert "Intranet" in page and f"{used.prefix}…" in page and "from 198.51.100.7" in page
    assert "Old script" in page and "Read and write" in page and "Revoked" in page
    assert "Gail's report" not in page
    assert page.count('class="nhsuk-table__row pb-token-row"') == 2
    assert page.count("Revoke: ") == 1  # only the token still active can be revoked
    assert 'href="/my-api-tokens/"' in signed_in(cast.mia).get("/").text  # the account menu


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_reads_the_same_queries_however_many_tokens(
    cast, count, django_assert_max_num_queries
):
    for number in range(count):
        token, _ = tokens.create_token(cast.mia, owner=cast.mia, name=f"T{number}", scope="read")
        tokens.record_use(token, "192.0.2.7")
    client = signed_in(cast.mia)

    with django_assert_max_num_queries(6):
        response = client.get(PAGE)

    assert response.status_code == 200
    assert response.text.count("pb-token-row") == count


def test_a_new_token_is_shown_once_on_the_page_after_the_form(cast):
    client = signed_in(cast.mia)

    sent = client.post(PAGE, {"name": " Power BI ", "scope": "write", "expires": "30"})

    assert sent.status_code == 302 and sent.url == MADE
    shown = client.get(MADE)
    token = ApiToken.objects.get(user=cast.mia)
    secret = shown.text.split('id="token">')[1].split("<")[0]
    assert tokens.find(secret) == token
    assert (token.name, token.scope) == ("Power BI", "write")
    assert (token.expires_at - token.created_at).days == 30
    assert "Copy the token now" in shown.text and "no-cache" in shown["Cache-Control"]
    again = client.get(MADE, follow=True)
    assert secret not in again.text
    assert "shown only once" in again.text and again.redirect_chain[-1][0] == PAGE
    assert secret not in client.get(PAGE).text


def test_never_makes_a_token_that_does_not_expire(cast):
    client = signed_in(cast.mia)

    client.post(PAGE, {"name": "Unattended", "scope": "read", "expires": "never"})

    assert ApiToken.objects.get().expires_at is None


def test_the_form_offers_ninety_days_by_default(cast):
    page = signed_in(cast.mia).get(PAGE).text

    assert 'value="90" checked' in page


@pytest.mark.parametrize(
    "data, said",
    [
        ({"name": "  ", "scope": "read", "expires": "90"}, "Enter what the token is for."),
        ({"name": "x" * 101, "scope": "read", "expires": "90"}, "100 characters or fewer"),
        ({"name": "BI", "expires": "90"}, "Choose whether the token reads only or also writes."),
        ({"name": "BI", "scope": "admin", "expires": "90"}, TAMPERED),
        ({"name": "BI", "scope": "read", "expires": "9999"}, TAMPERED),
        ({"name": "BI", "scope": "read"}, "Choose when the token expires."),
    ],
)
def test_a_mistake_is_shown_on_its_field_and_makes_nothing(cast, data, said):
    client = signed_in(cast.mia)
    before = database_fingerprint()

    response = client.post(PAGE, data)

    assert response.status_code == 400
    assert said in response.text and response.text.count(said) == 2  # summary and field
    assert "<title>Error: Your API tokens" in response.text
    assert database_fingerprint() == before


def test_revoking_a_token_stops_it_and_says_so(cast):
    token, secret = tokens.create_token(cast.mia, owner=cast.mia, name="Script", scope="read")
    client = signed_in(cast.mia)

    response = client.post(reverse("revoke_api_token", kwargs={"pk": token.pk}), follow=True)

    assert tokens.find(secret) is None
    assert "You revoked the token “Script”" in response.text
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/openapi.json").status_code == 401
    )


def test_nobody_revokes_anothers_token(cast):
    token, secret = tokens.create_token(cast.gail, owner=cast.gail, name="Report", scope="read")

    response = signed_in(cast.mia).post(reverse("revoke_api_token", kwargs={"pk": token.pk}))

    assert response.status_code == 404
    assert tokens.find(secret) == token
