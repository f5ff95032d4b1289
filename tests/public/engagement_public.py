"""Engagement data for the public summary's tests: four activities worked by hand, a
marker in every internal field, the outcomes of two published and the summary too."""

import datetime
from decimal import Decimal

from planboard.engagement.models import (
    Activity,
    Characteristic,
    Involvement,
    Kind,
    Level,
    Participant,
    Perspective,
    Reward,
)
from planboard.engagement.register import save_involvement, save_participant
from planboard.engagement.services import (
    publish_outcome,
    save_activity,
    set_equality_counts,
    set_participation,
    withdraw_outcome,
)
from planboard.feedback.models import Service, ServiceKind
from planboard.feedback.services import save_feedback_service
from planboard.public.engagement_publishing import save_engagement_summary
from tests.builders import make_person
from tests.shared import shared

INTRODUCTION = "We ask the people who use our services to help us plan and change them."
MENU = "We changed the menu so people can choose a hot meal at night."
CLINIC = "We moved the clinic times after people told us mornings were hard."

# Every internal field holds a marker no public address may show.
MARKERS = {
    "purpose": "LEAKPURPOSE4471",
    "outcome": "LEAKSTAFFOUTCOME4471",
    "ref": "LEAKREF4471",
    "fed_back_how": "LEAKFEDBACK4471",
    "lead": "Leakmark Quorrington",
    "participant": "Zelphina Leakwhistle",
    "contact": "LEAKCONTACT4471",
    "access_needs": "LEAKACCESS4471",
    "role": "LEAKROLE4471",
    "equality": "LEAKEQUALITY4471",
    "withdrawn": "LEAKWITHDRAWN4471",
    "unpublished": "LEAKUNPUBLISHED4471",
}


def _activity(strategy, title, level, kind, services, starts_on, counts, **fields):
    activity = Activity(
        strategy=strategy, title=title, level=level, kind=kind, starts_on=starts_on, **fields
    )
    save_activity(activity, user=None, services=services)
    set_participation(activity, counts, user=None)
    return activity


def plant_engagement(strategy, editor):
    """``strategy`` (published) with four activities (worked by hand below):

    ============================  ===========  ===============  ===========================
    activity                      level        about            took part
    ============================  ===========  ===============  ===========================
    Ward menu group               co-produce   Maple ward       12 service users, 3 carers
    Carers forum                  consult      Acute, Community 8 carers
    Pharmacy survey               inform       Pharmacy         2 public
    Clinic times consultation     involve      (the trust)      20 service users
    ============================  ===========  ===============  ===========================

    The menu's and the clinic's outcomes are published (the clinic's last), the forum's
    was published and withdrawn, the survey's public outcome was never published.
    """

    def service(name, kind=ServiceKind.SERVICE, parent=None):
        record = Service(strategy=strategy, name=name, kind=kind, parent=parent)
        return save_feedback_service(record, user=None)

    acute = service("Acute care", ServiceKind.DIRECTORATE)
    community = service("Community care", ServiceKind.DIRECTORATE)
    maple = service("Maple ward", parent=acute)
    pharmacy = service("Pharmacy")
    lead = make_person(strategy, MARKERS["lead"])
    day = datetime.date(2017, 5, 10)
    menu = _activity(
        strategy,
        "Ward menu group",
        Level.COPRODUCE,
        Kind.COPRODUCTION,
        [maple],
        day,
        {Perspective.SERVICE_USER: 12, Perspective.CARER: 3},
        purpose=MARKERS["purpose"],
        outcome=MARKERS["outcome"],
        ref=MARKERS["ref"],
        lead=lead,
        fed_back_on=day,
        fed_back_how=MARKERS["fed_back_how"],
    )
    forum = _activity(
        strategy,
        "Carers forum",
        Level.CONSULT,
        Kind.STANDING_GROUP,
        [acute, community],
        day,
        {Perspective.CARER: 8},
        ongoing=True,
    )
    _activity(
        strategy,
        "Pharmacy survey",
        Level.INFORM,
        Kind.SURVEY,
        [pharmacy],
        day,
        {Perspective.PUBLIC: 2},
        public_outcome=MARKERS["unpublished"],
    )
    clinic = _activity(
        strategy,
        "Clinic times consultation",
        Level.INVOLVE,
        Kind.CONSULTATION,
        [],
        datetime.date(2017, 6, 1),
        {Perspective.SERVICE_USER: 20},
        ends_on=datetime.date(2017, 8, 31),
    )
    set_equality_counts(menu, {(Characteristic.ETHNICITY, MARKERS["equality"]): 3}, user=None)
    person = Participant(
        strategy=strategy,
        name=MARKERS["participant"],
        contact=MARKERS["contact"],
        access_needs=MARKERS["access_needs"],
    )
    save_participant(person, user=None)
    save_involvement(
        Involvement(
            participant=person,
            activity=menu,
            took_part_on=day,
            role=MARKERS["role"],
            hours=Decimal(2),
            reward=Reward.NONE,
        ),
        user=None,
    )
    publish_outcome(forum, user=editor, text=MARKERS["withdrawn"])
    withdraw_outcome(forum, user=editor)
    publish_outcome(menu, user=editor, text=MENU)
    publish_outcome(clinic, user=editor, text=CLINIC)
    save_engagement_summary(strategy, summary=INTRODUCTION, published=True, version=0, user=editor)
    return strategy


@shared
def public_engagement(published, editor):
    """The seed strategy, published, with ``plant_engagement``'s activities."""
    return plant_engagement(published, editor)
