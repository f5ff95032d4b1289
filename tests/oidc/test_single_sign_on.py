"""Signing in through a real OpenID Connect provider (tests/oidc/provider.mjs, over HTTP):
who gets an account, linked to whom, in which groups; every token that must not sign
anyone in; the sign-in throttle; password sign-in switched off; signing out.

The negative tokens are made by the provider's test hook (``TestProvider.forge``): the
real token response of a real sign-in, its ID token's claims changed and signed again
with the provider's own key (a wrong audience, an expiry in the past) or with a key the
provider never published (a bad signature).
"""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from planboard.people import provider
from planboard.people.access import GOVERNANCE
from planboard.people.models import Person, SignInIdentity
from tests.bounds import database_fingerprint
from tests.oidc.server import ACCOUNTS, TENANT, through_the_provider

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def key(seed_strategy):
    """The seed plan's key, with e-mails set on Mia Bajin's and Jane Lyon's entries as the
    governance team would (not quite as the provider writes them)."""
    people = Person.objects.filter(strategy=seed_strategy)
    people.filter(name="Mia Bajin").update(email="Mia.Bajin@NHS.net")
    people.filter(name="Jane Lyon").update(email="jane.lyon@nhs.net")
    return seed_strategy


def signed_in_as(client):
    """The account ``client`` is signed in as, or None."""
    account = client.session.get("_auth_user_id")
    return account and User.objects.get(pk=account)


def sign_in(login, client=None):
    client = client or Client()
    answer = client.get(through_the_provider(client, login))
    return client, answer


def refusal(client, answer) -> str:
    assert answer.status_code == 302 and answer["Location"] == reverse("sign_in_refused")
    page = client.get(answer["Location"])
    assert page.status_code == 200
    return page.text


def test_a_first_sign_in_finds_the_person_in_the_key_by_e_mail(single_sign_on, key):
    client = Client()
    start = client.get(reverse("sign_in_provider"))
    sent = parse_qs(urlparse(start["Location"]).query)
    assert sent["code_challenge_method"] == ["S256"] and sent["code_challenge"][0]
    assert sent["nonce"][0] and sent["state"][0]

    client, answer = sign_in("mia", client)

    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    account = signed_in_as(client)
    assert account.email == "mia.bajin@nhs.net" and account.get_full_name() == "Mia Bajin"
    assert not account.has_usable_password()
    assert list(key.people.filter(user=account).values_list("name", flat=True)) == ["Mia Bajin"]
    identity = SignInIdentity.objects.get(user=account)
    assert (identity.issuer, identity.subject) == (single_sign_on.issuer, "mia")
    assert client.get(reverse("my_actions")).status_code == 200


def test_entra_without_an_e_mail_is_found_by_preferred_username_and_tenant(single_sign_on, key):
    client, answer = sign_in("entra")

    account = signed_in_as(client)
    assert account and account.username == "jane.lyon@nhs.net"
    assert key.people.get(name="Jane Lyon").user == account
    identity = SignInIdentity.objects.get(user=account)
    assert (identity.issuer, identity.subject) == (f"tenant:{TENANT}", ACCOUNTS["entra"]["oid"])


def test_a_mapped_group_gives_its_group_and_takes_it_away_again(single_sign_on, key):
    client, _ = sign_in("governor")
    account = signed_in_as(client)
    assert list(account.groups.values_list("name", flat=True)) == [GOVERNANCE]
    assert account.is_staff and not key.people.filter(user=account).exists()

    single_sign_on.change_claims("governor", groups=["Staff"])
    try:
        client, _ = sign_in("governor")
    finally:
        single_sign_on.change_claims("governor")
    account.refresh_from_db()
    assert signed_in_as(client) == account
    assert not account.groups.exists() and not account.is_staff


def test_someone_signing_in_again_is_known_by_their_subject_not_their_e_mail(single_sign_on, key):
    first, _ = sign_in("mia")
    account = signed_in_as(first)
    single_sign_on.change_claims("mia", email="mia.bajin2@nhs.net")
    try:
        again, _ = sign_in("mia")
    finally:
        single_sign_on.change_claims("mia")
    assert signed_in_as(again) == account
    assert User.objects.count() == 1
    assert SignInIdentity.objects.get().email == "mia.bajin2@nhs.net"


def test_someone_planboard_does_not_know_is_asked_to_see_their_governance_team(single_sign_on, key):
    before = database_fingerprint()
    client, answer = sign_in("stranger")

    page = refusal(client, answer)
    assert "Ask your governance team" in page
    assert "Nobody in a plan&#39;s key has the e-mail address someone.else@nhs.net" in page
    assert not signed_in_as(client) and not User.objects.exists()
    assert database_fingerprint() == before
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_no_e_mail_and_no_username_is_refused_with_the_reason(single_sign_on, key):
    client, answer = sign_in("nameless")

    page = refusal(client, answer)
    assert "The provider gave no e-mail address, so planboard cannot find you" in page
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("forged", "stranger", "reason"),
    [
        ({"aud": "another-service"}, False, "was made for another service"),
        (
            {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
            False,
            "has expired",
        ),
        ({}, True, "is not signed with the provider&#39;s keys"),
        ({"iss": "http://127.0.0.1:1"}, False, "comes from another issuer"),
        ({"nonce": "another sign-in"}, False, "was not made for this sign-in"),
    ],
    ids=["wrong audience", "expired", "bad signature", "wrong issuer", "wrong nonce"],
)
def test_a_token_that_does_not_check_out_signs_nobody_in(
    single_sign_on, key, forged, stranger, reason
):
    client = Client()
    back = through_the_provider(client, "mia")
    single_sign_on.forge(forged, stranger=stranger)
    answer = client.get(back)

    page = refusal(client, answer)
    assert "You are not signed in" in page and reason in page
    assert not signed_in_as(client) and not User.objects.exists()
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_a_callback_opened_again_signs_nobody_in(single_sign_on, key):
    client = Client()
    back = through_the_provider(client, "mia")
    assert client.get(back)["Location"] == reverse("home")

    # The same code and state again, in the same browser and in another one.
    assert "has already been used" in refusal(client, client.get(back))
    other = Client()
    assert "has already been used" in refusal(other, other.get(back))
    assert not signed_in_as(other)
    # The same code with a state of this browser's own: the provider refuses the code.
    third = Client()
    through_the_provider(third, "mia")
    code = parse_qs(urlparse(back).query)["code"][0]
    state = next(iter(third.session["oidc_states"]))
    answer = third.get(f"{reverse('sign_in_callback')}?code={code}&state={state}")
    assert "refused to finish signing you in" in refusal(third, answer)
    assert not signed_in_as(third)
    assert AccessAttempt.objects.get().failures_since_start == 3


def test_failed_callbacks_count_against_the_address(single_sign_on, key, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 2
    for _ in range(2):
        Client().get(f"{reverse('sign_in_callback')}?code=guess&state=guess")
    client = Client()
    answer = client.get(through_the_provider(client, "mia"))

    assert answer.status_code == 429
    assert "too many unsuccessful attempts" in answer.text
    assert not signed_in_as(client)


def test_the_provider_s_error_is_told_and_counted(single_sign_on, key):
    client = Client()
    client.get(reverse("sign_in_provider"))
    state = next(iter(client.session["oidc_states"]))
    answer = client.get(
        f"{reverse('sign_in_callback')}?error=access_denied"
        f"&error_description=You+cancelled&state={state}"
    )
    assert "did not sign you in: You cancelled." in refusal(client, answer)
    assert client.session["oidc_states"] == {}
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_sign_out_ends_the_provider_s_session_too(single_sign_on, key):
    client, _ = sign_in("mia")
    id_token = client.session["oidc_id_token"]

    answer = client.post(reverse("logout"))

    assert not signed_in_as(client)
    sent = urlparse(answer["Location"])
    assert f"{sent.scheme}://{sent.netloc}{sent.path}" == f"{single_sign_on.issuer}/session/end"
    assert parse_qs(sent.query) == {
        "id_token_hint": [id_token],
        "post_logout_redirect_uri": ["http://testserver/sign-in/"],
        "client_id": ["planboard"],
    }


def test_password_sign_in_switched_off_leaves_only_the_provider_s_button(
    single_sign_on, key, settings, django_user_model
):
    settings.PASSWORD_SIGN_IN = False
    django_user_model.objects.create_user("tania", password="a long Passphrase 42")
    client = Client()

    page = client.get(reverse("login")).text
    assert "Sign in with NHSmail" in page and 'name="password"' not in page
    answer = client.post(
        reverse("login"), {"username": "tania", "password": "a long Passphrase 42"}
    )
    assert answer.status_code == 403
    assert "Password sign-in is switched off" in answer.text
    assert not signed_in_as(client)


def test_both_ways_in_are_offered_when_both_are_set_up(single_sign_on, key):
    page = Client().get(reverse("login") + "?next=/strategies/sue/").text
    assert 'href="/sign-in/provider/?next=%2Fstrategies%2Fsue%2F"' in page
    assert 'name="password"' in page


def test_without_single_sign_on_its_pages_are_not_there(db):
    client = Client()
    assert "provider" not in client.get(reverse("login")).text
    assert client.get(reverse("sign_in_provider")).status_code == 404
    assert client.get(reverse("sign_in_callback") + "?code=a&state=b").status_code == 404
    assert client.get(reverse("sign_in_refused"))["Location"] == reverse("login")


def test_only_asymmetric_algorithms_are_taken_from_discovery(settings, monkeypatch):
    settings.OIDC_ISSUER = "https://login.example"
    settings.OIDC_RP_CLIENT_ID = "planboard"
    published = {
        "issuer": "https://login.microsoftonline.com/{tenantid}/v2.0",
        "authorization_endpoint": "https://login.example/authorize",
        "token_endpoint": "https://login.example/token",
        "jwks_uri": "https://login.example/keys",
        "id_token_signing_alg_values_supported": ["HS256", "RS256", "none"],
    }
    monkeypatch.setattr(provider, "_get_json", lambda url, what: published)
    provider.forget()
    try:
        found = provider.current()
        assert found.algorithms == ("RS256",)
        settings.OIDC_TENANTS = [TENANT]
        assert found.expected_issuer({"tid": TENANT}) == (
            f"https://login.microsoftonline.com/{TENANT}/v2.0"
        )
        with pytest.raises(provider.ProviderUnavailable, match="OIDC_TENANTS"):
            found.expected_issuer({"tid": "another-tenant"})
    finally:
        provider.forget()
