"""The review queue and one's own update: the reason in place of the buttons, a forged
post refused with that reason and nothing changed, and the small team's allowance."""

import re

import pytest

from planboard.plans.models import Action, Strategy
from planboard.progress.models import Update, UpdateStatus
from planboard.progress.services import submit_update
from tests.bounds import database_fingerprint
from tests.builders import make_person
from tests.web.cycle import decide, review_url
from tests.web.pages import errors

pytestmark = pytest.mark.django_db

GAVE_IT = "You gave this update, so another member of the governance team must accept or return it."
# The buttons of an update the reviewer may decide on: accept, return, accept with changes.
DECISIONS = ["accept", "return", "adjust"]


@pytest.fixture
def queue(lead, governor, small_plan, open_quarter):
    """Two updates waiting: Gail gave 1.1 on Mia's behalf; Mia gave 1.2 herself."""
    mine = submit_update(small_plan.review, user=governor, narrative="From the phone call.")
    theirs = submit_update(small_plan.mapping, user=lead, narrative="Two directorates mapped.")
    return mine, theirs


def section(text, update):
    """The queue's section for ``update``."""
    start = text.index(f'id="update-{update.pk}"')
    end = text.find('<section class="pb-review"', start)
    return text[start : end if end != -1 else len(text)]


def buttons(html):
    return re.findall(r'name="decision" value="(\w+)"', html)


def test_ones_own_update_shows_why_in_place_of_the_buttons(client_for, governor, queue):
    mine, theirs = queue

    text = client_for(governor).get(review_url()).text

    own = section(text, mine)
    assert buttons(own) == []
    assert 'class="nhsuk-inset-text pb-refusal"' in own
    assert GAVE_IT in own
    assert buttons(section(text, theirs)) == DECISIONS
    assert GAVE_IT not in section(text, theirs)


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_a_forged_post_is_refused_in_one_line_and_changes_nothing(
    client_for, governor, queue, small_plan, decision
):
    mine, _ = queue
    client = client_for(governor)  # signing in records the time, so before the fingerprint
    before = database_fingerprint()

    response = decide(client, mine, decision, comment="Fine.")

    assert response.status_code == 403
    summary, _ = errors(response.text)
    assert summary == [(f"#update-{mine.pk}", "Action 1.1: y" + GAVE_IT[1:])]
    assert database_fingerprint() == before
    assert Update.objects.get(pk=mine.pk).status == UpdateStatus.SUBMITTED
    assert Action.objects.get(pk=small_plan.review.pk).progress == ""


def test_another_member_of_the_governance_team_accepts_it(client_for, queue):
    from tests.cast import reviewer

    mine, _ = queue
    client = client_for(reviewer())

    assert buttons(section(client.get(review_url()).text, mine)) == DECISIONS
    response = decide(client, mine, "accept")

    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.own_review) == (UpdateStatus.ACCEPTED, False)


def test_a_governance_co_lead_reviews_a_fellow_leads_update(client_for, governor, queue):
    """Gail co-leads 1.2 (as Head of SUEMU); Mia gave its update in her own name."""
    _, theirs = queue
    make_person(theirs.action.theme.strategy, "Gail Tester", [theirs.action.leads.last()])

    text = client_for(governor).get(review_url()).text

    assert buttons(section(text, theirs)) == DECISIONS


def test_a_small_team_may_review_their_own_and_is_told_the_paper_says_so(
    client_for, governor, queue, small_plan
):
    mine, _ = queue
    Strategy.objects.filter(pk=small_plan.strategy.pk).update(allow_own_review=True)
    client = client_for(governor)

    own = section(client.get(review_url()).text, mine)
    assert buttons(own) == DECISIONS
    assert (
        "You gave this update. This strategy lets its governance team review their own "
        "updates; if you accept it, the paper&#39;s appendix will say so."
    ) in own
    response = decide(client, mine, "accept")

    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.own_review) == (UpdateStatus.ACCEPTED, True)
