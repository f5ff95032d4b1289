"""A small plan shaped like the seed paper, and a signed-in client to read it with."""

import datetime
from types import SimpleNamespace

import pytest

from planboard.plans.models import ActionStatus
from tests.builders import make_action, make_person, make_role, make_strategy, make_theme
from tests.shared import shared


@shared
def user(cast):
    """Oscar, signed in but in no access group: he may read the plans."""
    return cast.oscar


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@shared
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


@shared
def groups(db):
    from planboard.people.access import ensure_groups

    ensure_groups()


@shared
def lead(cast, small_plan):
    """Mia's account, linked to Mia Bajin in the key: she holds EM, which leads 1.1 and 1.2."""
    small_plan.mia.user = cast.mia
    small_plan.mia.save()
    return cast.mia


@shared
def other_lead(cast, small_plan):
    """Jane's account, linked to Jane Lyon, who holds Head of SUEMU only (1.2 and 1.3)."""
    make_person(small_plan.strategy, "Jane Lyon", [small_plan.head], user=cast.jane)
    return cast.jane


@shared
def governor(cast):
    return cast.gail


@shared
def board_member(cast):
    return cast.bob


@pytest.fixture
def client_for():
    """A new, separate browser session signed in as ``user``."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@shared
def open_quarter(small_plan, governor):
    """2016/17 Q4 (January to March 2017), open for updates."""
    from planboard.progress.services import open_period

    return open_period(small_plan.strategy, "2016/17 Q4", user=governor)
