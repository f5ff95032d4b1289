"""A small strategy with engagement across two quarters and two directorates, for the
tests of the paper's "Service user engagement" section, and the figures worked by hand.

The plan (``tests.engagement.helpers.make_engagement_plan``): directorates Acute (with
Maple ward) and Community (with Home treatment), Pharmacy with no directorate above
it; commitments 1.1 to 1.3; action 1 cites 1.2. 2016/17 Q4 (January to March 2017) is
the paper's quarter:

- "Ward round redesign", Maple ward, co-produce, 10 January to 20 February: serves 1.1;
  outcome recorded and fed back on 1 March; 6 service users and 2 carers;
- "SUSEG", no service, involve, a standing group since 5 October 2016, ongoing: serves
  action 1 (so 1.2); 4 Experts by Experience;
- "Discharge survey", Acute, consult, 1 February (one-off): outcome recorded, not fed
  back; 30 service users;
- "Leaflet review", Acute, inform, 10 March (one-off): no outcome;
- "Home visits event", Home treatment, inform, 15 November 2016 (Q3): 50 public;
- "Pharmacy panel", Pharmacy, collaborate, 1 May 2017 (after the quarter).

Five people took part in the redesign on 20 January, each 2 hours paid at £10 an hour
(the "Working group member" rate from 1 April 2016; a £12 rate from 1 April 2017 is not
in force yet): £20 each; the marked person also claimed £5.50 expenses, and was paid on
15 March. A sixth person volunteered with no reward.

By hand, for Q4: Acute 1 inform, 1 consult, 1 co-produce (3 activities, highest
Co-produce); Community and Pharmacy none; across the trust 1 involve; the whole trust
1 inform, 1 consult, 1 involve, 1 co-produce (4). Commitment 1.3 served by none.
Per quarter: Q1 and Q2 nothing, Q3 1 inform and 1 involve (2), Q4 as above (4).
Ended in Q4: 3 (the redesign, the survey, the leaflet review); 2 recorded an outcome,
1 fed it back. Participation: 36 service users, 4 Experts by Experience, 2 carers.
Reward: due for Q4 £105.50 for 5 people; paid in Q4 for 1 person: "fewer than 5", the
amount not shown.
"""

import datetime
from decimal import Decimal

from planboard.engagement.models import Involvement, Kind, Level, Participant, Reward, RewardRate
from planboard.engagement.register import mark_paid, save_involvement, save_participant, save_rate
from planboard.engagement.services import set_participation
from tests.cast import governance
from tests.engagement.helpers import add_activity, make_engagement_plan

NAME_MARKER = "Zephyrine Quillfeather-Ombudsworth"
CONTACT_MARKER = "zq.never-printed@example.invalid"
ACCESS_MARKER = "Needs-a-quiet-room-never-printed"
RATE = "Working group member"
MAP = [
    ["Whole trust", "1", "1", "1", "0", "1", "4", "Co-produce"],
    ["Acute", "1", "1", "0", "0", "1", "3", "Co-produce"],
    ["Community", "0", "0", "0", "0", "0", "0", "None"],
    ["Pharmacy", "0", "0", "0", "0", "0", "0", "None"],
    ["Across the trust", "0", "0", "1", "0", "0", "1", "Involve"],
]
TREND = [
    ["2016/17 Q1", "0", "0", "0", "0", "0", "0"],
    ["2016/17 Q2", "0", "0", "0", "0", "0", "0"],
    ["2016/17 Q3", "1", "0", "1", "0", "0", "2"],
    ["2016/17 Q4", "1", "1", "1", "0", "1", "4"],
]
PERSPECTIVES = [("Service users", 36), ("Experts by Experience", 4), ("Carers", 2)]
DUE = Decimal("105.50")


def day(month, n, year=2017):
    return datetime.date(year, month, n)


def make_engagement_strategy(slug="eng-paper", username="gail-eng"):
    """The strategy above; returns (strategy, gail)."""
    strategy, places, commitments, (first, _second) = make_engagement_plan(slug)
    gail = governance(username)
    redesign = add_activity(
        strategy,
        "Ward round redesign",
        starts_on=day(1, 10),
        ends_on=day(2, 20),
        level=Level.COPRODUCE,
        kind=Kind.COPRODUCTION,
        services=[places["maple"]],
        commitments=[commitments[0]],
        outcome="The ward round now starts with the patient's own agenda.",
        fed_back_on=day(3, 1),
        fed_back_how="At the ward community meeting.",
    )
    set_participation(redesign, {"service_user": 6, "carer": 2}, user=gail)
    suseg = add_activity(
        strategy,
        "SUSEG",
        starts_on=day(10, 5, 2016),
        ongoing=True,
        level=Level.INVOLVE,
        kind=Kind.STANDING_GROUP,
        actions=[first],
    )
    set_participation(suseg, {"expert_by_experience": 4}, user=gail)
    survey = add_activity(
        strategy,
        "Discharge survey",
        starts_on=day(2, 1),
        services=[places["acute"]],
        kind=Kind.SURVEY,
        outcome="Discharge letters are sent the same day.",
    )
    set_participation(survey, {"service_user": 30}, user=gail)
    add_activity(
        strategy,
        "Leaflet review",
        starts_on=day(3, 10),
        level=Level.INFORM,
        services=[places["acute"]],
    )
    event = add_activity(
        strategy,
        "Home visits event",
        starts_on=day(11, 15, 2016),
        level=Level.INFORM,
        services=[places["home"]],
    )
    set_participation(event, {"public": 50}, user=gail)
    add_activity(
        strategy,
        "Pharmacy panel",
        starts_on=day(5, 1),
        level=Level.COLLABORATE,
        kind=Kind.RECRUITMENT,
        services=[places["pharmacy"]],
    )
    for valid_from, amount in ((day(4, 1, 2016), "10"), (day(4, 1), "12")):
        save_rate(
            RewardRate(strategy=strategy, name=RATE, amount=Decimal(amount), valid_from=valid_from),
            user=gail,
        )
    reward_people(strategy, redesign, gail)
    return strategy, gail


def reward_people(strategy, activity, gail, count=5, marked=True):
    """``count`` people paid for 2 hours of ``activity`` on 20 January, the first of them
    the marked person (with £5.50 expenses, paid on 15 March), and one volunteer."""
    for n in range(count + 1):
        name = NAME_MARKER if marked and n == 0 else f"Registered-person-{activity.pk}-{n}"
        person = save_participant(
            Participant(
                strategy=strategy,
                name=name,
                contact=CONTACT_MARKER if n == 0 else "",
                access_needs=ACCESS_MARKER if n == 0 else "",
                consent_given_on=day(1, 2),
            ),
            user=gail,
        )
        volunteer = n == count
        involvement = save_involvement(
            Involvement(
                participant=person,
                activity=activity,
                took_part_on=day(1, 20),
                role="Volunteer" if volunteer else "Working group member",
                hours=Decimal(2),
                reward=Reward.NONE if volunteer else Reward.PAYMENT,
                expenses=Decimal("5.50") if n == 0 else Decimal(0),
            ),
            user=gail,
            rate_name="" if volunteer else RATE,
        )
        if n == 0:
            mark_paid([involvement], user=gail, paid_on=day(3, 15))
