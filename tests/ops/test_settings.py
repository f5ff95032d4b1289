"""Production settings pass Django's deployment checks; bad settings stop the process.

Settings are read once at start-up from the environment, so a test starts ``planboard``
in a fresh process, or runs the settings module afresh here (``read_settings``) and
checks the same values; the tests marked ``subprocess`` check those in a new process too.
"""

import json
import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tests.console import planboard

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


def security_settings_read(read_settings, env):
    s = read_settings(env)
    return {
        "ssl_redirect": s.SECURE_SSL_REDIRECT,
        "session_cookie_secure": s.SESSION_COOKIE_SECURE,
        "csrf_cookie_secure": s.CSRF_COOKIE_SECURE,
        "hsts_seconds": s.SECURE_HSTS_SECONDS,
        "hsts_subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
        "debug": s.DEBUG,
    }


def test_production_settings_pass_the_deployment_checks(run_planboard):
    result = run_planboard("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


@override_settings(DEBUG=True)
def test_deployment_checks_fail_with_debug_on_in_this_process():
    result = planboard("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


# What production runs with when nothing says otherwise.
PRODUCTION_SECURITY = {
    "ssl_redirect": True,
    "session_cookie_secure": True,
    "csrf_cookie_secure": True,
    "hsts_seconds": 31536000,
    "hsts_subdomains": True,
    "debug": False,
}


@pytest.mark.subprocess
@pytest.mark.own_sqlite
def test_deployment_checks_fail_with_debug_on(run_planboard):
    result = run_planboard(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "DEBUG": "true"}
    )

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_https_is_on_by_default_in_production(run_planboard):
    values = security_settings(run_planboard, PRODUCTION)

    assert values == PRODUCTION_SECURITY


def test_https_is_on_by_default_in_production_as_read(read_settings):
    values = security_settings_read(read_settings, PRODUCTION)

    assert values == PRODUCTION_SECURITY


HTTPS_OFF = pytest.mark.parametrize(
    "env",
    [{**PRODUCTION, "HTTPS": "false"}, {"DEBUG": "true"}],
    ids=["https-false", "debug-on"],
)


@HTTPS_OFF
def test_https_settings_are_off_when_https_is_off_as_read(read_settings, env):
    values = security_settings_read(read_settings, env)

    assert not values["ssl_redirect"]
    assert not values["session_cookie_secure"]
    assert not values["csrf_cookie_secure"]
    assert values["hsts_seconds"] == 0


@pytest.mark.subprocess
@pytest.mark.own_sqlite
@HTTPS_OFF
def test_https_settings_are_off_when_https_is_off(run_planboard, env):
    values = security_settings(run_planboard, env)

    assert not values["ssl_redirect"]
    assert not values["session_cookie_secure"]
    assert not values["csrf_cookie_secure"]
    assert values["hsts_seconds"] == 0


BAD_SETTINGS = [
    ("DEBUG", "maybe", "DEBUG must be true or false, not 'maybe'."),
    ("HTTPS", "sometimes", "HTTPS must be true or false, not 'sometimes'."),
    ("SQLITE_BUSY_TIMEOUT", "abc", "SQLITE_BUSY_TIMEOUT must be a whole number, not 'abc'."),
    ("SIGNIN_FAILURE_LIMIT", "five", "SIGNIN_FAILURE_LIMIT must be a whole number"),
    ("SIGNIN_FAILURE_LIMIT", "0", "SIGNIN_FAILURE_LIMIT must be at least 1, not 0."),
    ("SIGNIN_ADDRESS_FAILURE_LIMIT", "-1", "SIGNIN_ADDRESS_FAILURE_LIMIT must be 0 or more"),
    ("DATABASE_URL", "mysqlish://nowhere", "DATABASE_URL"),
    ("OFFICE_MAX_XML_MB", "0", "OFFICE_MAX_XML_MB must be at least 1, not 0."),
    ("TEMPLATE_CHECK_SECONDS", "-5", "TEMPLATE_CHECK_SECONDS must be at least 1, not -5."),
    ("IMPORT_MAX_ACTIONS", "0", "IMPORT_MAX_ACTIONS must be at least 1, not 0."),
    ("PUBLIC_REQUESTS_PER_HOUR", "0", "PUBLIC_REQUESTS_PER_HOUR must be at least 1, not 0."),
]


@pytest.mark.parametrize(("variable", "value", "message"), BAD_SETTINGS)
def test_a_bad_setting_is_refused_naming_the_variable(read_settings, variable, value, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        read_settings({variable: value})

    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


# The installed command with the first bad setting by default, with each in a full run.
@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        BAD_SETTINGS[0],
        *(
            pytest.param(*bad, marks=[pytest.mark.subprocess, pytest.mark.own_sqlite])
            for bad in BAD_SETTINGS[1:]
        ),
    ],
)
def test_a_bad_setting_stops_the_process_naming_the_variable(
    run_planboard, variable, value, message
):
    result = run_planboard("check", env={variable: value})

    assert result.returncode != 0
    assert message in result.stderr.strip().splitlines()[-1]
