"""The demo's feedback: a few made-up items from several sources, one published.

``planboard demo`` calls ``ensure_demo_feedback`` so a newcomer sees the feedback pages
and the public "you said, we did" working. Everything here is invented: no real people,
no personal data (the one published item passes the personal-data check like any
other). It goes through the feedback app's services, and only when the strategy has no
feedback yet, so nothing recorded in the demo is ever undone or duplicated.

The services are named after the seed's text (its Community and Psychotherapy events,
Recovery Enterprises); the links find the seed's actions and commitments by their
words, and an item whose action or commitment is not found is simply not linked.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from planboard.feedback.loop import record_response
from planboard.feedback.models import Change, FeedbackItem, Service, ServiceKind, Source
from planboard.feedback.publishing import publish
from planboard.feedback.services import link_feedback, record_item, save_feedback_service
from planboard.plans.models import Action, Commitment


@dataclass(frozen=True)
class DemoItem:
    source: str
    service: str
    given: datetime.date
    text: str
    title: str = ""
    raised_concern: bool = False
    # (days after it was given, what the response said, its change claim)
    response: tuple[int, str, str] | None = None
    # Words of the seed's action and commitment its change belongs to.
    action_words: str = ""
    commitment_words: str = ""
    published: tuple[str, str] | None = None
    tags: tuple[tuple[str, str], ...] = field(default=())


ITEMS = (
    DemoItem(
        Source.CARE_OPINION,
        "Psychotherapy service",
        datetime.date(2017, 1, 9),
        "I waited weeks for a first appointment and nobody told me where I was on the list.",
        title="Left wondering where I was on the waiting list",
        raised_concern=True,
        response=(
            6,
            "Thank you for telling us. We now send a letter every four weeks saying where "
            "each person is on the waiting list.",
            Change.MADE,
        ),
        action_words="Patient Opinion will create a rapid and transparent loop",
        commitment_words="record, monitor, and evaluate the experience",
        published=(
            "People waiting for a first appointment did not know how long they would wait.",
            "We now write to everyone on the waiting list every four weeks to say where "
            "they are on it.",
        ),
        tags=(("waiting times", "negative"), ("communication", "negative")),
    ),
    DemoItem(
        Source.FFT_COMMENT,
        "Community directorate",
        datetime.date(2017, 1, 23),
        "Staff were kind and listened. Parking was hard to find.",
        tags=(("kindness", "positive"), ("parking", "negative")),
    ),
    DemoItem(
        Source.FORUM_OR_GROUP,
        "Community directorate",
        datetime.date(2017, 2, 2),
        "The SUNRISE group said meetings are hard to reach for people outside the city.",
        raised_concern=True,
        response=(
            10,
            "We plan to hold every other meeting in a different part of the city.",
            Change.PLANNED,
        ),
        action_words="Service User Groups (SUNRISE +)",
        commitment_words="Sunrise",
    ),
    DemoItem(
        Source.COMPLAINT,
        "Recovery Enterprises",
        datetime.date(2017, 2, 14),
        "A workshop was cancelled on the day without any message.",
        raised_concern=True,
        response=(
            3,
            "We are sorry. We cannot promise no workshop will be cancelled, as some depend "
            "on volunteers, but we will always text people when one is.",
            Change.PLANNED,
        ),
    ),
    DemoItem(
        Source.COMPLIMENT,
        "Psychotherapy service",
        datetime.date(2017, 2, 27),
        "The group sessions helped me feel less alone. Thank you to the whole team.",
        tags=(("group sessions", "positive"),),
    ),
)


def _at(day: datetime.date, days_after: int = 0):
    moment = datetime.datetime.combine(day + datetime.timedelta(days=days_after), datetime.time(10))
    return timezone.make_aware(moment)


def _services(strategy, user) -> dict[str, Service]:
    community = save_feedback_service(
        Service(strategy=strategy, name="Community directorate", kind=ServiceKind.DIRECTORATE),
        user=user,
    )
    found = {"Community directorate": community}
    for name in ("Psychotherapy service", "Recovery Enterprises"):
        found[name] = save_feedback_service(
            Service(strategy=strategy, name=name, parent=community), user=user
        )
    return found


def ensure_demo_feedback(strategy, *, user) -> int | None:
    """Record the made-up items for ``strategy``; how many, or None if it had feedback."""
    if FeedbackItem.objects.filter(strategy=strategy).exists():
        return None
    services = _services(strategy, user)
    for number, demo in enumerate(ITEMS, start=1):
        item = record_item(
            strategy,
            user=user,
            source=demo.source,
            source_id=f"demo-{number}",
            given_on=demo.given,
            received_at=_at(demo.given, 1),
            title=demo.title,
            text=demo.text,
            author_role="service user",
            raised_concern=demo.raised_concern,
            services=[services[demo.service]],
            tags=list(demo.tags),
        ).item
        if demo.response:
            days, text, change = demo.response
            record_response(
                item,
                user=user,
                author="Engagement Manager",
                organisation=strategy.organisation,
                responded_at=_at(demo.given, days),
                text=text,
                change=change,
            )
        actions = Action.objects.for_strategy(strategy).filter(text__icontains=demo.action_words)
        commitments = Commitment.objects.filter(
            theme__strategy=strategy, text__icontains=demo.commitment_words
        )
        link_feedback(
            item,
            user=user,
            actions=list(actions[:1]) if demo.action_words else [],
            commitments=list(commitments[:1]) if demo.commitment_words else [],
        )
        if demo.published:
            you_said, we_did = demo.published
            publish(item, user=user, you_said=you_said, we_did=we_did)
    return len(ITEMS)
