"""What changed in the last closed quarter, as the public page tells it.

Everything is driven through the real quarterly cycle: periods are opened and closed
with the progress services, leads submit updates and governance accepts them, so the
comparison reads real frozen snapshots. The baseline quarter is 2016/17 Q4 (ending
31 March 2017) and the quarter reported is 2017/18 Q1 (April to June 2017).
"""

import datetime
from types import SimpleNamespace

import pytest

from planboard.plans.models import Action, ActionStatus, DatePrecision, RagLevel
from planboard.progress.services import accept_update, close_period, return_update
from planboard.public.content import QuarterChange, QuarterChanges, public_plan, quarter_changes
from planboard.public.publishing import action_publication_of, save_action_publication
from planboard.public.standing import Standing
from tests.builders import make_action, make_role, make_strategy, make_theme
from tests.progress.cycle import Q3, Q4, governance, lead, open_quarter, submit

pytestmark = pytest.mark.django_db

Q1 = "2017/18 Q1"  # April to June 2017
Q2 = "2017/18 Q2"  # July to September 2017
JANUARY = datetime.date(2017, 1, 31)
APRIL = datetime.date(2017, 4, 30)
JUNE = datetime.date(2017, 6, 30)
SEPTEMBER = datetime.date(2017, 9, 30)
DECEMBER = datetime.date(2017, 12, 31)
REASON = "Two of the posts are vacant until the summer."


@pytest.fixture
def cycle(db):
    """A strategy of one theme, Mia leading its actions and Gail in governance."""
    strategy = make_strategy(slug="changes", title="Service User Engagement Strategy")
    theme = make_theme(strategy, title="Focussed Culture Change")
    em = make_role(strategy, "Engagement Manager", "EM")
    return SimpleNamespace(
        strategy=strategy,
        theme=theme,
        em=em,
        gail=governance(),
        mia=lead(strategy, [em], "mia"),
    )


def add(cycle, text, *, published=True, theme=None, **fields):
    """An action led by Mia, published with a summary unlike its plan text."""
    fields.setdefault("target", DECEMBER)
    action = make_action(theme or cycle.theme, text, leads=[cycle.em], **fields)
    publish(cycle, action, published=published)
    return action


def publish(cycle, action, *, published=True):
    current = action_publication_of(action)
    save_action_publication(
        action,
        published=published,
        summary=summary_of(action),
        version=current.version,
        user=cycle.gail,
    )


def summary_of(action):
    return f"In plain words: public summary of action {action.ref}."


def accept(cycle, action, narrative="Progress this quarter.", **fields):
    update = submit(action, cycle.mia, narrative, **fields)
    return accept_update(update, user=cycle.gail, expected_version=update.version)


def close_baseline(cycle, label=Q4):
    """Close ``label`` as the baseline and open the next quarter, Q1."""
    close_period(open_quarter(cycle.strategy, label), user=cycle.gail)
    return open_quarter(cycle.strategy, Q1)


def changes_after(cycle, period):
    """Close ``period`` and return what the public page says changed."""
    close_period(period, user=cycle.gail, confirm_not_accepted=True)
    return public_plan(cycle.strategy).changes


def refs(changes):
    return {
        kind: [change.ref for change in getattr(changes, kind)]
        for kind in ("completed", "started", "delayed")
    }


NOTHING = {"completed": [], "started": [], "delayed": []}


# --- before there is anything to compare ---------------------------------------


def test_there_are_no_changes_before_any_period_exists(cycle):
    add(cycle, "Review the structure of SUSEG meetings.")

    assert public_plan(cycle.strategy).changes is None
    assert quarter_changes(cycle.strategy, {}) is None


def test_an_open_period_is_not_a_closed_one(cycle):
    action = add(cycle, "Review the structure of SUSEG meetings.")
    open_quarter(cycle.strategy, Q4)
    accept(cycle, action, complete=True)

    assert public_plan(cycle.strategy).changes is None


def test_the_first_closed_period_has_nothing_to_compare_with(cycle):
    action = add(cycle, "Review the structure of SUSEG meetings.")
    period = open_quarter(cycle.strategy, Q4)
    accept(cycle, action, complete=True)

    changes = changes_after(cycle, period)

    assert changes == QuarterChanges(period=Q4, baseline=None)
    assert (changes.completed, changes.started, changes.delayed) == ((), (), ())
    assert not changes.any


# --- completed and started -------------------------------------------------------


def test_it_lists_an_action_completed_in_the_quarter(cycle):
    action = add(cycle, "Review the structure of SUSEG meetings.")
    q1 = close_baseline(cycle)
    accept(cycle, action, "Done: meetings now rotate around the city.", complete=True)

    changes = changes_after(cycle, q1)

    assert changes == QuarterChanges(
        period=Q1,
        baseline=Q4,
        completed=(QuarterChange(ref="1.1", summary=summary_of(action)),),
    )
    assert changes.any


def test_an_action_complete_at_the_baseline_is_not_completed_again(cycle):
    action = add(cycle, "Review the structure of SUSEG meetings.")
    period = open_quarter(cycle.strategy, Q4)
    accept(cycle, action, complete=True)
    close_period(period, user=cycle.gail)
    q1 = open_quarter(cycle.strategy, Q1)
    accept(cycle, action, "Still done.", complete=True)

    changes = changes_after(cycle, q1)

    assert refs(changes) == NOTHING
    assert not changes.any


def test_it_lists_an_action_started_in_the_quarter(cycle):
    action = add(cycle, "Map engagement across directorates.", status=ActionStatus.NOT_STARTED)
    q1 = close_baseline(cycle)
    accept(cycle, action, "The mapping has begun.")

    changes = changes_after(cycle, q1)

    assert changes.started == (QuarterChange(ref="1.1", summary=summary_of(action)),)
    assert refs(changes) == {**NOTHING, "started": ["1.1"]}


def test_an_action_not_started_that_is_completed_is_listed_as_completed_only(cycle):
    action = add(cycle, "Map engagement across directorates.", status=ActionStatus.NOT_STARTED)
    q1 = close_baseline(cycle)
    accept(cycle, action, "All done in one go.", complete=True)

    assert refs(changes_after(cycle, q1)) == {**NOTHING, "completed": ["1.1"]}


def test_an_action_still_not_started_or_in_progress_at_both_ends_is_not_listed(cycle):
    add(cycle, "Map engagement across directorates.", status=ActionStatus.NOT_STARTED)
    busy = add(cycle, "Review the structure of SUSEG meetings.")
    q1 = close_baseline(cycle)
    accept(cycle, busy, "More progress.")

    assert refs(changes_after(cycle, q1)) == NOTHING


# --- delays --------------------------------------------------------------------


def test_a_target_moved_later_is_a_delay_with_the_leads_reason(cycle):
    action = add(cycle, "Map engagement across directorates.", target=JUNE)
    q1 = close_baseline(cycle)
    accept(cycle, action, "Delayed.", new_target_date=SEPTEMBER, reason=REASON)

    changes = changes_after(cycle, q1)

    assert changes.delayed == (
        QuarterChange(
            ref="1.1",
            summary=summary_of(action),
            note=f"Target moved from Jun 2017 to Sep 2017. Reason given: {REASON}",
        ),
    )
    assert refs(changes) == {**NOTHING, "delayed": ["1.1"]}


def test_the_note_shows_each_target_as_precisely_as_it_was_given(cycle):
    action = add(cycle, "Map engagement across directorates.", target=JUNE)
    q1 = close_baseline(cycle)
    accept(
        cycle,
        action,
        "Delayed.",
        new_target_date=datetime.date(2017, 9, 15),
        new_target_precision=DatePrecision.DAY,
        reason=REASON,
    )

    [delay] = changes_after(cycle, q1).delayed

    assert delay.note.startswith("Target moved from Jun 2017 to 15 Sep 2017.")


def test_a_target_moved_later_outside_the_cycle_is_a_delay_without_a_reason(cycle):
    action = add(cycle, "Map engagement across directorates.", target=JUNE)
    q1 = close_baseline(cycle)
    Action.objects.filter(pk=action.pk).update(target_date=SEPTEMBER)

    [delay] = changes_after(cycle, q1).delayed

    assert delay.note == "Target moved from Jun 2017 to Sep 2017."


def test_a_target_that_passed_during_the_quarter_is_a_delay(cycle):
    action = add(cycle, "Map engagement across directorates.", target=APRIL)
    q1 = close_baseline(cycle)
    accept(cycle, action, "Nearly there.")

    changes = changes_after(cycle, q1)

    assert changes.delayed == (
        QuarterChange(
            ref="1.1", summary=summary_of(action), note="Its target, Apr 2017, has passed."
        ),
    )


def test_a_target_due_on_the_last_day_of_the_quarter_has_not_passed(cycle):
    add(cycle, "Map engagement across directorates.", target=JUNE)
    q1 = close_baseline(cycle)

    assert refs(changes_after(cycle, q1)) == NOTHING


def test_a_target_already_passed_at_the_baseline_is_not_a_new_delay(cycle):
    add(cycle, "Map engagement across directorates.", target=JANUARY)
    q1 = close_baseline(cycle)

    assert refs(changes_after(cycle, q1)) == NOTHING


def test_a_target_moved_earlier_is_not_a_delay(cycle):
    action = add(cycle, "Map engagement across directorates.", target=DECEMBER)
    q1 = close_baseline(cycle)
    accept(cycle, action, "Going faster.", new_target_date=SEPTEMBER, reason="More staff.")
    assert Action.objects.get(pk=action.pk).target_date == SEPTEMBER

    assert refs(changes_after(cycle, q1)) == NOTHING


def test_a_completed_action_is_never_delayed(cycle):
    passed = add(cycle, "Map engagement across directorates.", target=APRIL)
    moved = add(cycle, "Review the structure of SUSEG meetings.", target=JUNE)
    q1 = close_baseline(cycle)
    accept(cycle, passed, "Done, late.", complete=True)
    accept(cycle, moved, "Done.", complete=True, new_target_date=SEPTEMBER, reason=REASON)

    assert refs(changes_after(cycle, q1)) == {**NOTHING, "completed": ["1.1", "1.2"]}


def test_an_action_can_be_started_and_delayed_at_once(cycle):
    action = add(cycle, "Recruit two EbE leads.", target=JUNE, status=ActionStatus.NOT_STARTED)
    q1 = close_baseline(cycle)
    accept(cycle, action, "Started late.", new_target_date=SEPTEMBER, reason=REASON)

    assert refs(changes_after(cycle, q1)) == {**NOTHING, "started": ["1.1"], "delayed": ["1.1"]}


def test_a_reason_given_on_an_earlier_update_is_not_repeated(cycle):
    """The reason comes from the reported quarter's own update, not the baseline's."""
    action = add(cycle, "Map engagement across directorates.", target=JUNE)
    period = open_quarter(cycle.strategy, Q4)
    accept(cycle, action, "Delayed.", new_target_date=SEPTEMBER, reason=REASON)
    close_period(period, user=cycle.gail)
    q1 = open_quarter(cycle.strategy, Q1)
    Action.objects.filter(pk=action.pk).update(target_date=DECEMBER)

    [delay] = changes_after(cycle, q1).delayed

    assert delay.note == "Target moved from Sep 2017 to Dec 2017."


# --- only what is published, as published ---------------------------------------


def test_only_published_actions_appear(cycle):
    shown = add(cycle, "Review the structure of SUSEG meetings.")
    hidden = add(cycle, "Map engagement across directorates.", published=False)
    withdrawn = add(cycle, "Recruit two EbE leads.")
    never = make_action(cycle.theme, "Train staff in co-production.", leads=[cycle.em])
    publish(cycle, withdrawn, published=False)
    q1 = close_baseline(cycle)
    for action in (shown, hidden, withdrawn, never):
        accept(cycle, action, "Done.", complete=True)

    changes = changes_after(cycle, q1)

    assert refs(changes) == {**NOTHING, "completed": ["1.1"]}


def test_changes_show_the_public_summary_never_the_plans_text(cycle):
    completed = add(cycle, "Review the structure of SUSEG meetings.")
    started = add(cycle, "Map engagement across directorates.", status=ActionStatus.NOT_STARTED)
    delayed = add(cycle, "Recruit two EbE leads.", target=JUNE)
    q1 = close_baseline(cycle)
    accept(cycle, completed, "NARRATIVE-ONE about Mia.", complete=True)
    accept(cycle, started, "NARRATIVE-TWO about Mia.")
    accept(cycle, delayed, "NARRATIVE-THREE.", new_target_date=SEPTEMBER, reason=REASON)

    changes = changes_after(cycle, q1)

    everything = (*changes.completed, *changes.started, *changes.delayed)
    assert [change.summary for change in everything] == [
        summary_of(completed),
        summary_of(started),
        summary_of(delayed),
    ]
    text = repr(changes)
    for action in (completed, started, delayed):
        assert action.text not in text
    assert "NARRATIVE" not in text
    assert "Mia" not in text


def test_a_summary_edited_after_the_close_is_shown_as_it_is_now(cycle):
    action = add(cycle, "Review the structure of SUSEG meetings.")
    q1 = close_baseline(cycle)
    accept(cycle, action, "Done.", complete=True)
    close_period(q1, user=cycle.gail)
    save_action_publication(
        action,
        published=True,
        summary="Meetings now move around Sheffield.",
        version=1,
        user=cycle.gail,
    )

    [change] = public_plan(cycle.strategy).changes.completed

    assert change.summary == "Meetings now move around Sheffield."


def test_an_action_published_with_no_snapshot_in_the_baseline_is_skipped(cycle):
    old = add(cycle, "Review the structure of SUSEG meetings.")
    q1 = close_baseline(cycle)
    new = add(cycle, "Recruit two EbE leads.", target=APRIL)
    accept(cycle, old, "Done.", complete=True)
    accept(cycle, new, "Done.", complete=True)

    changes = changes_after(cycle, q1)

    assert [a.ref for a in public_plan(cycle.strategy).actions] == ["1.1", "1.2"]
    assert refs(changes) == {**NOTHING, "completed": ["1.1"]}


def test_an_action_published_with_no_snapshot_in_the_reported_quarter_is_skipped(cycle):
    """1.2 is removed during Q1 and a new 1.2 added after Q1 closed: the baseline has a
    1.2 but the reported quarter has none, so the new action is not compared with it."""
    add(cycle, "Review the structure of SUSEG meetings.", target=APRIL)
    old = add(cycle, "Map engagement across directorates.", target=JANUARY)
    q1 = close_baseline(cycle)
    old.delete()
    close_period(q1, user=cycle.gail)
    open_quarter(cycle.strategy, Q2)
    new = add(cycle, "Recruit two EbE leads.", status=ActionStatus.COMPLETE)
    assert new.ref == "1.2"

    changes = public_plan(cycle.strategy).changes

    assert (changes.period, changes.baseline) == (Q1, Q4)
    assert refs(changes) == {**NOTHING, "delayed": ["1.1"]}


def test_the_published_dict_decides_which_actions_are_compared(cycle):
    action = add(cycle, "Review the structure of SUSEG meetings.")
    q1 = close_baseline(cycle)
    accept(cycle, action, "Done.", complete=True)
    close_period(q1, user=cycle.gail)
    plan = public_plan(cycle.strategy)

    assert quarter_changes(cycle.strategy, {a.ref: a for a in plan.actions}) == plan.changes
    assert quarter_changes(cycle.strategy, {}) == QuarterChanges(period=Q1, baseline=Q4)


# --- which quarters -------------------------------------------------------------


def test_it_compares_the_last_two_closed_periods(cycle):
    early = add(cycle, "Review the structure of SUSEG meetings.")
    late = add(cycle, "Map engagement across directorates.")
    q3 = open_quarter(cycle.strategy, Q3)
    close_period(q3, user=cycle.gail)
    q4 = open_quarter(cycle.strategy, Q4)
    accept(cycle, early, "Done in Q4.", complete=True)
    close_period(q4, user=cycle.gail)
    q1 = open_quarter(cycle.strategy, Q1)
    accept(cycle, late, "Done in Q1.", complete=True)
    close_period(q1, user=cycle.gail)
    q2 = open_quarter(cycle.strategy, Q2)  # open: not reported until it closes

    changes = public_plan(cycle.strategy).changes

    assert (changes.period, changes.baseline) == (Q1, Q4)
    assert refs(changes) == {**NOTHING, "completed": ["1.2"]}

    close_period(q2, user=cycle.gail)
    assert public_plan(cycle.strategy).changes == QuarterChanges(period=Q2, baseline=Q1)


def test_another_strategys_periods_are_not_counted(cycle):
    other = make_strategy(slug="other")
    make_action(make_theme(other), "Another trust's action.")
    for label in (Q4, Q1):
        close_period(open_quarter(other, label), user=cycle.gail)
    add(cycle, "Review the structure of SUSEG meetings.")
    close_period(open_quarter(cycle.strategy, Q1), user=cycle.gail)

    assert public_plan(cycle.strategy).changes == QuarterChanges(period=Q1, baseline=None)


def test_each_list_is_in_plan_order(cycle):
    second = make_theme(cycle.strategy, title="Experts by experience")
    actions = [
        add(cycle, "Theme two, first.", theme=second),
        add(cycle, "Theme one, first."),
        add(cycle, "Theme two, second.", theme=second),
        add(cycle, "Theme one, second."),
    ]
    q1 = close_baseline(cycle)
    for action in reversed(actions):
        accept(cycle, action, "Done.", complete=True)

    changes = changes_after(cycle, q1)

    assert [c.ref for c in changes.completed] == ["1.1", "1.2", "2.1", "2.2"]


def test_the_reason_of_a_returned_proposal_is_not_given_for_another_move(cycle):
    action = add(cycle, "Map engagement across directorates.", target=JUNE)
    q1 = close_baseline(cycle)
    proposal = submit(
        action, cycle.mia, "Delayed.", new_target_date=SEPTEMBER, reason="UNREVIEWED-REASON"
    )
    return_update(proposal, user=cycle.gail, comment="Please say more.", expected_version=1)
    Action.objects.filter(pk=action.pk).update(target_date=DECEMBER)  # a correction

    [delay] = changes_after(cycle, q1).delayed

    assert delay.note == "Target moved from Jun 2017 to Dec 2017."


def test_an_action_the_page_shows_complete_is_not_listed_as_delayed(cycle):
    blue = RagLevel.objects.create(
        strategy=cycle.strategy, label="Blue", position=4, means_complete=True
    )
    action = add(cycle, "Map engagement across directorates.", target=APRIL)
    q1 = close_baseline(cycle)
    Action.objects.filter(pk=action.pk).update(rag_level=blue, rag_text="Blue")  # in the admin

    changes = changes_after(cycle, q1)

    assert public_plan(cycle.strategy).actions[0].standing is Standing.COMPLETE
    assert refs(changes)["delayed"] == []
