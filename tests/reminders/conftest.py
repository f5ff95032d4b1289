"""The plan of the ``planboard remind`` tests, and the helpers of the scheduled reminders."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult

from planboard.notifications.models import Notification
from planboard.progress.services import open_period
from tests.cycle_commands.conftest import people, plan  # noqa: F401 - fixtures

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def cycle(plan):  # noqa: F811 - the fixture imported above
    """The plan with 2016/17 Q4 open, updates due on 31 March 2017, without the "period
    opened" e-mails its opening queued, so the queue and the outbox hold only what the
    reminders do."""
    plan.period = open_period(
        plan.strategy, "2016/17 Q4", user=plan.gail, updates_due=datetime.date(2017, 3, 31)
    )
    Notification.objects.all().delete()
    DBTaskResult.objects.all().delete()
    return plan


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour`` in the trust's time zone."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)
