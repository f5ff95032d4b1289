"""The cycle's pages cost the same number of queries for a plan ten times larger."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planboard.people.models import Person
from planboard.plans.models import Action
from planboard.progress.services import (
    accept_update,
    close_period,
    open_period,
    return_update,
    submit_update,
)
from tests.builders import make_large_plan
from tests.cast import reviewer
from tests.shared import shared

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def run_quarters(strategy, governor, lead):
    """Q3 with updates, closed; Q4 open with updates waiting, returned and accepted.

    The governor gives every update on the leads' behalf and a second member of the
    governance team reviews them, so the governor's queue says why each waiting update
    is not theirs to decide.
    """
    person = Person.objects.filter(strategy=strategy, roles__abbreviation="EM").first()
    person.user = lead
    person.save()
    actions = list(Action.objects.for_strategy(strategy).select_related("theme").in_plan_order())
    q3 = open_period(strategy, "2016/17 Q3", user=governor)
    for action in actions[::7]:
        update = submit_update(action, user=governor, narrative=f"Q3 on {action.ref}.")
        accept_update(update, user=reviewer(), expected_version=update.version)
    close_period(q3, user=governor)
    open_period(strategy, "2016/17 Q4", user=governor)
    for n, action in enumerate(actions[::5]):
        update = submit_update(action, user=governor, narrative=f"Q4 on {action.ref}.")
        if n % 3 == 1:
            return_update(update, user=reviewer(), comment="More.", expected_version=update.version)
        elif n % 3 == 2:
            accept_update(update, user=reviewer(), expected_version=update.version)


@shared
def plans(django_user_model, governor):
    """Two plans, of 49 and 490 actions, each two quarters into the cycle: built once for
    the file's tests (tests/shared.py), as the building is not what they test."""
    small, large = make_large_plan(slug="small", actions=49), make_large_plan(slug="large")
    leads = []
    for strategy in (small, large):
        lead = django_user_model.objects.create_user(f"lead-{strategy.slug}")
        run_quarters(strategy, governor, lead)
        leads.append(lead)
    return (small, leads[0]), (large, leads[1])


def test_every_cycle_page_costs_the_same_for_a_plan_ten_times_larger(client_for, governor, plans):
    (small, small_lead), (large, large_lead) = plans
    mine = Action.objects.filter(leads__people__user=large_lead).count()
    assert mine >= 5 * Action.objects.filter(leads__people__user=small_lead).count()
    governance = client_for(governor)
    pages = [
        "periods/",
        "periods/2016-17-q4/",
        "periods/2016-17-q4/review/",
        "periods/2016-17-q4/close/",
        "periods/2016-17-q3/",
        "actions/1.1/update/",
        "actions/1.1/",
    ]
    counts = {
        page: (
            queries(governance, f"/strategies/{small.slug}/{page}"),
            queries(governance, f"/strategies/{large.slug}/{page}"),
        )
        for page in pages
    }
    counts["my actions"] = (
        queries(client_for(small_lead), "/my-actions/"),
        queries(client_for(large_lead), "/my-actions/"),
    )

    assert {page: small for page, (small, large) in counts.items() if small != large} == {}, counts


def test_the_review_queue_costs_the_same_with_previous_updates_shown_and_narrowed(
    client_for, governor, plans
):
    """Each waiting update shows its action's last accepted update (from Q3 where there
    is one); narrowed to a theme and a lead, the queue costs no more."""
    (small, _), (large, _) = plans
    governance = client_for(governor)
    for strategy in (small, large):
        page = governance.get(f"/strategies/{strategy.slug}/periods/2016-17-q4/review/").text
        assert "2016/17 Q3:" in page and "Q3 on " in page
    lead = large.roles.filter(actions__isnull=False).first()
    narrowed = f"periods/2016-17-q4/review/?theme=1&lead={lead.pk}"
    counts = [
        queries(governance, f"/strategies/{small.slug}/periods/2016-17-q4/review/"),
        queries(governance, f"/strategies/{large.slug}/periods/2016-17-q4/review/"),
        queries(governance, f"/strategies/{large.slug}/{narrowed}"),
    ]
    small_count, large_count, narrowed_count = counts
    assert small_count == large_count and narrowed_count <= large_count, counts
