"""The demo's engagement map: the seed's directorates and a dozen made-up activities
across every level, with a visible gap, and a small made-up register.

``planboard demo`` calls ``ensure_demo_engagement`` so a newcomer sees the map, the
activity pages, the register and the paper's section working. The seed's text names
the Community directorate and the Psychotherapy service (its "recent Community and
Psychotherapy events"), SUSEG, SUNRISE and Recovery Enterprises; the other
directorates are invented, and the Learning disabilities directorate has no activity
at all, so the map shows a gap. Every activity, person and rate here is made up. It
goes through the engagement app's services, and only when the strategy has no
activity yet, so nothing recorded in the demo is ever undone or duplicated.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from planboard.engagement.models import (
    Activity,
    Involvement,
    Kind,
    Level,
    Participant,
    RateUnit,
    Recurrence,
    Reward,
    RewardRate,
)
from planboard.engagement.register import (
    mark_paid,
    save_involvement,
    save_participant,
    save_rate,
)
from planboard.engagement.services import publish_outcome, save_activity, set_participation
from planboard.feedback.models import Service, ServiceKind
from planboard.feedback.services import save_feedback_service
from planboard.plans.models import Action, Commitment

D = datetime.date
DIRECTORATES = (
    "Community directorate",
    "Acute and inpatient directorate",
    "Specialist services directorate",
    "Learning disabilities directorate",
)
SERVICES = {
    "Psychotherapy service": "Community directorate",
    "Recovery Enterprises": "Community directorate",
    "Maple ward": "Acute and inpatient directorate",
    "Eating disorders service": "Specialist services directorate",
}


@dataclass(frozen=True)
class DemoActivity:
    title: str
    kind: str
    level: str
    starts_on: datetime.date
    places: tuple[str, ...] = ()
    ends_on: datetime.date | None = None
    ongoing: bool = False
    recurrence: str = Recurrence.ONCE
    purpose: str = ""
    commitment_words: str = ""
    action_words: str = ""
    counts: tuple[tuple[str, int], ...] = ()
    outcome: str = ""
    fed_back: tuple[datetime.date, str] | None = None
    published: str = ""


ACTIVITIES = (
    DemoActivity(
        "SUSEG",
        Kind.STANDING_GROUP,
        Level.COLLABORATE,
        D(2016, 7, 5),
        ongoing=True,
        recurrence=Recurrence.MONTHLY,
        purpose="Oversees the engagement plan; every directorate reports to it.",
        commitment_words="attend, feed into, and report to SUSEG",
        counts=(("service_user", 6), ("carer", 2), ("expert_by_experience", 3)),
        outcome="Meetings moved to a venue on a bus route, with papers a week ahead.",
        fed_back=(D(2017, 1, 10), "At the next meeting and in the minutes"),
        published="Meetings now happen at a venue on a bus route, with papers sent a week ahead.",
    ),
    DemoActivity(
        "Central SUNRISE group",
        Kind.STANDING_GROUP,
        Level.INVOLVE,
        D(2016, 4, 12),
        places=("Community directorate",),
        ongoing=True,
        recurrence=Recurrence.MONTHLY,
        action_words="Service User Groups (SUNRISE +)",
        counts=(("service_user", 9), ("peer_worker", 1)),
    ),
    DemoActivity(
        "Community services redesign day",
        Kind.COPRODUCTION,
        Level.COPRODUCE,
        D(2017, 1, 18),
        places=("Community directorate",),
        ends_on=D(2017, 1, 18),
        action_words="principles of coproduction at all service redesign",
        counts=(("service_user", 14), ("carer", 5), ("staff_lived_experience", 2)),
        outcome="The new referral route was designed with the people who use it.",
        fed_back=(D(2017, 2, 20), "A letter to everyone who came"),
    ),
    DemoActivity(
        "Psychotherapy waiting list project",
        Kind.QI_PROJECT,
        Level.COLLABORATE,
        D(2016, 11, 1),
        places=("Psychotherapy service",),
        ends_on=D(2017, 3, 10),
        counts=(("service_user", 4), ("expert_by_experience", 1)),
        outcome="Everyone waiting now gets a letter every four weeks saying where they are.",
    ),
    DemoActivity(
        "Ward manager interview panel",
        Kind.RECRUITMENT,
        Level.INVOLVE,
        D(2017, 2, 8),
        places=("Maple ward",),
        ends_on=D(2017, 2, 8),
        counts=(("expert_by_experience", 2),),
    ),
    DemoActivity(
        "Visiting hours consultation",
        Kind.CONSULTATION,
        Level.CONSULT,
        D(2016, 12, 1),
        places=("Acute and inpatient directorate",),
        ends_on=D(2017, 1, 13),
        counts=(("carer", 21), ("service_user", 11)),
        outcome="Evening visiting now starts at 5pm so working carers can come.",
        fed_back=(D(2017, 2, 1), "Posters on the wards and the trust's website"),
    ),
    DemoActivity(
        "Eating disorders service survey",
        Kind.SURVEY,
        Level.CONSULT,
        D(2017, 1, 9),
        places=("Eating disorders service",),
        ends_on=D(2017, 2, 17),
        commitment_words="record, monitor, and evaluate the experience",
        counts=(("service_user", 37), ("carer", 12)),
    ),
    DemoActivity(
        "Co-production newsletter",
        Kind.OTHER,
        Level.INFORM,
        D(2017, 3, 1),
        ends_on=D(2017, 3, 1),
        recurrence=Recurrence.QUARTERLY,
        commitment_words="celebrate, and reward innovation",
        counts=(("public", 250),),
    ),
    DemoActivity(
        "Recovery Enterprises peer training",
        Kind.TRAINING,
        Level.COPRODUCE,
        D(2017, 2, 14),
        places=("Recovery Enterprises",),
        ends_on=D(2017, 3, 7),
        counts=(("peer_worker", 3), ("staff_lived_experience", 4)),
    ),
    DemoActivity(
        "Expert by Experience reward review",
        Kind.COPRODUCTION,
        Level.COPRODUCE,
        D(2017, 2, 1),
        ongoing=True,
        commitment_words="system of reward for EbE",
        counts=(("expert_by_experience", 5),),
    ),
    DemoActivity(
        "Digital support training consultation",
        Kind.CONSULTATION,
        Level.CONSULT,
        D(2016, 10, 3),
        places=("Community directorate",),
        ends_on=D(2016, 10, 28),
        counts=(("service_user", 8),),
    ),
    DemoActivity(
        "Specialist services carers' forum",
        Kind.STANDING_GROUP,
        Level.INVOLVE,
        D(2016, 9, 6),
        places=("Specialist services directorate",),
        ongoing=True,
        recurrence=Recurrence.QUARTERLY,
        counts=(("carer", 7),),
    ),
)


def _places(strategy, user) -> dict[str, Service]:
    """The directorates and services, found by name or added."""
    found = {s.name: s for s in Service.objects.filter(strategy=strategy)}
    for name in DIRECTORATES:
        if name not in found:
            record = Service(strategy=strategy, name=name, kind=ServiceKind.DIRECTORATE)
            found[name] = save_feedback_service(record, user=user)
    for name, parent in SERVICES.items():
        if name not in found:
            record = Service(strategy=strategy, name=name, parent=found[parent])
            found[name] = save_feedback_service(record, user=user)
    return found


def _register(strategy, user, activities: dict[str, Activity]) -> None:
    for name, unit, block, amount in (
        ("Working group member", RateUnit.BLOCK, Decimal(3), Decimal("20.00")),
        ("Interview panel member", RateUnit.SESSION, None, Decimal("40.00")),
    ):
        rate = RewardRate(
            strategy=strategy,
            name=name,
            unit=unit,
            block_hours=block,
            amount=amount,
            valid_from=D(2016, 4, 1),
        )
        save_rate(rate, user=user)
    alex = save_participant(
        Participant(strategy=strategy, name="Alex Example", consent_given_on=D(2016, 6, 1)),
        user=user,
    )
    sam = save_participant(
        Participant(strategy=strategy, name="Sam Sample", consent_given_on=D(2016, 9, 1)),
        user=user,
    )
    paid = save_involvement(
        Involvement(
            participant=alex,
            activity=activities["Ward manager interview panel"],
            took_part_on=D(2017, 2, 8),
            role="Panel member",
            hours=Decimal(4),
            reward=Reward.PAYMENT,
            expenses=Decimal("6.40"),
        ),
        user=user,
        rate_name="Interview panel member",
    )
    mark_paid([paid], user=user, paid_on=D(2017, 3, 1))
    save_involvement(
        Involvement(
            participant=sam,
            activity=activities["Expert by Experience reward review"],
            took_part_on=D(2017, 3, 6),
            role="Co-chair",
            hours=Decimal("3.5"),
            reward=Reward.VOUCHER,
        ),
        user=user,
        rate_name="Working group member",
    )


def ensure_demo_engagement(strategy, *, user) -> int | None:
    """Record the made-up activities for ``strategy``; how many, or None if it had some."""
    if Activity.objects.filter(strategy=strategy).exists():
        return None
    places = _places(strategy, user)
    made = {}
    for demo in ACTIVITIES:
        commitments = Commitment.objects.filter(
            theme__strategy=strategy, text__icontains=demo.commitment_words
        )
        actions = Action.objects.for_strategy(strategy).filter(text__icontains=demo.action_words)
        fed_on, fed_how = demo.fed_back or (None, "")
        activity = Activity(
            strategy=strategy,
            title=demo.title,
            kind=demo.kind,
            level=demo.level,
            starts_on=demo.starts_on,
            ends_on=demo.ends_on,
            ongoing=demo.ongoing,
            recurrence=demo.recurrence,
            purpose=demo.purpose,
            outcome=demo.outcome,
            fed_back_on=fed_on,
            fed_back_how=fed_how,
        )
        save_activity(
            activity,
            user=user,
            services=[places[name] for name in demo.places],
            commitments=list(commitments[:1]) if demo.commitment_words else [],
            actions=list(actions[:1]) if demo.action_words else [],
            reason="Demo activity",
        )
        set_participation(activity, dict(demo.counts), user=user)
        if demo.published:
            publish_outcome(activity, user=user, text=demo.published)
        made[demo.title] = activity
    _register(strategy, user, made)
    return len(made)
