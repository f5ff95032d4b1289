"""The seed plan with a closed quarter: 2016/17 Q3 (October to December 2016)."""

import datetime

from planboard.progress.services import close_period, open_period
from tests.progress.cycle import Q3
from tests.shared import shared


@shared
def gail(cast):
    """Gail, of the governance team, who opens and closes the periods."""
    return cast.gail


@shared
def closed_q3(seed_strategy, gail):
    period = open_period(seed_strategy, Q3, user=gail)
    return close_period(period, user=gail)


@shared
def closed_q3_with_exceptions(seed_strategy, gail):
    """Q3 closed after action 1.1 was made overdue and Amber, and action 2.1 Red."""
    from planboard.plans.models import Action, ActionStatus

    period = open_period(seed_strategy, Q3, user=gail)
    actions = Action.objects.for_strategy(seed_strategy).select_related("theme")
    late = actions.get(theme__number=1, number=1)
    late.target_date = datetime.date(2016, 11, 30)
    late.status = ActionStatus.IN_PROGRESS
    late.rag_level = seed_strategy.rag_levels.get(label="Amber")
    late.save()
    red = actions.get(theme__number=2, number=1)
    red.rag_level = seed_strategy.rag_levels.get(label="Red")
    red.save()
    return close_period(period, user=gail)
