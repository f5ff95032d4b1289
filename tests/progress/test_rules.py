"""The RAG rules, one at a time, on small scales: RAG, BRAG and Green/Yellow/Red."""

import datetime

import pytest

from planboard.plans.models import RagLevel
from planboard.plans.targets import times_moved
from planboard.progress.rules import complete_level, suggest_rating

MARCH = datetime.date(2017, 3, 31)
FAR_OFF = datetime.date(2017, 1, 1)


def scale(*labels, complete=("Blue",)):
    """Unsaved levels in the order given, as a strategy's scale would number them."""
    return [
        RagLevel(label=label, position=n, means_complete=label in complete)
        for n, label in enumerate(labels, start=1)
    ]


RAG = scale("Green", "Amber", "Red")
BRAG = scale("Blue", "Green", "Amber", "Red")
GYR = scale("Green", "Yellow", "Red")
TWO = scale("Green", "Red")


def suggest(levels, *, complete=False, target=MARCH, as_of=FAR_OFF, accepted=False):
    level = suggest_rating(
        levels=levels,
        complete=complete,
        target_date=target,
        as_of=as_of,
        accepted_this_period=accepted,
    )
    return level.label if level else None


@pytest.mark.parametrize("levels", [BRAG, scale("Green", "Amber", "Red", "Blue")])
def test_a_complete_action_is_blue_where_the_scale_has_a_complete_level(levels):
    assert suggest(levels, complete=True) == "Blue"


@pytest.mark.parametrize(("levels", "expected"), [(RAG, "Green"), (GYR, "Green")])
def test_a_complete_action_is_the_best_level_where_no_level_means_complete(levels, expected):
    assert suggest(levels, complete=True) == expected


def test_complete_wins_over_a_target_that_has_passed():
    assert suggest(RAG, complete=True, as_of=datetime.date(2018, 1, 1)) == "Green"


@pytest.mark.parametrize(("levels", "expected"), [(RAG, "Red"), (BRAG, "Red"), (TWO, "Red")])
def test_an_action_past_its_target_month_and_not_complete_is_red(levels, expected):
    assert suggest(levels, as_of=datetime.date(2017, 4, 1)) == expected


def test_the_last_day_of_the_target_month_has_not_passed():
    assert suggest(RAG, as_of=MARCH) == "Amber"


@pytest.mark.parametrize(("levels", "expected"), [(RAG, "Amber"), (BRAG, "Amber"), (GYR, "Yellow")])
def test_a_target_within_30_days_without_an_accepted_update_is_amber(levels, expected):
    assert suggest(levels, as_of=MARCH - datetime.timedelta(days=30)) == expected


def test_a_target_within_30_days_with_an_accepted_update_is_left_to_people():
    assert suggest(RAG, as_of=datetime.date(2017, 3, 15), accepted=True) is None


def test_a_target_more_than_30_days_away_is_left_to_people():
    assert suggest(RAG, as_of=MARCH - datetime.timedelta(days=31)) is None


def test_a_scale_without_a_middle_level_suggests_nothing_for_a_near_target():
    assert suggest(TWO, as_of=datetime.date(2017, 3, 15)) is None


def test_an_undated_open_action_gets_no_suggestion():
    assert suggest(RAG, target=None, as_of=datetime.date(2030, 1, 1)) is None


def test_the_scale_is_read_in_position_order_not_the_order_given():
    assert suggest(list(reversed(RAG)), as_of=datetime.date(2017, 4, 1)) == "Red"
    assert complete_level(list(reversed(GYR))).label == "Green"


def test_an_empty_scale_suggests_nothing():
    assert suggest([], complete=True) is None
    assert suggest([], as_of=datetime.date(2017, 4, 1)) is None


@pytest.mark.parametrize(
    ("recorded", "target", "original", "expected"),
    [
        (0, MARCH, MARCH, 0),
        (2, MARCH, MARCH, 2),
        (0, datetime.date(2017, 6, 30), MARCH, 1),
        (0, None, MARCH, 0),
        (0, MARCH, None, 0),
    ],
)
def test_a_target_has_moved_as_often_as_recorded_or_once_if_it_differs(
    recorded, target, original, expected
):
    assert times_moved(recorded, target, original) == expected
