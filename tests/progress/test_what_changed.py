"""What changed since the last closed period, from snapshots."""

import datetime

import pytest

from planboard.plans.models import Action, ActionStatus, RagLevel
from planboard.progress.changes import KINDS, Change, what_changed
from planboard.progress.models import ActionSnapshot
from planboard.progress.services import accept_update, close_period, create_period
from tests.builders import make_action, make_large_plan
from tests.progress.cycle import governance, open_quarter, submit

SEPTEMBER = datetime.date(2017, 9, 30)
Q1 = "2017/18 Q1"  # April to June 2017

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(plan):
    """Q4 2016/17 closed as the baseline (1.1 Green, due Mar 2017; 1.2 Amber, due Jun
    2017), and 2017/18 Q1 open."""
    close_period(plan.period, user=plan.gail)
    plan.q1 = open_quarter(plan.strategy, Q1)
    return plan


def rate(action, level):
    Action.objects.filter(pk=action.pk).update(
        rag_level=level, rag_text=level.label if level else ""
    )


def kinds(changes):
    return {
        kind: [c.ref for c in getattr(changes, kind)] for kind in KINDS if getattr(changes, kind)
    }


def test_there_is_nothing_to_compare_before_a_period_has_closed(plan):
    changes = what_changed(plan.period)

    assert changes.baseline is None
    assert changes.summary == dict.fromkeys(KINDS, 0)


def test_it_compares_with_the_previous_closed_period(later):
    changes = what_changed(later.q1)

    assert changes.baseline == later.period
    # Nothing moved, but March has passed for 1.1, and neither has an update yet.
    assert kinds(changes) == {"newly_overdue": ["1.1"], "not_updated": ["1.1", "1.2"]}


def test_a_better_rating_is_up_and_a_worse_one_down(later):
    rate(later.review, later.levels["Red"])
    rate(later.mapping, later.levels["Green"])

    changes = what_changed(later.q1)

    assert changes.rag_down == [
        Change(
            ref="1.1", text="Review the structure of SUSEG meetings.", before="Green", after="Red"
        )
    ]
    assert [(c.ref, c.before, c.after) for c in changes.rag_up] == [("1.2", "Amber", "Green")]


def test_rating_an_unrated_action_is_neither_up_nor_down(later):
    rate(later.review, None)
    close_period(later.q1, user=later.gail)
    q2 = open_quarter(later.strategy, "2017/18 Q2")
    rate(later.review, later.levels["Red"])

    assert what_changed(later.q1).rag_up == what_changed(later.q1).rag_down == []
    assert what_changed(q2).rag_up == what_changed(q2).rag_down == []


def test_a_level_meaning_complete_is_the_best(later):
    blue = RagLevel.objects.create(
        strategy=later.strategy, label="Blue", position=4, means_complete=True
    )
    rate(later.review, blue)

    assert [(c.ref, c.after) for c in what_changed(later.q1).rag_up] == [("1.1", "Blue")]


def test_it_lists_actions_newly_complete(later):
    update = submit(later.review, later.mia, "Done.", complete=True)
    accept_update(update, user=later.gail, expected_version=1, today=datetime.date(2017, 4, 20))

    [change] = what_changed(later.q1).newly_complete

    assert (change.ref, change.before, change.after) == ("1.1", "In progress", "Complete")
    assert change.note == "Completed on 20 Apr 2017"


def test_an_action_overdue_at_both_period_ends_is_not_newly_overdue(later):
    Action.objects.filter(pk=later.review.pk).update(target_date=datetime.date(2017, 1, 31))
    # Q1 closes with 1.1 due in January: overdue at the end of Q1 and of Q2 alike.
    close_period(later.q1, user=later.gail)
    q2 = open_quarter(later.strategy, "2017/18 Q2")

    overdue = what_changed(q2).newly_overdue

    assert [c.ref for c in overdue] == ["1.2"]  # June has passed by the end of September
    assert overdue[0].note == "Due by Jun 2017"


def test_it_lists_targets_moved_with_the_reason_given(later):
    update = submit(
        later.mapping, later.jane, "Delayed.", new_target_date=SEPTEMBER, reason="Restructure."
    )
    accept_update(update, user=later.gail, expected_version=1)

    [change] = what_changed(later.q1).target_moved

    assert (change.ref, change.before, change.after, change.note) == (
        "1.2",
        "Jun 2017",
        "Sep 2017",
        "Restructure.",
    )


def test_a_target_moved_outside_the_cycle_has_no_reason(later):
    Action.objects.filter(pk=later.review.pk).update(target_date=SEPTEMBER)

    [change] = what_changed(later.q1).target_moved

    assert (change.before, change.after, change.note) == ("Mar 2017", "Sep 2017", "")


def test_a_reason_waiting_for_review_is_not_given_for_a_move_made_elsewhere(later):
    submit(later.mapping, later.jane, "Later.", new_target_date=SEPTEMBER, reason="Proposal.")
    Action.objects.filter(pk=later.mapping.pk).update(target_date=datetime.date(2017, 8, 31))

    [change] = what_changed(later.q1).target_moved

    assert (change.before, change.after, change.note) == ("Jun 2017", "Aug 2017", "")


def test_it_lists_actions_added_and_removed_by_ref(later):
    make_action(later.theme, "Recruit two EbE leads.")
    Action.objects.get(pk=later.review.pk).delete()

    changes = what_changed(later.q1)

    assert [(c.ref, c.after) for c in changes.added] == [("1.3", "Recruit two EbE leads.")]
    assert [(c.ref, c.before) for c in changes.removed] == [
        ("1.1", "Review the structure of SUSEG meetings.")
    ]


def test_it_lists_open_actions_without_an_update_this_period(later):
    submit(later.review, later.mia)
    Action.objects.filter(pk=later.mapping.pk).update(status=ActionStatus.COMPLETE)
    make_action(later.theme, "Recruit two EbE leads.")

    assert [c.ref for c in what_changed(later.q1).not_updated] == ["1.3"]


def test_an_open_period_is_compared_live_without_saving_snapshots(later):
    saved = ActionSnapshot.objects.count()
    submit(later.review, later.mia)

    assert [c.ref for c in what_changed(later.q1).not_updated] == ["1.2"]
    assert ActionSnapshot.objects.count() == saved


def test_a_closed_period_is_compared_from_its_frozen_snapshots(later):
    rate(later.review, later.levels["Red"])
    close_period(later.q1, user=later.gail)
    at_close = what_changed(later.q1)

    rate(later.review, later.levels["Green"])
    Action.objects.filter(pk=later.mapping.pk).update(target_date=SEPTEMBER)
    make_action(later.theme, "Added after the close.")

    assert what_changed(later.q1) == at_close
    assert [c.ref for c in at_close.rag_down] == ["1.1"]


def test_the_baseline_is_the_latest_closed_period_before_this_one(later):
    create_period(later.strategy, "2016/17 Q2", user=later.gail)  # planned, never opened
    close_period(later.q1, user=later.gail)
    q2 = open_quarter(later.strategy, "2017/18 Q2")

    assert what_changed(q2).baseline == later.q1
    assert what_changed(later.q1).baseline == later.period
    assert what_changed(later.period).baseline is None


@pytest.mark.parametrize("close", [False, True])
def test_it_compares_a_plan_ten_times_larger_in_the_same_number_of_queries(
    django_assert_num_queries, close
):
    gail = governance()
    periods = []
    for slug, size in (("small", 30), ("large", 300)):
        strategy = make_large_plan(slug=slug, actions=size)
        close_period(open_quarter(strategy, "2017/18 Q2"), user=gail)
        period = open_quarter(strategy, "2017/18 Q3")
        actions = Action.objects.for_strategy(strategy).open()
        for action in actions[: size // 3]:
            submit(action, gail)
        Action.objects.filter(pk__in=[a.pk for a in actions[: size // 10]]).update(
            target_date=datetime.date(2017, 12, 31)
        )
        if close:
            close_period(period, user=gail, confirm_not_accepted=True)
        periods.append(period)

    queries = 4 if close else 7  # with the scale, read once
    for period in periods:
        with django_assert_num_queries(queries):
            changes = what_changed(period)
        assert changes.not_updated and changes.target_moved
