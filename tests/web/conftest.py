"""A small plan shaped like the seed paper, and a signed-in client to read it with."""

import datetime
from types import SimpleNamespace

import pytest

from planboard.plans.models import ActionStatus
from tests.builders import make_action, make_person, make_role, make_strategy, make_theme


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("tbaxter", first_name="Tania", last_name="Baxter")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def small_plan(db):
    """Two themes; a Green, a Yellow (not in the key), an unrated and an Amber action.

    Commitment 1.3 and both commitments of theme 2 are served by no action; Finance
    leads an action but is not in the key of roles.
    """
    strategy = make_strategy(slug="demo", title="Demo engagement strategy")
    culture = make_theme(strategy, title="Focussed Culture Change", commitments=3)
    reach = make_theme(strategy, title="Communication and Reach", commitments=2)
    em = make_role(strategy, "Engagement Manager", "EM")
    head = make_role(strategy, "Head of SUEMU")
    finance = make_role(strategy, "Finance", in_key=False)
    mia = make_person(strategy, "Mia Bajin", [em])
    laura = make_person(strategy, "Laura Di Bona", [em])
    first, second, _ = culture.commitments.all()
    review = make_action(
        culture,
        "Review the structure of SUSEG meetings.",
        area="SUSEG",
        rating="Green",
        leads=[em],
        commitments=[first, second],
        lead_text="EM",
    )
    mapping = make_action(
        culture,
        "Map service user engagement across the directorates.",
        area="SUSEG",
        target=datetime.date(2017, 4, 30),
        rating="Yellow",
        leads=[em, head],
        commitments=[first],
        lead_text="EM/Head of SUEMU",
    )
    training = make_action(
        culture,
        "Train a service user in quality improvement.",
        area="Quality Improvement Team",
        target=None,
        status=ActionStatus.COMPLETE,
        leads=[head],
        commitments=[second],
    )
    materials = make_action(
        reach,
        "Revise service user information materials.",
        area="SUSEG",
        target=datetime.date(2099, 12, 31),
        rating="Amber",
        status=ActionStatus.NOT_STARTED,
        leads=[finance],
    )
    return SimpleNamespace(
        strategy=strategy,
        culture=culture,
        reach=reach,
        em=em,
        head=head,
        finance=finance,
        mia=mia,
        laura=laura,
        review=review,
        mapping=mapping,
        training=training,
        materials=materials,
    )


# --- the quarterly cycle ----------------------------------------------------


@pytest.fixture
def groups(db):
    from planboard.people.access import ensure_groups

    ensure_groups()


def _member(django_user_model, username, first, last, group, **fields):
    from django.contrib.auth.models import Group

    person = django_user_model.objects.create_user(
        username, first_name=first, last_name=last, **fields
    )
    person.groups.add(Group.objects.get(name=group))
    return person


@pytest.fixture
def lead(django_user_model, groups, small_plan):
    """Mia Bajin's account: she holds EM, which leads actions 1.1 and 1.2."""
    from planboard.people.access import LEAD

    account = _member(django_user_model, "mbajin", "Mia", "Bajin", LEAD)
    small_plan.mia.user = account
    small_plan.mia.save()
    return account


@pytest.fixture
def other_lead(django_user_model, groups, small_plan):
    """A lead who holds Head of SUEMU only (actions 1.2 and 1.3)."""
    from planboard.people.access import LEAD
    from tests.builders import make_person

    account = _member(django_user_model, "jlyon", "Jane", "Lyon", LEAD)
    make_person(small_plan.strategy, "Jane Lyon", [small_plan.head], user=account)
    return account


@pytest.fixture
def governor(django_user_model, groups):
    from planboard.people.access import GOVERNANCE

    return _member(django_user_model, "hcg", "Helen", "Governance", GOVERNANCE, is_staff=True)


@pytest.fixture
def board_member(django_user_model, groups):
    from planboard.people.access import BOARD_MEMBER

    return _member(django_user_model, "board", "Bea", "Board", BOARD_MEMBER)


@pytest.fixture
def client_for():
    """A new, separate browser session signed in as ``user``."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def open_quarter(small_plan, governor):
    """2016/17 Q4 (January to March 2017), open for updates."""
    from planboard.progress.services import open_period

    return open_period(small_plan.strategy, "2016/17 Q4", user=governor)
