"""A small strategy with directorates, services, commitments and actions, for the
engagement tests."""

import datetime

from planboard.engagement.models import Activity, Kind, Level
from planboard.engagement.services import save_activity
from planboard.feedback.models import Service, ServiceKind
from planboard.feedback.services import save_feedback_service
from tests.builders import make_action, make_role, make_strategy, make_theme


def make_engagement_plan(slug="eng"):
    """A strategy with two directorates ("Acute" with the ward "Maple", "Community"
    with the team "Home treatment"), a service with no directorate ("Pharmacy"), a
    theme with three commitments and two actions: action 1 cites commitment 1.2,
    action 2 none."""
    strategy = make_strategy(slug=slug)

    def service(name, kind=ServiceKind.SERVICE, parent=None):
        record = Service(strategy=strategy, name=name, kind=kind, parent=parent)
        return save_feedback_service(record, user=None)

    acute = service("Acute", ServiceKind.DIRECTORATE)
    community = service("Community", ServiceKind.DIRECTORATE)
    places = {
        "acute": acute,
        "community": community,
        "maple": service("Maple ward", parent=acute),
        "home": service("Home treatment", parent=community),
        "pharmacy": service("Pharmacy"),
    }
    theme = make_theme(strategy, commitments=3)
    commitments = list(theme.commitments.order_by("number"))
    role = make_role(strategy, "Engagement manager", "EM")
    first = make_action(theme, "Map engagement.", leads=[role], commitments=[commitments[1]])
    second = make_action(theme, "Hold a review.", leads=[role])
    return strategy, places, commitments, (first, second)


def add_activity(
    strategy,
    title,
    *,
    starts_on=datetime.date(2017, 1, 10),
    level=Level.CONSULT,
    kind=Kind.EVENT,
    services=(),
    commitments=(),
    actions=(),
    user=None,
    **fields,
):
    activity = Activity(
        strategy=strategy, title=title, starts_on=starts_on, level=level, kind=kind, **fields
    )
    return save_activity(
        activity,
        user=user,
        services=list(services),
        commitments=list(commitments),
        actions=list(actions),
    )
