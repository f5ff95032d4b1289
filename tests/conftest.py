import os
from pathlib import Path

import pytest

from tests.shared import (
    FAST_SETTINGS,
    group_by_shared_data,
    prepare,
    shared,
    shared_data_session,  # noqa: F401 - a fixture
)
from tests.writes import describe, watching_writes

SEED_PAPER = (
    Path(__file__).resolve().parent.parent
    / "planboard"
    / "demo"
    / "data"
    / "sus-engagement-board-paper-2017-03.txt"
)


@pytest.fixture(autouse=True)
def fast_settings(settings):
    """Settings that cost time and test nothing.

    Hashing a password properly takes a good part of a second. WhiteNoise, without
    autorefresh, indexes every collected static file each time a test client makes
    its first request (about a second); with it, files are looked up on demand.
    Paper files are made within the request: a background thread could not see a
    test's uncommitted data (one test of the thread commits its data).
    """
    for name, value in FAST_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def writes_go_through_services(request):
    """Every request and command a test drives writes plan data only through services
    that asked a permission rule first (``tests.writes``). The browser tests' server
    runs in threads of its own, which this does not watch."""
    if request.node.get_closest_marker("browser"):
        yield None
        return
    with watching_writes() as watch:
        yield watch
    assert not watch.broken, describe(watch.broken)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: no page, and no count of requests sent."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def prepared_databases(tmp_path_factory):
    """planboard's SQLite database migrated, or with the demo, once for the whole run
    (tests/prepared.py), for tests that start planboard in processes of their own."""
    from tests.prepared import PreparedDatabases, run_root

    return PreparedDatabases(run_root(tmp_path_factory))


@pytest.fixture
def seed_path():
    """The real board paper the product is built from (Sheffield Health and Social Care, 2017)."""
    return SEED_PAPER


@shared
def seed_strategy(db):
    """The seed paper imported under the slug "sue"."""
    from planboard.imports.services import import_paper
    from planboard.plans.models import Strategy

    import_paper(SEED_PAPER, slug="sue")
    return Strategy.objects.get(slug="sue")


@shared
def cast(db):
    """Everyone in the cast of people (tests/cast.py), each in their access group."""
    from tests.cast import everyone

    return everyone()


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """Each test process's database: a copy of one migrated once (tests/template_db.py)."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests.template_db import create_from_template

    aliases, serialized = _get_databases_for_setup(request.session.items)
    created = []
    with django_db_blocker.unblock():
        for alias in sorted(aliases):
            connection = connections[alias]
            created.append((connection, create_from_template(connection, settings.VAR_DIR), True))
            if alias in serialized:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        teardown_databases(created, verbosity=0)


def pytest_configure(config):
    """Keep the pages' templates compiled for the next test process.

    Each test process compiled every Jinja2 template it rendered (about a second of
    CPU for all of them); with a bytecode cache in the var folder, only the first
    process of a run (and of a changed template) compiles it, and the others, the
    browser tests' and the second database's runs included, load what it wrote. Jinja2
    checks each template's source against the cache, so an edited template is compiled
    again. The product itself runs without one, as before.
    """
    from django.conf import settings
    from jinja2 import FileSystemBytecodeCache

    folder = Path(settings.VAR_DIR) / "test-jinja2-bytecode"
    folder.mkdir(parents=True, exist_ok=True)
    for backend in settings.TEMPLATES:
        if backend["BACKEND"].endswith(".Jinja2"):
            backend.setdefault("OPTIONS", {})["bytecode_cache"] = FileSystemBytecodeCache(
                str(folder)
            )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """One process for tests asked for by file or name; one per core otherwise (-n auto).

    Starting a second process with its own database costs more than a file's tests.
    """
    if config.args and all(".py" in arg for arg in config.args):
        return 0
    return None


def pytest_addoption(parser):
    parser.addoption(
        "--subprocess",
        action="store_true",
        help="also run the tests marked subprocess (scripts/run-tests does)",
    )
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that can reach the database (the PostgreSQL run)",
    )


# What lets a test reach the database: pytest-django refuses every query of a test that
# has neither its mark nor one of these fixtures (directly or through another fixture),
# so a test with none of them runs the same whatever the database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def unblocks_the_database(item) -> bool:
    """True when the test, or a fixture of ours it uses, lifts pytest-django's block
    itself (``django_db_blocker.unblock()``); pytest-django's own fixtures all ask for
    the blocker, to keep it in place."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    if "django_db_blocker" in info.argnames:
        return True
    return any(
        "django_db_blocker" in definition.argnames
        and not definition.func.__module__.startswith("pytest_django")
        and definition.argname != "django_db_setup"
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


def reaches_the_database(item) -> bool:
    """True when ``item`` may query the database, or starts a command that may.

    A command started by a test marked ``own_sqlite`` uses a SQLite file of the test's
    own, whatever database the run uses, so it runs the same in every run.
    """
    return bool(
        item.get_closest_marker("django_db")
        or (item.get_closest_marker("subprocess") and not item.get_closest_marker("own_sqlite"))
        or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        or unblocks_the_database(item)
    )


def pytest_collection_modifyitems(config, items):
    """Leave out the tests marked subprocess unless asked for, and with
    ``--database-only`` those that cannot reach the database; group the rest."""
    if not config.getoption("subprocess") and "subprocess" not in config.getoption("markexpr"):
        left_out = [item for item in items if item.get_closest_marker("subprocess")]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not item.get_closest_marker("subprocess")]
    if config.getoption("database_only"):
        left_out = [item for item in items if not reaches_the_database(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if reaches_the_database(item)]
    few_examples_on_the_second_database(items)
    group_by_shared_data(items)


# The property tests (hypothesis) run in full on SQLite. scripts/run-tests sets
# PLANBOARD_TEST_EXAMPLES for the PostgreSQL pass, which is there for the database's
# behaviour (its types, ordering, locking and constraints), not for more of the same
# generated inputs: each property test reaching the database then tries at most that
# many examples, its own explicit ``max_examples`` included. Unset, nothing changes.
EXAMPLES_VARIABLE = "PLANBOARD_TEST_EXAMPLES"


def few_examples_on_the_second_database(items):
    from hypothesis import settings

    cap = int(os.environ.get(EXAMPLES_VARIABLE) or 0)
    if cap < 1:
        return
    for item in items:
        test = getattr(item, "obj", None)
        test = getattr(test, "__func__", test)  # a test class's method
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None and own.max_examples > cap:
            test._hypothesis_internal_use_settings = settings(own, max_examples=cap)


# What a test marked ``own_sqlite`` sees as DATABASE_URL while it runs (its fixtures
# included): an address where no database answers, so a command of the test's that took
# the run's database instead of a SQLite file of its own would fail on every database.
NO_DATABASE = "postgres://planboard@127.0.0.1:9/no-database"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not item.get_closest_marker("own_sqlite"):
        yield
        return
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = NO_DATABASE
    try:
        yield
    finally:
        if before is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = before


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """Before a test's transaction starts, set out the shared data it asks for."""
    if fixturedef.argname == "_django_db_helper":
        prepare(request)
