"""The demo's quarterly cycle: one closed quarter as the seed paper stood, one open.

``planboard demo`` calls ``ensure_demo_cycle`` once the seed plan and the accounts are
there. 2016/17 Q3 (October to December 2016) is opened and closed straight after the
import, so its snapshots are the paper itself. 2016/17 Q4 (January to March 2017) is
left open with three made-up updates from the demo lead, one in each state a review
can leave an update in, so every page of the cycle has something to show.

Everything goes through the same services the pages and commands use, so the history
records who did what, exactly as if people had clicked, and when by the plan's clock
(``planboard.lib.clock``): with ``make demo``'s DEMO_TODAY, on the story's day.
"""

import datetime
from dataclasses import dataclass

from planboard.people.permissions import leads_action
from planboard.plans.models import Action, DatePrecision
from planboard.progress.services import (
    accept_update,
    close_period,
    open_period,
    return_update,
    submit_update,
)

CLOSED = "2016/17 Q3"
OPEN = "2016/17 Q4"
UPDATES_DUE = datetime.date(2017, 3, 31)
# The story's "today": ``make demo`` sets DEMO_TODAY to it (planboard/lib/clock.py) and
# the set-up stamps everything by that clock. The seed paper went to the board a week
# ago (8 March 2017), Q3 is closed, Q4 is open with its updates due in 16 days, and the
# three example updates were given and reviewed earlier today.
STORY_TODAY = datetime.date(2017, 3, 15)
# What the story means to be overdue on that day (refs), and which leads to be late with
# their updates (usernames): nothing and no one. The seed's earliest open targets are
# "Mar 2017" (1.1, 1.3, 2.4), which run to the end of March, and the updates are not due
# until 31 March; so no action is overdue, no lead is late and the RAG rules suggest the
# worst level for no action.
INTENDED_OVERDUE: frozenset[str] = frozenset()
INTENDED_LATE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DemoUpdate:
    ref: str
    narrative: str
    rating: str
    review: str  # "accept", "return" or "" (left waiting)
    new_target: datetime.date | None = None
    reason: str = ""
    comment: str = ""


UPDATES = (
    DemoUpdate(
        ref="1.2",
        narrative=(
            "Engagement work is now mapped in four of the six directorates and the "
            "findings went to SUSEG in February. The other two directorates were "
            "restructured in January; their mapping starts again in April."
        ),
        rating="Amber",
        review="accept",
        new_target=datetime.date(2017, 6, 30),
        reason=(
            "Two directorates were restructured in January 2017 and their engagement "
            "leads were only appointed in March."
        ),
    ),
    DemoUpdate(
        ref="2.4",
        narrative=(
            "The proposal to buy Patient Opinion goes to the Executive Directors Group in "
            "March. The Engagement Managers have drafted a launch plan with two pilot "
            "teams, to bring to SUSEG in April."
        ),
        rating="Green",
        review="",
    ),
    DemoUpdate(
        ref="1.9",
        narrative="Ongoing.",
        rating="Amber",
        review="return",
        comment=(
            "Please say which directorates the mapping has reached so far and when the "
            "gaps it finds will be reported to SUSEG."
        ),
    ),
)


def ensure_demo_cycle(strategy, *, governance, lead):
    """Set up the demo's two periods unless the strategy has periods already.

    Returns ``(closed, opened, updates)``, or None when there was nothing to do. The
    updates are given only if ``lead`` is linked to someone who leads the actions.
    """
    if strategy.periods.exists():
        return None
    closed = open_period(strategy, CLOSED, user=governance)
    close_period(closed, user=governance)
    opened = open_period(strategy, OPEN, user=governance, updates_due=UPDATES_DUE)
    levels = {level.label: level for level in strategy.rag_levels.all()}
    updates = []
    for spec in UPDATES:
        action = find_action(strategy, spec.ref)
        if action is None or lead is None or not leads_action(lead, action):
            continue
        updates.append(give_update(action, spec, levels, governance=governance, lead=lead))
    return closed, opened, updates


def find_action(strategy, ref):
    theme, _, number = ref.partition(".")
    return (
        Action.objects.for_strategy(strategy)
        .select_related("theme__strategy")
        .filter(theme__number=int(theme), number=int(number))
        .first()
    )


def give_update(action, spec, levels, *, governance, lead):
    """The lead's update on ``action``, then the governance team's review of it."""
    update = submit_update(
        action,
        user=lead,
        narrative=spec.narrative,
        proposed_rag=levels.get(spec.rating),
        new_target_date=spec.new_target,
        new_target_precision=DatePrecision.MONTH,
        reason=spec.reason,
    )
    if spec.review == "accept":
        update = accept_update(update, user=governance, expected_version=update.version)
    elif spec.review == "return":
        update = return_update(
            update, user=governance, comment=spec.comment, expected_version=update.version
        )
    return update
