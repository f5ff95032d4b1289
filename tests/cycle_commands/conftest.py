"""A small plan with an open period, leads linked to accounts and a governance user."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from planboard.people.access import GOVERNANCE, LEAD, ensure_groups
from planboard.plans.models import ActionStatus
from planboard.progress.services import open_period
from tests.builders import make_action, make_person, make_role, make_strategy, make_theme


def run(name, *args, **options) -> str:
    """Run a management command and return what it printed."""
    out = io.StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def people(db, django_user_model):
    """Tania (governance), Mia and Jane (leads with e-mail), Ken (a lead without)."""
    ensure_groups()
    governance, lead = Group.objects.get(name=GOVERNANCE), Group.objects.get(name=LEAD)

    def user(username, first, last, group, email=""):
        account = django_user_model.objects.create_user(
            username, email=email, first_name=first, last_name=last
        )
        account.groups.add(group)
        return account

    return SimpleNamespace(
        tania=user("tbaxter", "Tania", "Baxter", governance, "tania@trust.example"),
        mia=user("mbajin", "Mia", "Bajin", lead, "mia@trust.example"),
        jane=user("jlyon", "Jane", "Lyon", lead, "jane@trust.example"),
        ken=user("kmoss", "Ken", "Moss", lead),
    )


@pytest.fixture
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
    make_person(strategy, "Tania Baxter", [], user=people.tania)
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


@pytest.fixture
def cycle(plan):
    """The plan with 2016/17 Q4 open, updates due on 31 March 2017."""
    plan.period = open_period(
        plan.strategy, "2016/17 Q4", user=plan.tania, updates_due=datetime.date(2017, 3, 31)
    )
    return plan
