import pytest
from django.test import override_settings
from django.urls import reverse

SIGNED_IN_PAGES = [
    ("home", {}),
    ("plan", {"slug": "demo"}),
    ("action", {"slug": "demo", "ref": "1.1"}),
    ("commitments", {"slug": "demo"}),
    ("people", {"slug": "demo"}),
    ("findings", {"slug": "demo"}),
]


@pytest.fixture
def password_user(django_user_model):
    return django_user_model.objects.create_user("jlyon", password="a long Passphrase 42")


@pytest.mark.parametrize(("name", "kwargs"), SIGNED_IN_PAGES)
def test_a_signed_out_request_is_sent_to_sign_in(client, small_plan, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/sign-in/?next={url}"


def test_healthz_needs_no_sign_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"


def test_the_sign_in_page_is_public(client, db):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert '<h1 class="nhsuk-heading-l">Sign in to planboard</h1>' in response.text
    assert 'autocomplete="current-password"' in response.text


def test_it_signs_in_and_goes_home(client, password_user):
    response = client.post("/sign-in/", {"username": "jlyon", "password": "a long Passphrase 42"})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_it_goes_back_to_the_page_asked_for(client, password_user):
    response = client.post(
        "/sign-in/?next=/strategies/demo/",
        {"username": "jlyon", "password": "a long Passphrase 42", "next": "/strategies/demo/"},
    )
    assert response.url == "/strategies/demo/"


def test_a_wrong_password_shows_an_error_summary_and_inline_error(client, password_user):
    response = client.post("/sign-in/", {"username": "jlyon", "password": "wrong"})
    assert response.status_code == 200
    assert "<title>Error: Sign in – planboard</title>" in response.text
    assert "There is a problem" in response.text
    assert 'href="#id_username"' in response.text
    assert "Enter a correct username and password" in response.text
    assert "nhsuk-input--error" in response.text


def test_missing_fields_say_what_to_enter(client, db):
    response = client.post("/sign-in/", {"username": "", "password": ""})
    assert "Enter your username" in response.text
    assert "Enter your password" in response.text
    assert 'href="#id_password"' in response.text


@override_settings(AXES_FAILURE_LIMIT=2)
def test_repeated_failures_lock_the_account_out(client, password_user):
    for _ in range(2):
        response = client.post("/sign-in/", {"username": "jlyon", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.text
    assert "Try again in 15 minutes." in response.text


def test_sign_out_needs_a_post_and_signs_out(signed_in):
    assert signed_in.get("/sign-out/").status_code == 405
    response = signed_in.post("/sign-out/")
    assert response.status_code == 302
    assert response.url == "/sign-in/"
    assert signed_in.get("/").status_code == 302


def test_a_signed_in_user_visiting_sign_in_goes_home(signed_in):
    response = signed_in.get("/sign-in/")
    assert response.status_code == 302
    assert response.url == "/"
