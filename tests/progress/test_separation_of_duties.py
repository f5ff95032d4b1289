"""Separation of duties: nobody accepts or returns their own update, unless the strategy
allows its small governance team to, and then the update records that it happened."""

import pytest
from django.core.exceptions import PermissionDenied

from planboard.people.permissions import own_update, own_update_refusal
from planboard.plans.models import Action, Strategy
from planboard.progress.models import Update, UpdateStatus
from planboard.progress.services import accept_update, return_update, submit_update
from tests.bounds import database_fingerprint
from tests.builders import make_person
from tests.progress.cycle import reviewer, submit

pytestmark = pytest.mark.django_db

GAVE_IT = "You gave this update, so another member of the governance team must accept or return it."


def accept(update, user):
    return accept_update(update, user=user, expected_version=update.version)


def send_back(update, user):
    return return_update(update, user=user, comment="Say more.", expected_version=update.version)


def allow_own_review(strategy, allowed=True):
    Strategy.objects.filter(pk=strategy.pk).update(allow_own_review=allowed)
    strategy.refresh_from_db()


@pytest.fixture
def gail_leads_review(plan):
    """Gail (governance) also holds the Engagement Manager role, so she co-leads 1.1 with Mia."""
    make_person(plan.strategy, "Gail Tester", [plan.em], user=plan.gail)
    return plan


@pytest.mark.parametrize("decide", [accept, send_back], ids=["accept", "return"])
def test_nobody_reviews_an_update_they_gave(plan, decide):
    update = submit(plan.review, plan.gail, "Reported by phone.")
    before = database_fingerprint()

    with pytest.raises(PermissionDenied) as refused:
        decide(update, plan.gail)

    assert str(refused.value) == GAVE_IT
    assert database_fingerprint() == before


def test_a_second_member_of_the_governance_team_reviews_it(plan):
    update = accept(submit(plan.review, plan.gail, "Reported by phone."), reviewer())

    assert (update.status, update.reviewed_by, update.own_review) == (
        UpdateStatus.ACCEPTED,
        reviewer(),
        False,
    )
    assert Action.objects.get(pk=plan.review.pk).progress == "Reported by phone."


def test_an_update_given_on_a_leads_behalf_is_that_leads_own(gail_leads_review):
    plan = gail_leads_review
    grace = reviewer()
    update = submit(plan.review, grace, "Typed in by a colleague.")
    assert update.on_behalf
    before = database_fingerprint()

    with pytest.raises(PermissionDenied) as refused:
        accept(update, plan.gail)

    assert str(refused.value) == (
        "This update was given on your behalf, as a lead of action 1.1, so another member "
        "of the governance team must accept or return it."
    )
    assert database_fingerprint() == before


def test_a_fellow_leads_update_is_theirs_not_every_leads(gail_leads_review):
    """Mia gives the update in her own name; Gail, who co-leads, is the second pair of eyes."""
    plan = gail_leads_review
    update = submit(plan.review, plan.mia, "Mapping started.")

    assert not update.on_behalf
    assert own_update_refusal(plan.gail, update) == ""
    assert accept(update, plan.gail).own_review is False


def test_the_rule_is_read_from_the_update_as_claimed_not_from_a_stale_copy(plan):
    stale = submit(plan.review, plan.mia, "Mia's first version.")
    submit_update(
        plan.review, user=plan.gail, narrative="Gail's rewrite.", expected_version=stale.version
    )
    before = database_fingerprint()

    with pytest.raises(PermissionDenied, match="You gave this update"):
        accept_update(stale, user=plan.gail, expected_version=stale.version + 1)

    assert database_fingerprint() == before


def test_a_strategy_may_let_its_small_team_review_their_own_updates(gail_leads_review):
    plan = gail_leads_review
    allow_own_review(plan.strategy)
    given = submit(plan.review, plan.gail, "Reported by phone.")
    on_behalf = submit(plan.mapping, reviewer(), "Typed in by a colleague.")

    assert own_update(plan.gail, given) == "You gave this update"
    assert own_update_refusal(plan.gail, given) == ""
    assert accept(given, plan.gail).own_review is True
    # Grace gave 1.2 for Jane, who leads it: Gail does not, so it is not her own.
    assert accept(on_behalf, plan.gail).own_review is False


def test_returning_ones_own_update_is_recorded_and_cleared_when_it_is_sent_again(plan):
    allow_own_review(plan.strategy)
    update = send_back(submit(plan.review, plan.gail, "Too short."), plan.gail)
    assert (update.status, update.own_review) == (UpdateStatus.RETURNED, True)

    again = submit_update(
        plan.review, user=plan.gail, narrative="Longer.", expected_version=update.version
    )

    assert (again.status, again.own_review) == (UpdateStatus.SUBMITTED, False)
    assert accept(again, reviewer()).own_review is False


def test_switching_the_setting_off_stops_it_at_once(plan):
    allow_own_review(plan.strategy)
    update = submit(plan.review, plan.gail, "Reported by phone.")
    allow_own_review(plan.strategy, False)

    with pytest.raises(PermissionDenied, match="another member of the governance team"):
        accept(Update.objects.get(pk=update.pk), plan.gail)

    assert Update.objects.get(pk=update.pk).status == UpdateStatus.SUBMITTED


def test_a_lead_outside_the_governance_team_is_refused_as_before(plan):
    update = submit(plan.review, plan.mia)

    with pytest.raises(PermissionDenied, match="Only the governance team may review updates."):
        accept(update, plan.mia)
