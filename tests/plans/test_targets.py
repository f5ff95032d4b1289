"""The delivery rules of ``planboard.plans.targets``, each written once, and the database
filter for "overdue" held to the same answers as the rule."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.plans.models import Action, ActionStatus, DatePrecision
from planboard.plans.targets import (
    end_of_month,
    end_of_span,
    has_moved,
    is_delayed,
    is_overdue,
    times_moved,
)
from tests.builders import make_action, make_strategy, make_theme

D = datetime.date


def test_a_target_is_overdue_only_after_its_last_day_and_never_once_complete():
    march = D(2017, 3, 31)
    assert not is_overdue(complete=False, target_date=march, as_of=march)
    assert is_overdue(complete=False, target_date=march, as_of=D(2017, 4, 1))
    assert not is_overdue(complete=True, target_date=march, as_of=D(2017, 4, 1))
    assert not is_overdue(complete=False, target_date=None, as_of=D(2030, 1, 1))


def test_a_target_moved_once_without_records_and_as_often_as_recorded():
    assert times_moved(0, D(2017, 6, 30), D(2017, 3, 31)) == 1
    assert times_moved(0, D(2017, 3, 31), D(2017, 3, 31)) == 0
    assert times_moved(0, None, D(2017, 3, 31)) == 0
    assert times_moved(3, D(2017, 3, 31), D(2017, 3, 31)) == 3


def test_moved_and_delayed_compare_two_dates_that_are_both_set():
    assert has_moved(D(2017, 6, 30), D(2017, 3, 31))
    assert not has_moved(None, D(2017, 3, 31))
    assert is_delayed(D(2017, 3, 31), D(2017, 6, 30))
    assert not is_delayed(D(2017, 6, 30), D(2017, 3, 31))
    assert not is_delayed(D(2017, 3, 31), None)


@pytest.mark.parametrize(
    ("date", "precision", "last_day"),
    [
        (D(2017, 2, 3), DatePrecision.MONTH, D(2017, 2, 28)),
        (D(2016, 2, 3), DatePrecision.MONTH, D(2016, 2, 29)),
        (D(2017, 8, 1), DatePrecision.QUARTER, D(2017, 9, 30)),
        (D(2017, 8, 1), DatePrecision.DAY, D(2017, 8, 1)),
    ],
)
def test_a_target_is_kept_as_the_last_day_of_its_span(date, precision, last_day):
    assert end_of_span(date, precision) == last_day
    if precision == DatePrecision.MONTH:
        assert end_of_month(date.year, date.month) == last_day


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(ActionStatus.values),
            st.one_of(st.none(), st.dates(D(2016, 1, 1), D(2018, 12, 31))),
        ),
        min_size=1,
        max_size=8,
    ),
    as_of=st.dates(D(2016, 1, 1), D(2019, 1, 1)),
)
def test_the_overdue_filter_answers_as_the_rule_does(rows, as_of):
    theme = make_theme(make_strategy())
    for status, target in rows:
        make_action(theme, target=target, status=status)
    actions = Action.objects.filter(theme=theme)

    by_filter = set(actions.overdue(as_of).values_list("pk", flat=True))
    by_rule = {action.pk for action in actions if action.is_overdue(as_of)}

    assert by_filter == by_rule
