"""Pages cost the same number of queries for a plan of 49 actions and one of 490."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planboard.plans.models import Action
from tests.builders import make_large_plan
from tests.shared import shared


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@shared
def plans(db):
    return make_large_plan(slug="small", actions=49), make_large_plan(slug="large", actions=490)


@pytest.mark.parametrize("page", ["plan", "commitments", "people", "findings"])
def test_a_strategy_page_costs_the_same_for_a_plan_ten_times_larger(signed_in, plans, page):
    small, large = plans
    small_count = queries(signed_in, reverse(page, kwargs={"slug": small.slug}))
    large_count = queries(signed_in, reverse(page, kwargs={"slug": large.slug}))
    assert small_count == large_count


def test_the_filtered_plan_costs_the_same_as_the_whole_plan(signed_in, plans):
    small, large = plans
    lead = large.roles.first()
    url = reverse("plan", kwargs={"slug": large.slug})
    whole = queries(signed_in, url)
    assert queries(signed_in, f"{url}?rag=not-in-key&lead={lead.pk}&overdue=on") == whole


def test_the_home_page_costs_the_same_however_many_strategies(signed_in, plans):
    one_more = queries(signed_in, "/")
    make_large_plan(slug="third", actions=20)
    assert queries(signed_in, "/") == one_more


def test_the_action_page_costs_the_same_however_long_its_history(signed_in, plans):
    small, _ = plans
    action = Action.objects.for_strategy(small).in_plan_order().first()
    url = reverse("action", kwargs={"slug": small.slug, "ref": action.ref})

    def change(n):
        action.progress = f"Update {n}"
        action.save()
        action.leads.set(small.roles.all()[n % 3 : n % 3 + 2])

    change(0)
    short = queries(signed_in, url)
    for n in range(1, 11):
        change(n)
    assert queries(signed_in, url) == short


@pytest.mark.parametrize("page", ["plan", "commitments", "people", "findings"])
def test_the_seed_costs_the_same_as_a_plan_ten_times_larger(signed_in, seed_strategy, page):
    large = make_large_plan(slug="ten-times", actions=490)
    assert Action.objects.for_strategy(seed_strategy).count() * 10 == 490

    seed_count = queries(signed_in, reverse(page, kwargs={"slug": seed_strategy.slug}))
    large_count = queries(signed_in, reverse(page, kwargs={"slug": large.slug}))

    assert seed_count == large_count


def test_the_plan_costs_the_same_searched_and_with_progress_and_overdue_in_every_row(
    signed_in, plans
):
    small, large = plans
    small_url = reverse("plan", kwargs={"slug": small.slug})
    url = reverse("plan", kwargs={"slug": large.slug})
    small_count = queries(signed_in, small_url)
    long_progress = " ".join(["Work continues with the directorates."] * 10)
    Action.objects.for_strategy(large).update(progress=long_progress)

    page = signed_in.get(url)
    assert page.text.count(">more<span") == 490
    assert 'class="pb-overdue"' in page.text
    assert queries(signed_in, url) == small_count
    assert queries(signed_in, f"{url}?search=1") == small_count
    assert queries(signed_in, f"{url}?search=directorates+work&overdue=on") == small_count
