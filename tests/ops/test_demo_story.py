"""The demo tells the same story on any day it is run: with DEMO_TODAY set to the story's
day (as ``make demo`` sets it), ``planboard demo`` run at two real dates years apart
leaves nothing late or overdue but what the story means to be
(``demo_cycle.INTENDED_OVERDUE`` and ``INTENDED_LATE``), its history inside the story,
and a banner on every page saying which day planboard takes to be today. Without the
setting, today is the real date and no banner shows."""

import datetime
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from planboard.lib import clock
from planboard.lib.env import env_date
from planboard.people.recipients import leads_by_user
from planboard.plans.models import Action, Strategy
from planboard.progress.management.demo_cycle import (
    INTENDED_LATE,
    INTENDED_OVERDUE,
    STORY_TODAY,
)
from planboard.progress.models import ReportingPeriod, Update
from planboard.progress.reminders import outstanding_actions, plan_reminders
from planboard.progress.rules import _worst
from planboard.progress.services import current_period, suggested_rating
from planboard.web.cycle import my_actions

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Two real days years apart, one in winter time and one in summer time.
REAL_DAYS = {
    "2026-12-07": datetime.datetime(2026, 12, 7, 9, 30, tzinfo=LONDON),
    "2031-06-30": datetime.datetime(2031, 6, 30, 16, 45, tzinfo=LONDON),
}
BANNER = "This is a demo. planboard takes today to be 15 March 2017."
MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


@pytest.fixture
def story_day(settings):
    settings.DEMO_TODAY = STORY_TODAY


def overdue_refs(strategy) -> set[str]:
    actions = Action.objects.for_strategy(strategy).in_plan().select_related("theme")
    return {action.ref for action in actions.overdue(clock.today())}


def late_by_reminders(strategy) -> set[str]:
    """The leads whose reminder says their updates were due: what they would be told."""
    _period, messages, _unreachable = plan_reminders(strategy)
    return {
        message.user.username
        for message in messages
        if message.kind == "lead" and "were due on" in message.body
    }


def late_by_my_actions() -> set[str]:
    """The accounts My actions shows updates still to send, past the period's due date."""
    return {
        user.username
        for user in User.objects.all()
        for group in my_actions(user)
        if group.period and group.outstanding and clock.today() > group.period.updates_due
    }


@pytest.mark.parametrize("real", REAL_DAYS.values(), ids=REAL_DAYS.keys())
def test_the_demo_tells_its_story_whatever_the_real_date(real, seed_strategy, story_day, client):
    with time_machine.travel(real, tick=False):
        call_command("demo", stdout=io.StringIO())
        strategy = Strategy.objects.get(slug="sue")
        period = current_period(strategy)

        assert clock.today() == STORY_TODAY
        assert clock.now() == datetime.datetime.combine(STORY_TODAY, real.time(), LONDON)
        assert period.label == "2016/17 Q4" and period.updates_due > clock.today()

        assert overdue_refs(strategy) == INTENDED_OVERDUE
        # Someone leads outstanding actions, so the two counts below count someone.
        assert leads_by_user(strategy, outstanding_actions(period))[0]
        assert late_by_reminders(strategy) == INTENDED_LATE
        assert late_by_my_actions() == INTENDED_LATE
        levels = list(strategy.rag_levels.all())
        worst = _worst(levels)
        red = [
            action.ref
            for action in Action.objects.for_strategy(strategy).in_plan().select_related("theme")
            if suggested_rating(action, period=period, levels=levels) == worst
        ]
        assert red == []

        # Everything the set-up did happened on the story's day, by the time it is now.
        updates = Update.objects.filter(period=period)
        stamps = [u.submitted_at for u in updates] + [u.reviewed_at for u in updates]
        stamps += [p.opened_at for p in ReportingPeriod.objects.all()]
        stamps += [p.closed_at for p in ReportingPeriod.objects.exclude(closed_at=None)]
        stamps += list(Update.history.values_list("history_date", flat=True))
        stamps += list(ReportingPeriod.history.values_list("history_date", flat=True))
        assert len(stamps) > 10
        assert {timezone_day(stamp) for stamp in stamps if stamp} == {STORY_TODAY}
        assert max(stamp for stamp in stamps if stamp) <= clock.now()

        public = client.get(reverse("public_strategy", kwargs={"slug": "sue"})).content.decode()
        assert "Progress last updated 15 March 2017." in public
        assert BANNER in public
        client.force_login(User.objects.get(username="lead"))
        assert BANNER in client.get(reverse("my_actions")).content.decode()


def timezone_day(moment) -> datetime.date:
    return moment.astimezone(LONDON).date()


def test_without_the_setting_today_is_the_real_date_and_no_banner_shows(settings, client):
    settings.DEMO_TODAY = None
    with time_machine.travel(REAL_DAYS["2031-06-30"], tick=False):
        assert clock.today() == datetime.date(2031, 6, 30)
        assert clock.now() == REAL_DAYS["2031-06-30"]
        assert clock.demo_notice() == ""
        for page, account in (("public_index", None), ("login", None), ("admin:index", "staff")):
            if account:
                client.force_login(User.objects.create_user(account, is_staff=True))
            response = client.get(reverse(page))
            assert response.status_code == 200, page
            assert "This is a demo" not in response.content.decode(), page


def test_with_the_setting_every_kind_of_page_shows_the_banner(story_day, client):
    for page in (reverse("public_index"), reverse("login")):
        assert BANNER in client.get(page).content.decode(), page
    client.force_login(User.objects.create_user("staff", is_staff=True))
    for page in (reverse("my_emails"), reverse("admin:index")):
        response = client.get(page)
        assert response.status_code == 200, page
        assert BANNER in response.content.decode(), page


def test_the_setting_is_a_date_or_nothing(monkeypatch):
    monkeypatch.setenv("DEMO_TODAY", " 2017-03-15 ")
    assert env_date("DEMO_TODAY") == datetime.date(2017, 3, 15)
    monkeypatch.setenv("DEMO_TODAY", "")
    assert env_date("DEMO_TODAY") is None
    for bad in ("15/03/2017", "2017-3-15", "2017-02-30", "yesterday"):
        monkeypatch.setenv("DEMO_TODAY", bad)
        with pytest.raises(ImproperlyConfigured, match=r"^DEMO_TODAY must be a date written"):
            env_date("DEMO_TODAY")


def check_deploy() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("check", deploy=True, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_the_deployment_check_warns_while_the_setting_is_on(settings):
    settings.DEMO_TODAY = STORY_TODAY
    output = check_deploy()
    assert "planboard.W001" in output
    assert "DEMO_TODAY is set (2017-03-15)" in output

    settings.DEMO_TODAY = None
    assert "planboard.W001" not in check_deploy()


def test_make_demo_sets_the_storys_day_and_the_set_up_says_when_it_is_not_set(
    seed_strategy, settings
):
    found = re.search(
        r"^DEMO_ENV = .*DEMO_TODAY=\$\$\{DEMO_TODAY-(\S+)\}", MAKEFILE.read_text(), re.M
    )
    assert found and datetime.date.fromisoformat(found.group(1)) == STORY_TODAY

    settings.DEMO_TODAY = None
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "DEMO_TODAY is not set, so the 2016/17 Q4 plan is judged by today's date" in (
        out.getvalue()
    )
