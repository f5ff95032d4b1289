"""What changed, read through the strategy's scale: aliases, first ratings, any scale."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.plans.models import Action, RagLevel
from planboard.progress.changes import DOWN, FIRST, UP, Scale, what_changed
from planboard.progress.models import ActionSnapshot
from planboard.progress.services import close_period
from tests.progress.cycle import open_quarter

Q1 = "2017/18 Q1"

pytestmark = pytest.mark.django_db


def write(action, rating, level=None):
    """The rating as a tracker wrote it, and the level it matched then (if any)."""
    Action.objects.filter(pk=action.pk).update(rag_level=level, rag_text=rating)


def ratings(changes):
    return {
        kind: [(c.ref, c.before, c.after) for c in getattr(changes, kind)]
        for kind in ("rag_up", "rag_down", "first_rated")
        if getattr(changes, kind)
    }


def test_not_rated_then_green_is_a_first_rating(plan):
    write(plan.review, "")
    close_period(plan.period, user=plan.gail)
    q1 = open_quarter(plan.strategy, Q1)
    write(plan.review, "Green", plan.levels["Green"])

    changes = what_changed(q1)

    assert ratings(changes) == {"first_rated": [("1.1", "Not rated", "Green")]}
    assert changes.summary["first_rated"] == 1


def test_yellow_then_amber_is_no_change_once_the_scale_maps_yellow_to_amber(plan):
    # Closed with "Yellow", which the scale did not know then: not in the key.
    write(plan.mapping, "Yellow")
    close_period(plan.period, user=plan.gail)
    q1 = open_quarter(plan.strategy, Q1)
    write(plan.mapping, "Amber", plan.levels["Amber"])
    RagLevel.objects.filter(pk=plan.levels["Amber"].pk).update(aliases=["Yellow"])

    changes = what_changed(q1)

    assert ratings(changes) == {}  # neither a change nor a first rating
    assert changes.summary["rag_up"] == changes.summary["rag_down"] == 0


def test_yellow_as_amber_then_green_is_better_once(plan):
    RagLevel.objects.filter(pk=plan.levels["Amber"].pk).update(aliases=["Yellow"])
    write(plan.mapping, "Yellow", plan.levels["Amber"])
    close_period(plan.period, user=plan.gail)
    q1 = open_quarter(plan.strategy, Q1)
    write(plan.mapping, "Green", plan.levels["Green"])
    write(plan.review, "yellow ", plan.levels["Amber"])  # Green to Yellow (Amber): worse

    changes = what_changed(q1)

    assert ratings(changes) == {
        "rag_up": [("1.2", "Amber", "Green")],
        "rag_down": [("1.1", "Green", "Amber")],
    }


def test_a_closed_period_reads_the_alias_added_after_it_closed(plan):
    write(plan.mapping, "Yellow")
    close_period(plan.period, user=plan.gail)
    q1 = open_quarter(plan.strategy, Q1)
    write(plan.mapping, "Green", plan.levels["Green"])
    close_period(q1, user=plan.gail)
    assert ratings(what_changed(q1)) == {"first_rated": [("1.2", "Not rated", "Green")]}

    RagLevel.objects.filter(pk=plan.levels["Amber"].pk).update(aliases=["Yellow"])

    assert ratings(what_changed(q1)) == {"rag_up": [("1.2", "Amber", "Green")]}


def test_an_action_not_updated_keeps_its_rating(plan):
    close_period(plan.period, user=plan.gail)
    q1 = open_quarter(plan.strategy, Q1)

    not_updated = what_changed(q1).not_updated

    assert [(c.ref, c.before, c.after, c.note, c.rating) for c in not_updated] == [
        ("1.1", "", "", "No update this quarter", "Green"),
        ("1.2", "", "", "No update this quarter", "Amber"),
    ]


def test_each_change_names_the_action_by_its_ref_now(plan):
    close_period(plan.period, user=plan.gail)
    q1 = open_quarter(plan.strategy, Q1)
    write(plan.review, "Red", plan.levels["Red"])
    close_period(q1, user=plan.gail)
    Action.objects.filter(pk=plan.review.pk).update(number=7)  # renumbered since
    Action.objects.filter(pk=plan.mapping.pk).delete()

    changes = what_changed(q1)

    assert [(c.ref, c.link_ref) for c in changes.rag_down] == [("1.1", "1.7")]
    assert [(c.ref, c.link_ref) for c in changes.not_updated] == [("1.1", "1.7"), ("1.2", "")]


# Any scale: levels in any order, any labels and aliases, any of them meaning complete.

LABELS = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@st.composite
def scales(draw):
    labels = draw(st.lists(LABELS, min_size=1, max_size=6, unique=True))
    levels = []
    taken = set(labels)
    for position, label in enumerate(labels, start=1):
        aliases = [a for a in draw(st.lists(LABELS, max_size=2, unique=True)) if a not in taken]
        taken.update(aliases)
        levels.append(
            RagLevel(
                label=label,
                position=position,
                aliases=aliases,
                means_complete=draw(st.booleans()),
            )
        )
    return levels


def written(levels):
    """A rating as written: a label, an alias, in any case, or words the scale lacks."""
    names = [n for level in levels for n in [level.label, *level.aliases]]
    return st.one_of(
        st.sampled_from(names).map(lambda n: n.upper()),
        st.sampled_from(names),
        st.just(""),
        st.just("zz unknown"),
    )


def snapshot(rating):
    return ActionSnapshot(rag_text=rating, rag_label="", rag_position=None)


@given(st.data())
def test_any_scale_orders_ratings_by_place_with_complete_best(data):
    levels = data.draw(scales())
    scale = Scale(levels)
    sequence = data.draw(st.lists(written(levels), min_size=2, max_size=6))
    shots = [snapshot(rating) for rating in sequence]
    for was, now in zip(shots, shots[1:], strict=False):
        kind, back = scale.compare(was, now), scale.compare(now, was)
        before, after = scale.level(was), scale.level(now)
        if after is None or before is after:
            assert kind is None  # the same level, however written, is no change
        elif before is None:
            assert kind == FIRST
        else:
            better = (not after.means_complete, after.position) < (
                not before.means_complete,
                before.position,
            )
            assert kind == (UP if better else DOWN)
            assert back == (DOWN if better else UP)


QUARTERS = ["2016/17 Q1", "2016/17 Q2", "2016/17 Q3", "2016/17 Q4"]


def expected(levels, was, now):
    """The kind of change from rating ``was`` to ``now``, worked out from the levels."""

    def level(rating):
        wanted = " ".join(rating.split()).casefold()
        found = [lv for lv in levels if wanted in {n.casefold() for n in [lv.label, *lv.aliases]}]
        return found[0] if wanted and found else None

    before, after = level(was), level(now)
    if after is None or before is after:
        return None
    if before is None:
        return FIRST
    rank = lambda lv: (not lv.means_complete, lv.position)  # noqa: E731
    return UP if rank(after) < rank(before) else DOWN


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_quarter_after_quarter_on_any_scale_each_change_is_counted_once(data):
    from django.db import transaction

    from planboard.plans.models import Strategy
    from planboard.plans.rag import create_scale, match_level
    from tests.builders import make_action, make_theme

    levels = data.draw(scales())
    sequence = data.draw(st.lists(written(levels), min_size=2, max_size=len(QUARTERS)))
    with transaction.atomic():
        strategy = Strategy.objects.create(slug="any-scale", title="Any scale")
        specs = [
            {"label": lv.label, "aliases": lv.aliases, "means_complete": lv.means_complete}
            for lv in levels
        ]
        saved = create_scale(strategy, specs)
        action = make_action(make_theme(strategy), "The one action.")
        periods = []
        for label, rating in zip(QUARTERS, sequence, strict=False):
            period = open_quarter(strategy, label)
            write(action, rating, match_level(saved, rating))
            close_period(period, user=None)
            periods.append(period)
        for i in range(1, len(periods)):
            changes = what_changed(periods[i])
            found = [kind for kind in (UP, DOWN, FIRST) if getattr(changes, kind)]
            kind = expected(saved, sequence[i - 1], sequence[i])
            assert found == ([kind] if kind else []), (sequence[i - 1], sequence[i])
        transaction.set_rollback(True)
