"""A small strategy with services, for the feedback tests."""

import datetime

from django.utils import timezone

from planboard.feedback.models import Service, ServiceKind
from planboard.feedback.services import save_feedback_service
from tests.builders import make_action, make_role, make_strategy, make_theme


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def make_feedback_plan(slug="fb"):
    """A strategy with a directorate, two services under it, a theme with two
    commitments and an action led by the role "Head of CG"."""
    strategy = make_strategy(slug=slug)
    adults = save_feedback_service(
        Service(strategy=strategy, name="Adult services", kind=ServiceKind.DIRECTORATE),
        user=None,
    )
    ward = save_feedback_service(
        Service(strategy=strategy, name="Willow ward", code="rxg10", parent=adults), user=None
    )
    team = save_feedback_service(
        Service(strategy=strategy, name="Crisis team", code="RXG20", parent=adults), user=None
    )
    theme = make_theme(strategy, commitments=2)
    role = make_role(strategy, "Head of CG", "HCG")
    action = make_action(theme, "Review the discharge letters.", leads=[role])
    return strategy, adults, ward, team, action
