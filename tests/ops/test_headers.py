"""Security headers and cookies: the Content-Security-Policy, HSTS, secure cookies."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.builders import make_action, make_strategy, make_theme

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:src|nonce)=)[^>]*>", re.IGNORECASE)


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def plan():
    strategy = make_strategy(slug="headers")
    make_action(make_theme(strategy, number=1), rating="Green")
    return strategy


@pytest.fixture
def signed_in(client, django_user_model):
    """Signed in as a staff user, who can open the admin too."""
    client.force_login(django_user_model.objects.create_user("reader", is_staff=True))
    return client


def assert_strict_policy(response):
    directives = csp_directives(response)
    assert directives, "no Content-Security-Policy header"
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts, "the policy does not restrict scripts"
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]


@pytest.mark.parametrize("name", ["login", "healthz"])
def test_signed_out_pages_have_a_strict_content_security_policy(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_strict_policy(response)


def signed_in_pages(strategy):
    slug = {"slug": strategy.slug}
    return [
        reverse("home"),
        reverse("plan", kwargs=slug),
        reverse("action", kwargs={**slug, "ref": "1.1"}),
        reverse("commitments", kwargs=slug),
        reverse("people", kwargs=slug),
        reverse("findings", kwargs=slug),
        reverse("admin:index"),
    ]


def test_signed_in_pages_have_a_strict_content_security_policy(signed_in, plan):
    for url in signed_in_pages(plan):
        response = signed_in.get(url)

        assert response.status_code == 200, url
        assert_strict_policy(response)


def test_our_pages_have_no_inline_scripts_the_policy_would_block(signed_in, plan):
    pages = [Client().get(reverse("login"))]
    pages += [signed_in.get(url) for url in signed_in_pages(plan) if not url.startswith("/admin/")]

    for page in pages:
        assert page.status_code == 200
        assert not INLINE_SCRIPT.findall(page.content.decode()), page.request["PATH_INFO"]


def test_https_responses_carry_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    over_https = client.get(reverse("healthz"), secure=True)
    over_http = client.get(reverse("healthz"))

    assert over_https["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in over_http.headers


def test_signing_in_over_https_sets_secure_http_only_cookies(client, settings, django_user_model):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    django_user_model.objects.create_user("alice", password=PASSWORD)

    client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    session_cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert client.cookies[django_settings.CSRF_COOKIE_NAME]["secure"]


def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    page = client.get(reverse("login"))
    health = client.get(reverse("healthz"))

    assert page.status_code == 301
    assert page["Location"].startswith("https://")
    assert health.status_code == 200
