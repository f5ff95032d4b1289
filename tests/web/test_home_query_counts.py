"""The home page costs the same number of queries for a plan ten times larger, in every
part: a lead's, the governance team's and a board member's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from planboard.papers.generation import request_paper
from planboard.people.models import Person
from planboard.plans.models import Action, Strategy
from planboard.progress.services import close_period, open_period, return_update, submit_update
from planboard.public.requests import send_request
from planboard.web.home import home_page
from tests.builders import make_large_plan
from tests.cast import reviewer

pytestmark = pytest.mark.django_db

# Every part of the page for someone who plays every part, two strategies with open
# periods included (the governance part asks about a dozen for each such strategy).
BUDGET = 40  # 39 today


def run_quarters(strategy, governor, everyone):
    """Q3 closed with its paper as a web page; Q4 open with every tenth action's update
    waiting or returned, and a request for another format for each; ``everyone`` is
    linked to every person in the key who holds a role, so leads what they lead."""
    Person.objects.filter(strategy=strategy, roles__isnull=False).update(user=everyone)
    q3 = close_period(open_period(strategy, "2016/17 Q3", user=governor), user=governor)
    request_paper(strategy, q3, "html", user=governor)
    open_period(strategy, "2016/17 Q4", user=governor)
    actions = list(Action.objects.for_strategy(strategy).select_related("theme").in_plan_order())
    for n, action in enumerate(actions[::10]):
        update = submit_update(action, user=governor, narrative=f"Q4 on {action.ref}.")
        if n % 2:
            return_update(update, user=reviewer(), comment="More.", expected_version=update.version)
        send_request(strategy, format="braille", name=f"Reader {n}", contact="r@example.org")


@pytest.fixture
def plans(django_user_model, governor):
    everyone = django_user_model.objects.create_superuser("everyone", email="")
    small = make_large_plan(slug="small", actions=20, themes=3)
    large = make_large_plan(slug="large", actions=200, themes=3)
    for strategy in (small, large):
        run_quarters(strategy, governor, everyone)
    return small, large, everyone


def count(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def test_each_part_costs_the_same_for_a_plan_ten_times_larger(plans):
    small, large, everyone = plans
    assert (
        Action.objects.for_strategy(large).count()
        == 10 * Action.objects.for_strategy(small).count()
    )
    today = timezone.localdate()

    def page(strategy):
        home = home_page(everyone, Strategy.objects.filter(pk=strategy.pk), today)
        assert home.governance[0].waiting and home.governance[0].leads and home.papers
        assert home.board[0].exceptions and home.lead
        return home

    assert count(lambda: page(small)) == count(lambda: page(large))


def test_the_page_keeps_to_its_budget(plans, client, django_assert_max_num_queries):
    small, large, everyone = plans
    client.force_login(everyone)

    with django_assert_max_num_queries(BUDGET):
        response = client.get("/")

    assert response.status_code == 200
    for part in ("your-actions", "for-governance", "for-the-board", "strategies"):
        assert f'<section id="{part}"' in response.text
