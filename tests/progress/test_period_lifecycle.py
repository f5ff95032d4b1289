"""Setting up, opening and closing reporting periods."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from planboard.progress.models import ActionSnapshot, PeriodStatus, ReportingPeriod
from planboard.progress.services import (
    CycleError,
    close_period,
    create_period,
    current_period,
    open_period,
)
from tests.builders import make_action, make_strategy, make_theme
from tests.progress.cycle import Q3, Q4, board_member, governance

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    strategy = make_strategy(slug="sue")
    make_action(make_theme(strategy), "Review SUSEG.")
    return strategy


@pytest.fixture
def gail():
    return governance()


def test_a_quarter_label_gives_the_period_its_dates(strategy, gail):
    period = create_period(strategy, "2017/18 q1", user=gail)

    assert (period.label, period.starts_on, period.ends_on) == (
        "2017/18 Q1",
        D(2017, 4, 1),
        D(2017, 6, 30),
    )
    assert period.updates_due == D(2017, 6, 30)
    assert period.status == PeriodStatus.PLANNED


def test_a_period_may_have_its_own_dates_and_due_date(strategy, gail):
    period = create_period(
        strategy,
        "Pilot",
        user=gail,
        starts_on=D(2017, 1, 1),
        ends_on=D(2017, 1, 31),
        updates_due=D(2017, 2, 7),
    )

    assert (period.label, period.updates_due) == ("Pilot", D(2017, 2, 7))


@pytest.mark.parametrize(
    ("label", "fields", "message"),
    [
        ("spring", {}, '"spring" is not a financial-year quarter; write it like "2017/18 Q1".'),
        ("2017/18 Q1", {"starts_on": D(2017, 4, 1)}, "Give both the first and the last day"),
        ("Odd", {"starts_on": D(2017, 4, 1), "ends_on": D(2017, 3, 1)}, "cannot end before"),
        ("2017/18 Q1", {"updates_due": D(2017, 3, 1)}, "Updates cannot be due before"),
        ("", {"starts_on": D(2017, 4, 1), "ends_on": D(2017, 5, 1)}, "Give the period a label"),
        ("x" * 41, {"starts_on": D(2017, 4, 1), "ends_on": D(2017, 5, 1)}, "is too long"),
    ],
)
def test_it_refuses_a_period_it_cannot_make_sense_of(strategy, gail, label, fields, message):
    with pytest.raises(CycleError, match=message):
        create_period(strategy, label, user=gail, **fields)

    assert not ReportingPeriod.objects.exists()


def test_it_refuses_a_second_period_with_the_same_label(strategy, gail):
    create_period(strategy, "2017/18 Q1", user=gail)

    with pytest.raises(CycleError, match='already has a period "2017/18 Q1"'):
        create_period(strategy, "2017/2018 Q1", user=gail)


def test_it_refuses_a_period_overlapping_another(strategy, gail):
    create_period(strategy, Q4, user=gail)

    with pytest.raises(CycleError) as refused:
        create_period(strategy, "March", user=gail, starts_on=D(2017, 3, 1), ends_on=D(2017, 4, 30))

    assert str(refused.value) == "March would overlap 2016/17 Q4 (1 Jan 2017 to 31 Mar 2017)."


def test_the_same_label_may_be_used_by_another_strategy(strategy, gail):
    create_period(strategy, Q4, user=gail)

    assert create_period(make_strategy(slug="other"), Q4, user=gail).label == Q4


def test_opening_sets_up_the_period_when_needed(strategy, gail):
    period = open_period(strategy, Q4, user=gail, updates_due=D(2017, 4, 14))

    assert period.is_open and period.opened_at is not None
    assert period.updates_due == D(2017, 4, 14)
    assert current_period(strategy) == period
    assert period.history.first().history_user == gail
    assert period.history.first().history_change_reason == "Period opened"


def test_only_one_period_is_open_at_a_time(strategy, gail):
    open_period(strategy, Q3, user=gail)

    with pytest.raises(CycleError) as refused:
        open_period(strategy, Q4, user=gail)

    assert str(refused.value) == "2016/17 Q3 is still open; close it before opening 2016/17 Q4."
    assert not ReportingPeriod.objects.filter(label=Q4).exists()


def test_it_refuses_to_open_an_open_or_closed_period(strategy, gail):
    period = open_period(strategy, Q3, user=gail)
    with pytest.raises(CycleError, match="2016/17 Q3 is already open."):
        open_period(strategy, Q3, user=gail)

    close_period(period, user=gail)
    with pytest.raises(CycleError, match="a closed period cannot be opened again"):
        open_period(strategy, Q3, user=gail)


def test_it_refuses_to_open_a_period_before_one_already_closed(strategy, gail):
    create_period(strategy, Q3, user=gail)
    close_period(open_period(strategy, Q4, user=gail), user=gail)

    with pytest.raises(CycleError) as refused:
        open_period(strategy, Q3, user=gail)

    assert str(refused.value) == (
        "2016/17 Q4 is already closed, so the earlier 2016/17 Q3 cannot be opened."
    )


def test_closing_freezes_a_snapshot_of_every_action(strategy, gail):
    make_action(strategy.themes.get(), "Map engagement.")
    period = open_period(strategy, Q4, user=gail)

    close_period(period, user=gail, when=datetime.datetime(2017, 4, 3, 9, tzinfo=datetime.UTC))

    assert period.is_closed and period.closed_by == gail
    assert period.closed_at.date() == D(2017, 4, 3)
    assert list(period.snapshots.values_list("ref", "text")) == [
        ("1.1", "Review SUSEG."),
        ("1.2", "Map engagement."),
    ]
    assert current_period(strategy) is None
    assert period.history.first().history_change_reason == "Period closed"


def test_it_refuses_to_close_a_period_that_is_not_open(strategy, gail):
    period = create_period(strategy, Q4, user=gail)

    with pytest.raises(CycleError, match="2016/17 Q4 is not open, so it cannot be closed."):
        close_period(period, user=gail)

    assert not ActionSnapshot.objects.exists()


def test_closing_twice_does_not_snapshot_twice(strategy, gail):
    period = open_period(strategy, Q4, user=gail)
    stale = ReportingPeriod.objects.get(pk=period.pk)
    close_period(period, user=gail)

    with pytest.raises(CycleError):
        close_period(stale, user=gail)

    assert ActionSnapshot.objects.count() == 1


@pytest.mark.parametrize("who", ["lead", "board member", "anonymous"])
def test_only_governance_runs_periods(strategy, django_user_model, who):
    from django.contrib.auth.models import AnonymousUser

    from tests.progress.cycle import lead

    user = {
        "lead": lambda: lead(strategy, [], "mia"),
        "board member": board_member,
        "anonymous": AnonymousUser,
    }[who]()

    with pytest.raises(PermissionDenied, match="Only the governance team may"):
        open_period(strategy, Q4, user=user)
    with pytest.raises(PermissionDenied):
        create_period(strategy, Q4, user=user)
    period = open_period(strategy, Q4, user=governance())
    with pytest.raises(PermissionDenied):
        close_period(period, user=user)

    assert ReportingPeriod.objects.get().is_open


def test_the_command_line_runs_periods_without_a_user(strategy):
    period = open_period(strategy, Q4, user=None)
    close_period(period, user=None)

    assert period.is_closed and period.closed_by is None


def test_a_label_that_reads_like_another_in_addresses_is_refused(plan):
    from planboard.progress.services import CycleError, create_period

    create_period(
        plan.strategy,
        "Winter 2018",
        user=plan.gail,
        starts_on=datetime.date(2018, 1, 1),
        ends_on=datetime.date(2018, 1, 31),
    )
    with pytest.raises(CycleError, match="reads like"):
        create_period(
            plan.strategy,
            "winter-2018",
            user=plan.gail,
            starts_on=datetime.date(2018, 2, 1),
            ends_on=datetime.date(2018, 2, 28),
        )
