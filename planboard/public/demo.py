"""The demo's public page: the seed strategy published with plain-English summaries.

``planboard demo`` calls ``ensure_demo_publication`` so a newcomer sees the public page
working. It publishes the strategy and the actions of the themes the demo file has
summaries for, through the same services as the publishing pages, and only when the
strategy has never been published, so an edit made in the demo is never undone.
"""

import json
from pathlib import Path

from planboard.plans.models import Action
from planboard.public import publishing
from planboard.public.models import StrategyPublication

SUMMARIES = Path(__file__).resolve().parents[1] / "demo" / "data" / "public-summaries.json"


def ensure_demo_publication(strategy, *, user, path=SUMMARIES) -> int | None:
    """Publish ``strategy`` with the file's summaries; how many actions, or None if it
    already had a publication record."""
    if StrategyPublication.objects.filter(strategy=strategy).exists():
        return None
    texts = json.loads(Path(path).read_text(encoding="utf-8"))
    publishing.save_strategy_publication(
        strategy, published=True, summary=texts["strategy"], version=0, user=user
    )
    for theme in strategy.themes.filter(number__in=[int(n) for n in texts["themes"]]):
        publishing.save_theme_summary(
            theme, summary=texts["themes"][str(theme.number)], version=0, user=user
        )
    actions = {action.ref: action for action in Action.objects.for_strategy(strategy)}
    published = 0
    for ref, summary in texts["actions"].items():
        action = actions.get(ref)
        if action is None:
            continue
        publishing.save_action_publication(
            action, published=True, summary=summary, version=0, user=user
        )
        published += 1
    return published
