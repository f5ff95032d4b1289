"""Production settings pass Django's deployment checks; bad settings stop the process.

Each test runs ``planboard`` in a fresh process, because settings are read once at
start-up from the environment.
"""

import json
import secrets

import pytest

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "planboard.example.nhs.uk",
}

SHOW_SECURITY_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'session_cookie_secure': s.SESSION_COOKIE_SECURE,"
    "'csrf_cookie_secure': s.CSRF_COOKIE_SECURE, 'hsts_seconds': s.SECURE_HSTS_SECONDS,"
    "'hsts_subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'debug': s.DEBUG}))"
)


def security_settings(run_planboard, env):
    result = run_planboard("shell", "-c", SHOW_SECURITY_SETTINGS, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_the_deployment_checks(run_planboard):
    result = run_planboard("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_deployment_checks_fail_with_debug_on(run_planboard):
    result = run_planboard(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "DEBUG": "true"}
    )

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_https_is_on_by_default_in_production(run_planboard):
    values = security_settings(run_planboard, PRODUCTION)

    assert values == {
        "ssl_redirect": True,
        "session_cookie_secure": True,
        "csrf_cookie_secure": True,
        "hsts_seconds": 31536000,
        "hsts_subdomains": True,
        "debug": False,
    }


@pytest.mark.parametrize(
    "env",
    [{**PRODUCTION, "HTTPS": "false"}, {"DEBUG": "true"}],
    ids=["https-false", "debug-on"],
)
def test_https_settings_are_off_when_https_is_off(run_planboard, env):
    values = security_settings(run_planboard, env)

    assert not values["ssl_redirect"]
    assert not values["session_cookie_secure"]
    assert not values["csrf_cookie_secure"]
    assert values["hsts_seconds"] == 0


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false, not 'maybe'."),
        ("HTTPS", "sometimes", "HTTPS must be true or false, not 'sometimes'."),
        ("SQLITE_BUSY_TIMEOUT", "abc", "SQLITE_BUSY_TIMEOUT must be a whole number, not 'abc'."),
        ("SIGNIN_FAILURE_LIMIT", "five", "SIGNIN_FAILURE_LIMIT must be a whole number"),
        ("DATABASE_URL", "mysqlish://nowhere", "DATABASE_URL"),
    ],
)
def test_a_bad_setting_stops_the_process_naming_the_variable(
    run_planboard, variable, value, message
):
    result = run_planboard("check", env={variable: value})

    assert result.returncode != 0
    assert message in result.stderr.strip().splitlines()[-1]
