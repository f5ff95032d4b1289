"""A small strategy with feedback across two quarters and two directorates, for the
tests of the paper's "you said, we did" section, and the figures worked by hand.

2016/17 Q4 (January to March 2017) is the paper's quarter:

- item 1, Willow ward (Adult services), 2 January, a concern: answered 4 January with a
  change planned, 10 February with the change made; published 20 February, serving
  commitment 1.1;
- item 2, Crisis team (Adult services), 1 February, a concern: answered 5 February with
  no change claimed; published, then withdrawn;
- item 3, Home treatment (Community services), 1 March, a concern: answered 11 March with
  a change made; never published, its text and staff-only field marked;
- item 4, no service, 20 March: no answer, and a draft publication never approved.

2016/17 Q3: item 5, Willow ward, 15 November 2016, answered the next day; published on
1 December 2016.

By hand, for Q4: the whole strategy received 4; first answers after 2, 4 and 10 days
(median 4); of the 4 responses to concerns, 3 plan or make a change (75%); 2 changes
made (10 February, 11 March). Adult services: 2 received, median 3 days, 2 of 3 (67%),
1 change made. Community services: 1, 10 days, 100%, 1. No Friends and Family Test
answers: "no data". Per quarter: Q1 and Q2 nothing, Q3 1 received, Q4 4 received and
2 changes made.
"""

import datetime

from django.test import override_settings

from planboard.feedback.loop import record_response
from planboard.feedback.models import Change, FeedbackPublication, Service, ServiceKind, Source
from planboard.feedback.publishing import publish, withdraw
from planboard.feedback.services import link_feedback, record_item, save_feedback_service
from tests.cast import governance
from tests.feedback.helpers import at, make_feedback_plan

SECRET_TEXT = "Zanzibar-item-text-never-printed"
STAFF_ONLY = "Quixotic-criticality-never-printed"
WITHDRAWN = "Withdrawn-summary-never-printed"
DRAFT = "Draft-summary-never-printed"
EARLIER = "Earlier-quarter-summary"
YOU_SAID = "Nobody rang me back after I left the ward."
WE_DID = "The ward now rings everyone within a day of discharge."


def item(strategy, n, services, received, concern=False, **values):
    values.setdefault("text", f"Comment {n}.")
    return record_item(
        strategy,
        user=None,
        source=Source.CARE_OPINION,
        source_id=str(n),
        received_at=received,
        raised_concern=concern,
        services=services,
        **values,
    ).item


def respond(item, when, change=Change.NONE):
    record_response(item, user=None, responded_at=when, text="Thank you.", change=change)


def publish_on(day, item, you_said, we_did, gail):
    with override_settings(DEMO_TODAY=day):
        return publish(item, user=gail, you_said=you_said, we_did=we_did)


def make_feedback_strategy(slug="fb-paper", username="gail-fb"):
    """The strategy above; returns (strategy, gail)."""
    strategy, adults, ward, team, action = make_feedback_plan(slug)
    community = save_feedback_service(
        Service(strategy=strategy, name="Community services", kind=ServiceKind.DIRECTORATE),
        user=None,
    )
    home = save_feedback_service(
        Service(strategy=strategy, name="Home treatment", parent=community), user=None
    )
    gail = governance(username)
    first = item(strategy, 1, [ward], at(2017, 1, 2), concern=True)
    respond(first, at(2017, 1, 4), Change.PLANNED)
    respond(first, at(2017, 2, 10), Change.MADE)
    commitment = action.theme.commitments.get(number=1)
    link_feedback(first, user=gail, commitments=[commitment])
    publish_on(datetime.date(2017, 2, 20), first, YOU_SAID, WE_DID, gail)
    second = item(strategy, 2, [team], at(2017, 2, 1), concern=True)
    respond(second, at(2017, 2, 5))
    publish_on(datetime.date(2017, 2, 6), second, WITHDRAWN, "Something withdrawn.", gail)
    with override_settings(DEMO_TODAY=datetime.date(2017, 2, 7)):
        withdraw(second, user=gail)
    third = item(
        strategy,
        3,
        [home],
        at(2017, 3, 1),
        concern=True,
        text=f"The home visits were late. {SECRET_TEXT}",
        staff_only={"criticality": STAFF_ONLY},
    )
    respond(third, at(2017, 3, 11), Change.MADE)
    fourth = item(strategy, 4, [], at(2017, 3, 20))
    FeedbackPublication.objects.create(item=fourth, you_said=DRAFT, we_did=DRAFT)
    earlier = item(strategy, 5, [ward], at(2016, 11, 15))
    respond(earlier, at(2016, 11, 16))
    publish_on(datetime.date(2016, 12, 1), earlier, EARLIER, "Something done earlier.", gail)
    return strategy, gail
