"""What the management commands share about the plan."""

from django.core.management.base import CommandError

from planboard.plans.models import Strategy


def strategy_named(slug: str) -> Strategy:
    """The strategy a command names (``--strategy SLUG``), or a ``CommandError`` that says
    there is none."""
    strategy = Strategy.objects.filter(slug=slug).first()
    if strategy is None:
        raise CommandError(f'There is no strategy with the slug "{slug}".')
    return strategy
