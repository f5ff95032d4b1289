"""The seed plan with a quarterly record, and tokens to read and write it with."""

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.shared import shared


@shared
def api_world(seed_strategy, cast):
    """The seed with 2016/17 Q3 closed and Q4 open: Mia (a lead, holding the seed's
    Engagement Manager) has an update accepted by Gail and one waiting for review; Q4's
    paper is made in HTML.

    Tokens: ``reader`` (Oscar, read), ``governor`` (Gail, write), ``lead`` (Mia, write).
    """
    from planboard.api.tokens import create_token
    from planboard.papers.generation import request_paper
    from planboard.plans.models import Action
    from planboard.progress.services import accept_update, close_period, open_period
    from tests.cast import lead
    from tests.progress.cycle import Q3, Q4, submit

    strategy = seed_strategy
    gail, oscar = cast.gail, cast.oscar
    close_period(open_period(strategy, Q3, user=gail), user=gail)
    period = open_period(strategy, Q4, user=gail)
    em = strategy.roles.get(abbreviation="EM")
    mia = lead(strategy, [em], "mia")
    led = list(Action.objects.for_strategy(strategy).filter(leads=em).in_plan_order()[:2])
    accepted = submit(led[0], mia, narrative="The SUSEG meetings now follow the new structure.")
    accept_update(accepted, user=gail, expected_version=accepted.version)
    submit(led[1], mia, narrative="Mapping has begun in two directorates.")
    paper = request_paper(strategy, period, "html", user=gail)
    secrets = {}
    for name, user, scope in (
        ("reader", oscar, "read"),
        ("governor", gail, "write"),
        ("lead", mia, "write"),
    ):
        secrets[name] = create_token(user, owner=user, name=f"{name} token", scope=scope)[1]
    return SimpleNamespace(
        strategy=strategy,
        period=period,
        accepted=led[0].ref,
        waiting=led[1].ref,
        paper=paper.pk,
        secrets=secrets,
    )


@pytest.fixture
def reader(api_world):
    """A client sending the read token."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_world.secrets['reader']}")
