from pathlib import Path

import pytest

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
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_AUTOREFRESH = True
    settings.PAPERS_IN_BACKGROUND = False


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


@pytest.fixture
def seed_path():
    """The real board paper the product is built from (Sheffield Health and Social Care, 2017)."""
    return SEED_PAPER


@pytest.fixture
def seed_strategy(db, seed_path):
    """The seed paper imported under the slug "sue"."""
    from planboard.imports.services import import_paper
    from planboard.plans.models import Strategy

    import_paper(seed_path, slug="sue")
    return Strategy.objects.get(slug="sue")
