"""Test data built once and shared by the tests that ask for it.

Importing the seed paper or building a small plan takes a tenth of a second or more,
and hundreds of tests ask for the same data. A fixture made with ``@shared`` builds its
data once, in a transaction that stays open while the tests asking for it run one after
another. Each of those tests runs in a savepoint inside that transaction (pytest-django's
``db`` fixture wraps every test in one), so whatever a test changes is rolled back before
the next test starts and every test sees the data exactly as built.

- Shared fixtures stack: ``published`` is built on top of ``seed_strategy``, each in a
  savepoint of its own, and tests are run grouped by the shared data they ask for
  (within each file, in their order otherwise), so the stack changes seldom.
- A test that asks for none of it runs with the transaction rolled back, on an empty
  database, as before.
- A test that needs transactions of its own (``transactional_db``, ``live_server``,
  ``django_db(transaction=True)``) gets the data built inside it, as an ordinary
  fixture would build it.
- Each test gets its own copies of the objects a shared fixture returns, so changing
  one in memory changes nothing for the next test.
- When shared data is taken down, every table is compared with what it held just after
  the data was built, and the run fails if a test left anything changed.

A shared fixture may ask only for other shared fixtures, ``db`` and
``django_user_model``, and must ask for at least one of them.
"""

import copy
import hashlib
import inspect
import itertools
import sys
from dataclasses import dataclass, field

import pytest

# Settings that cost time and test nothing (see ``fast_settings`` in conftest.py); shared
# data is built before a test's own fixtures run, so it is built with these applied.
FAST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "WHITENOISE_AUTOREFRESH": True,
    "PAPERS_IN_BACKGROUND": False,
    "PAPERS_ON_CLOSE": False,
    "IMPORTS_IN_BACKGROUND": False,
    # The API's per-token limit is tested on its own (tests/api/test_token_limits.py);
    # elsewhere it would only stop a test that sends many requests with one token.
    "API_RATE_PER_MINUTE": 1_000_000,
}
_PROVIDED = ("db", "django_user_model")
_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
_order = itertools.count()


@dataclass(eq=False)
class Layer:
    """One shared fixture: how to build it and what it is built on."""

    name: str
    build: object
    needs: tuple[str, ...]
    index: int = field(default_factory=lambda: next(_order))

    def __repr__(self):
        return f"<shared {self.name}>"


def shared(build):
    """Make ``build`` a fixture whose data is built once for the tests that ask for it."""
    needs = tuple(inspect.signature(build).parameters)
    layer = Layer(build.__name__, build, needs)

    def fixture(**values):
        return _stack.value(layer, values)

    fixture.__name__ = build.__name__
    fixture.__qualname__ = build.__qualname__
    fixture.__module__ = build.__module__
    fixture.__doc__ = build.__doc__
    fixture.__signature__ = inspect.signature(build)
    fixture.shared_layer = layer
    return pytest.fixture(fixture)


def layers_for(item) -> tuple[Layer, ...]:
    """The shared data ``item`` asks for, each after what it is built on."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None or _is_transactional(item):
        return ()
    found = {}
    for name in info.names_closure:
        definitions = info.name2fixturedefs.get(name)
        layer = definitions and getattr(definitions[-1].func, "shared_layer", None)
        if layer:
            found[name] = layer
    ordered = []

    def visit(layer):
        if layer not in ordered:
            for name in layer.needs:
                if name in found:
                    visit(found[name])
            ordered.append(layer)

    for layer in sorted(found.values(), key=lambda layer: layer.index):
        visit(layer)
    return tuple(ordered)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker:
        from pytest_django.fixtures import validate_django_db

        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool(_TRANSACTIONAL_FIXTURES & set(item.fixturenames))


def group_by_shared_data(items):
    """Run each file's tests grouped by the shared data they ask for (in place)."""
    keys = {id(item): tuple(layer.index for layer in layers_for(item)) for item in items}
    files = itertools.groupby(items, key=lambda item: item.getparent(pytest.Module))
    items[:] = [
        item for _, tests in files for item in sorted(tests, key=lambda item: keys[id(item)])
    ]


@dataclass(eq=False)
class _Frame:
    layer: Layer
    atomic: object
    values: dict
    contents: str


class _Stack:
    """The shared data built so far, one savepoint per layer."""

    def __init__(self):
        self.frames: list[_Frame] = []
        self.blocker = None
        self.test_values = None

    def prepare(self, request):
        """Make the database hold exactly the shared data ``request``'s test asks for."""
        wanted = layers_for(request.node)
        self.test_values = None
        if wanted or self.frames:
            request.getfixturevalue("shared_data_session")
            self.prepare_layers(wanted)

    def prepare_layers(self, wanted):
        kept = 0
        for frame, layer in zip(self.frames, wanted, strict=False):
            if frame.layer is not layer:
                break
            kept += 1
        with self.blocker.unblock():
            self._check_intact()
            while len(self.frames) > kept:
                self._pop()
            for layer in wanted[kept:]:
                self._push(layer)

    def value(self, layer, values):
        """What the fixture gives this test: a copy of the shared data, or built now."""
        if not any(frame.layer is layer for frame in self.frames):
            return layer.build(**values)
        if self.test_values is None:
            self.test_values = copy.deepcopy(self.frames[-1].values)
        return self.test_values[layer.name]

    def _push(self, layer):
        from django.contrib.auth import get_user_model
        from django.db import transaction
        from django.test import override_settings

        values = copy.deepcopy(self.frames[-1].values) if self.frames else {}
        missing = [n for n in layer.needs if n not in values and n not in _PROVIDED]
        assert not missing, f"{layer} asks for {missing}, which are not shared fixtures"
        assert layer.name not in values, f"{layer} is already shared under that name"
        provided = {"db": None, "django_user_model": get_user_model()}
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(**FAST_SETTINGS):
                values[layer.name] = layer.build(
                    **{n: values[n] if n in values else provided[n] for n in layer.needs}
                )
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
        self.frames.append(_Frame(layer, atomic, values, _contents()))

    def _pop(self):
        from django.db import transaction

        frame = self.frames.pop()
        try:
            assert _contents() == frame.contents, (
                f"A test changed the data {frame.layer} shares with other tests; "
                "it should have been rolled back with the test."
            )
        finally:
            transaction.set_rollback(True)
            frame.atomic.__exit__(None, None, None)

    def _check_intact(self):
        from django.db import connection

        blocks = [id(block) for block in connection.atomic_blocks]
        held = [id(frame.atomic) for frame in self.frames]
        assert not connection.closed_in_transaction and all(b in blocks for b in held), (
            "A test ended the transaction that holds the shared test data."
        )

    def close(self):
        with self.blocker.unblock():
            self._check_intact()
            while self.frames:
                self._pop()


def _contents() -> str:
    """A digest of every row of every table."""
    from django.db import connection

    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            digest.update(table.encode())
            for row in sorted(repr(row) for row in cursor.fetchall()):
                digest.update(row.encode())
    return digest.hexdigest()


_stack = _Stack()


@pytest.fixture(scope="session")
def shared_data_session(django_db_setup, django_db_blocker):
    """Holds the shared data's transaction open; rolls it back before the database goes."""
    _stack.blocker = django_db_blocker
    yield
    _stack.close()


def prepare(request):
    _stack.prepare(request)
