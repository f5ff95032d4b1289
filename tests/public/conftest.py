"""The seed strategy published as the demo publishes it, and governance to edit it."""

import pytest

from planboard.public.demo import ensure_demo_publication
from tests.progress.cycle import governance


@pytest.fixture
def editor(db):
    return governance("gail")


@pytest.fixture
def published(seed_strategy, editor):
    """The seed strategy, published with the demo's summaries of theme 1's 16 actions."""
    ensure_demo_publication(seed_strategy, user=editor)
    return seed_strategy
