"""A small plan with an open period, leads linked to accounts and a governance user."""

import datetime
import io
from types import SimpleNamespace

from django.core.management import call_command

from planboard.plans.models import ActionStatus
from planboard.progress.services import open_period
from tests.builders import make_action, make_person, make_role, make_strategy, make_theme
from tests.shared import shared


def run(name, *args, **options) -> str:
    """Run a management command and return what it printed."""
    out = io.StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


@shared
def people(cast):
    """Gail (governance), Mia and Jane (leads with e-mail), Ken (a lead without)."""
    return SimpleNamespace(gail=cast.gail, mia=cast.mia, jane=cast.jane, ken=cast.ken)


@shared
def plan(people):
    """Five actions: EM's, EM's and SUEMU's, a complete one, one nobody can be reminded
    about (overdue), and Comms' (Ken, no e-mail). Not yet with a period."""
    strategy = make_strategy(slug="sue", title="Service User Engagement Strategy")
    theme = make_theme(strategy, number=1, title="Focussed Culture Change")
    em = make_role(strategy, "Engagement Manager", "EM")
    suemu = make_role(strategy, "Head of SUEMU")
    finance = make_role(strategy, "Finance", in_key=False)
    comms = make_role(strategy, "Communications Manager", "Comms")
    make_person(strategy, "Mia Bajin", [em], user=people.mia)
    make_person(strategy, "Jane Lyon", [suemu], user=people.jane)
    make_person(strategy, "Ken Moss", [comms], user=people.ken)
    make_person(strategy, "Gail Tester", [], user=people.gail)
    actions = SimpleNamespace(
        review=make_action(theme, "Review the structure of SUSEG meetings.", leads=[em]),
        mapping=make_action(
            theme,
            "Map service user engagement work across the directorates and report back.",
            target=datetime.date(2017, 6, 30),
            leads=[em, suemu],
        ),
        training=make_action(
            theme, "Train a service user in QI.", target=None, status=ActionStatus.COMPLETE
        ),
        budget=make_action(
            theme, "Agree the budget.", target=datetime.date(2016, 12, 31), leads=[finance]
        ),
        leaflets=make_action(
            theme, "Revise the leaflets.", target=datetime.date(2017, 12, 31), leads=[comms]
        ),
    )
    return SimpleNamespace(strategy=strategy, actions=actions, **vars(people))


@shared
def cycle(plan):
    """The plan with 2016/17 Q4 open, updates due on 31 March 2017."""
    plan.period = open_period(
        plan.strategy, "2016/17 Q4", user=plan.gail, updates_due=datetime.date(2017, 3, 31)
    )
    return plan
