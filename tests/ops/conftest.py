import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest

import planboard
from tests.shared import shared

PLANBOARD = Path(sys.executable).with_name("planboard")
SETTINGS = Path(planboard.__file__).with_name("settings.py")


def unconfigured_environment() -> dict[str, str]:
    """This process's environment without planboard's own variables, so a new process
    has only the configuration a test gives it."""
    return {
        name: value
        for name, value in os.environ.items()
        if name not in CONFIG_VARIABLES and not name.startswith("SIGNIN_")
    }


@pytest.fixture
def run_planboard(tmp_path):
    """Run the installed ``planboard`` command in a fresh process with a given environment.

    The environment starts from this one without planboard's own variables, so each
    test states the configuration it is about; files go to a temporary folder.
    """

    def run(*args, env=None, timeout=60):
        base = {**unconfigured_environment(), "PLANBOARD_VAR_DIR": str(tmp_path / "var")}
        base.update(env or {})
        return subprocess.run(  # noqa: S603 - our own command with fixed arguments
            [str(PLANBOARD), *args],
            env=base,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture
def read_settings(tmp_path):
    """planboard's settings as a new process would read them from a given environment.

    The settings module is run afresh in this process, with the environment that
    ``run_planboard`` would give the new process; planboard's running settings are not
    touched. Starting the installed command tests the same in a new process.
    """

    def read(env=None):
        base = {**unconfigured_environment(), "PLANBOARD_VAR_DIR": str(tmp_path / "var")}
        base.update(env or {})
        with mock.patch.dict(os.environ, base, clear=True):
            return SimpleNamespace(**runpy.run_path(str(SETTINGS)))

    return read


CONFIG_VARIABLES = {
    "DEBUG",
    "HTTPS",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SQLITE_BUSY_TIMEOUT",
    "HSTS_SECONDS",
    "TRUST_X_FORWARDED_PROTO",
    "CSRF_TRUSTED_ORIGINS",
    "PORT",
    "WEB_CONCURRENCY",
}


@shared
def values(db):
    """Plausible values for URL parameters, by parameter name, most likely first (for
    the walks of every URL in test_url_protection and test_forged_posts)."""
    from django.contrib.contenttypes.models import ContentType

    from planboard.plans.models import Action
    from tests.builders import make_action, make_person, make_role, make_strategy, make_theme

    strategy = make_strategy(slug="walk")
    theme = make_theme(strategy, number=1, commitments=1)
    role = make_role(strategy, "Engagement Manager", "EM")
    person = make_person(strategy, "Mia Bajin", roles=[role])
    action = make_action(theme, rating="Green", leads=[role])
    action_type = ContentType.objects.get_for_model(Action)
    by_name = {
        "slug": [strategy.slug],
        "strategy": [strategy.slug],
        "strategy_slug": [strategy.slug],
        "ref": [action.ref],
        "action": [action.ref, str(action.pk)],
        "action_ref": [action.ref],
        "theme": [str(theme.number)],
        "number": [str(theme.number)],
        "role": [str(role.pk)],
        "person": [str(person.pk)],
        "app_label": ["plans", "people", "auth"],
        "model_name": ["action"],
        "content_type_id": [str(action_type.pk)],
        "object_id": [str(action.pk)],
        "pk": [str(action.pk)],
        "id": [str(action.pk)],
        "url": ["no-such-page/"],
        "format": ["json", "html"],
    }
    fallback = [strategy.slug, action.ref, str(action.pk), "2017-03-31", "x"]
    return lambda name: by_name.get(name, []) + fallback
