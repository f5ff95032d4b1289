"""The seed strategy published as the demo publishes it, and governance to edit it."""

from planboard.public.demo import ensure_demo_publication
from tests.public.engagement_public import public_engagement  # noqa: F401 - a fixture
from tests.shared import shared


@shared
def editor(cast):
    """Gail, of the governance team, who writes the public summaries."""
    return cast.gail


@shared
def published(seed_strategy, editor):
    """The seed strategy, published with the demo's summaries of theme 1's 16 actions."""
    ensure_demo_publication(seed_strategy, user=editor)
    return seed_strategy
