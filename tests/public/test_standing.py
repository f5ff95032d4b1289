"""How an action stands in the public page's words, for scales of every shape.

The words come from a level's place in the strategy's own scale, never from its colour,
so each test builds a real scale (RagLevel rows) and real actions rated on it.
"""

import pytest

from planboard.plans.models import ActionStatus, RagLevel, Strategy
from planboard.plans.rag import create_scale
from planboard.public.standing import Standing, ordinary_positions, standing
from tests.builders import make_action, make_strategy, make_theme

pytestmark = pytest.mark.django_db

COMPLETE = Standing.COMPLETE
ON_TRACK = Standing.ON_TRACK
AT_RISK = Standing.AT_RISK
OFF_TRACK = Standing.OFF_TRACK
NOT_STARTED = Standing.NOT_STARTED
NOT_RATED = Standing.NOT_RATED


def scale(*labels, slug=None):
    """A strategy whose scale is ``labels`` in that order (Blue means complete)."""
    strategy = Strategy.objects.create(slug=slug or f"scale-{'-'.join(labels).lower()}")
    create_scale(strategy, [{"label": label} for label in labels])
    return strategy


def levels_of(strategy):
    return {level.label: level for level in strategy.rag_levels.all()}


def stands(strategy, rating="", status=ActionStatus.IN_PROGRESS):
    """How a real action of ``strategy`` rated ``rating`` with ``status`` stands."""
    theme = strategy.themes.first() or make_theme(strategy)
    action = make_action(theme, rating=rating, status=status)
    action.refresh_from_db()
    return standing(
        complete=action.is_complete,
        started=action.status != ActionStatus.NOT_STARTED,
        level=action.rag_level,
        ordinary=ordinary_positions(strategy.rag_levels.all()),
    )


# --- the standings themselves ---------------------------------------------------


def test_each_standing_has_its_own_key_words_and_colour():
    assert [(s.key, s.words, s.colour) for s in Standing] == [
        ("complete", "Complete", "blue"),
        ("on_track", "On track", "green"),
        ("at_risk", "At risk", "yellow"),
        ("off_track", "Off track", "red"),
        ("not_started", "Not started", "grey"),
        ("not_rated", "Not yet rated", "white"),
    ]
    assert len({s.key for s in Standing}) == len({s.words for s in Standing}) == len(Standing)


# --- ordinary_positions ---------------------------------------------------------


def test_the_ordinary_levels_of_the_default_scale_are_green_amber_red():
    strategy = make_strategy()
    levels = levels_of(strategy)

    assert ordinary_positions(strategy.rag_levels.all()) == [
        levels["Green"].pk,
        levels["Amber"].pk,
        levels["Red"].pk,
    ]


def test_a_level_meaning_complete_is_not_ordinary_wherever_it_sits():
    first = scale("Blue", "Green", "Amber", "Red", slug="blue-first")
    last = scale("Green", "Amber", "Red", "Blue", slug="blue-last")

    for strategy in (first, last):
        levels = levels_of(strategy)
        assert levels["Blue"].means_complete
        assert ordinary_positions(strategy.rag_levels.all()) == [
            levels["Green"].pk,
            levels["Amber"].pk,
            levels["Red"].pk,
        ]


def test_ordinary_positions_follow_position_not_the_order_given_or_created():
    strategy = Strategy.objects.create(slug="shuffled")
    # Created worst first, with gaps between positions: the pks run the other way.
    red = RagLevel.objects.create(strategy=strategy, label="Red", position=30)
    amber = RagLevel.objects.create(strategy=strategy, label="Amber", position=20)
    green = RagLevel.objects.create(strategy=strategy, label="Green", position=10)

    assert ordinary_positions([red, green, amber]) == [green.pk, amber.pk, red.pk]
    assert ordinary_positions(list(strategy.rag_levels.order_by("-position"))) == [
        green.pk,
        amber.pk,
        red.pk,
    ]


def test_levels_at_the_same_position_are_ordered_by_when_they_were_made():
    strategy = Strategy.objects.create(slug="tied")
    one = RagLevel.objects.create(strategy=strategy, label="Green", position=1)
    two = RagLevel.objects.create(strategy=strategy, label="Amber", position=1)

    assert ordinary_positions([two, one]) == [one.pk, two.pk]


def test_a_scale_with_no_levels_has_no_ordinary_positions():
    assert ordinary_positions(Strategy.objects.create(slug="empty").rag_levels.all()) == []


# --- standing on real scales ----------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (("Green", "Amber", "Red"), {"Green": ON_TRACK, "Amber": AT_RISK, "Red": OFF_TRACK}),
        (
            ("Blue", "Green", "Amber", "Red"),
            {"Blue": COMPLETE, "Green": ON_TRACK, "Amber": AT_RISK, "Red": OFF_TRACK},
        ),
        (
            ("Green", "Amber", "Red", "Blue"),
            {"Blue": COMPLETE, "Green": ON_TRACK, "Amber": AT_RISK, "Red": OFF_TRACK},
        ),
        (("Green", "Yellow", "Red"), {"Green": ON_TRACK, "Yellow": AT_RISK, "Red": OFF_TRACK}),
        (("Green", "Red"), {"Green": ON_TRACK, "Red": OFF_TRACK}),
        (("Green",), {"Green": ON_TRACK}),
        (("Red",), {"Red": ON_TRACK}),
        (
            ("Green", "Yellow", "Amber", "Red"),
            {"Green": ON_TRACK, "Yellow": AT_RISK, "Amber": AT_RISK, "Red": OFF_TRACK},
        ),
    ],
    ids=[
        "RAG",
        "BRAG blue first",
        "BRAG blue last",
        "GYR",
        "two levels",
        "one level",
        "one red",
        "four",
    ],
)
def test_an_action_rated_on_the_scale_stands_by_its_level_place(labels, expected):
    strategy = scale(*labels)

    assert {label: stands(strategy, label) for label in labels} == expected


def test_the_words_follow_position_not_colour():
    """A scale that lists its levels worst first still calls its first level "On track"."""
    strategy = scale("Red", "Amber", "Green")

    assert stands(strategy, "Red") is ON_TRACK
    assert stands(strategy, "Amber") is AT_RISK
    assert stands(strategy, "Green") is OFF_TRACK


def test_positions_out_of_creation_order_decide_the_words():
    strategy = Strategy.objects.create(slug="reordered")
    for label, position in (("Red", 3), ("Green", 1), ("Amber", 2)):
        RagLevel.objects.create(strategy=strategy, label=label, position=position)

    assert [stands(strategy, label) for label in ("Green", "Amber", "Red")] == [
        ON_TRACK,
        AT_RISK,
        OFF_TRACK,
    ]


def test_moving_a_level_changes_its_words():
    strategy = make_strategy()
    levels = levels_of(strategy)
    RagLevel.objects.filter(pk=levels["Green"].pk).update(position=9)

    assert stands(strategy, "Amber") is ON_TRACK
    assert stands(strategy, "Red") is AT_RISK
    assert stands(strategy, "Green") is OFF_TRACK


@pytest.mark.parametrize("status", list(ActionStatus))
def test_a_level_meaning_complete_is_complete_whatever_the_status(status):
    strategy = scale("Blue", "Green", "Amber", "Red")

    assert stands(strategy, "Blue", status=status) is COMPLETE


@pytest.mark.parametrize("rating", ["Green", "Amber", "Red", "", "Purple"])
def test_a_complete_action_is_complete_whatever_its_rating(rating):
    strategy = make_strategy()

    assert stands(strategy, rating, status=ActionStatus.COMPLETE) is COMPLETE


def test_a_complete_status_wins_on_a_scale_of_one():
    strategy = scale("Red")

    assert stands(strategy, "Red", status=ActionStatus.COMPLETE) is COMPLETE


@pytest.mark.parametrize(
    ("status", "expected"),
    [(ActionStatus.NOT_STARTED, NOT_STARTED), (ActionStatus.IN_PROGRESS, NOT_RATED)],
)
@pytest.mark.parametrize("rating", ["", "Purple", "Yellow"], ids=["unrated", "purple", "yellow"])
def test_an_unrated_action_or_one_rated_outside_the_key_depends_on_its_status(
    status, expected, rating
):
    """The default key has no Yellow, as the seed paper's has none: outside the key."""
    strategy = make_strategy()

    assert stands(strategy, rating, status=status) is expected


def test_an_action_rated_outside_the_key_keeps_its_rating_as_written():
    strategy = make_strategy()
    action = make_action(make_theme(strategy), rating="Purple")

    assert (action.rag_level, action.rag_text) == (None, "Purple")
    assert stands(strategy, "Purple") is NOT_RATED


@pytest.mark.parametrize("status", [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])
def test_a_rated_action_not_started_stands_by_its_rating(status):
    strategy = make_strategy()

    assert stands(strategy, "Red", status=status) is OFF_TRACK


def test_a_level_of_another_strategys_scale_counts_as_outside_the_key():
    ours, theirs = make_strategy(), make_strategy()
    ordinary = ordinary_positions(ours.rag_levels.all())
    foreign = levels_of(theirs)["Green"]

    assert standing(complete=False, started=True, level=foreign, ordinary=ordinary) is NOT_RATED
    assert standing(complete=False, started=False, level=foreign, ordinary=ordinary) is NOT_STARTED


def test_a_scale_with_only_a_level_meaning_complete_rates_nothing_else():
    strategy = scale("Blue")

    assert ordinary_positions(strategy.rag_levels.all()) == []
    assert stands(strategy, "Blue") is COMPLETE
    assert stands(strategy, "") is NOT_RATED
    assert stands(strategy, "", status=ActionStatus.NOT_STARTED) is NOT_STARTED


def test_a_level_marked_complete_later_leaves_the_ordinary_levels():
    strategy = scale("Green", "Amber", "Red", "Done", slug="done")
    RagLevel.objects.filter(strategy=strategy, label="Done").update(means_complete=True)

    assert stands(strategy, "Done") is COMPLETE
    assert stands(strategy, "Red") is OFF_TRACK
