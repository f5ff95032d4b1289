"""Update completion: updated actions / open actions, overall and by lead role."""

import pytest

from planboard.plans.models import Action, ActionStatus
from planboard.progress.completion import Completion, RoleCompletion, completion_rate
from planboard.progress.services import accept_update, close_period, return_update
from tests.builders import make_action, make_large_plan, make_role
from tests.progress.cycle import governance, open_quarter, submit

pytestmark = pytest.mark.django_db


def test_nothing_is_updated_when_a_period_opens(plan):
    completion = completion_rate(plan.period)

    assert completion == Completion(
        period=plan.period,
        updated=0,
        open=2,
        by_role=[
            RoleCompletion(role="EM", updated=0, open=1),
            RoleCompletion(role="Head of SUEMU", updated=0, open=1),
        ],
    )
    assert completion.rate == 0.0 and completion.missing == 2


def test_a_submitted_update_counts_as_received(plan):
    submit(plan.review, plan.mia)

    completion = completion_rate(plan.period)

    assert (completion.updated, completion.open, completion.rate) == (1, 2, 0.5)
    assert completion.by_role[0] == RoleCompletion(role="EM", updated=1, open=1)
    assert completion.by_role[0].rate == 1.0


def test_an_accepted_update_counts_and_a_returned_one_does_not(plan):
    accept_update(submit(plan.review, plan.mia), user=plan.gail, expected_version=1)
    returned = submit(plan.mapping, plan.jane)
    return_update(returned, user=plan.gail, comment="More detail.", expected_version=1)

    completion = completion_rate(plan.period)

    assert (completion.updated, completion.open) == (1, 2)
    assert [r.updated for r in completion.by_role] == [1, 0]


def test_an_action_already_complete_owes_no_update(plan):
    plan.mapping.status = ActionStatus.COMPLETE
    plan.mapping.save()

    completion = completion_rate(plan.period)

    assert (completion.updated, completion.open) == (0, 1)
    assert [r.role for r in completion.by_role] == ["EM"]


def test_an_action_completed_by_its_update_this_period_counts_as_updated(plan):
    update = submit(plan.review, plan.mia, "Finished.", complete=True)
    accept_update(update, user=plan.gail, expected_version=1)

    completion = completion_rate(plan.period)

    assert Action.objects.get(pk=plan.review.pk).is_complete
    assert (completion.updated, completion.open) == (1, 2)


def test_the_rate_is_none_without_open_actions(plan):
    Action.objects.update(status=ActionStatus.COMPLETE)

    completion = completion_rate(plan.period)

    assert (completion.open, completion.rate, completion.by_role) == (0, None, [])


def test_an_action_counts_once_overall_and_once_for_each_of_its_roles(plan):
    board = make_role(plan.strategy, "Associate Director", "AD")
    make_action(plan.theme, "Joint work.", leads=[plan.em, plan.head, board])
    make_action(plan.theme, "Nobody's job.", leads=[])
    submit(Action.objects.get(text="Joint work."), plan.gail)

    completion = completion_rate(plan.period)

    assert (completion.updated, completion.open) == (1, 4)
    assert completion.by_role == [
        RoleCompletion(role="AD", updated=1, open=1),
        RoleCompletion(role="EM", updated=1, open=2),
        RoleCompletion(role="Head of SUEMU", updated=1, open=2),
    ]


def test_a_closed_period_keeps_the_completion_it_closed_with(plan):
    submit(plan.review, plan.mia)
    at_close = completion_rate(plan.period)
    close_period(plan.period, user=plan.gail, confirm_not_accepted=True)

    Action.objects.filter(pk=plan.mapping.pk).update(status=ActionStatus.COMPLETE)
    make_action(plan.theme, "Added later.", leads=[plan.em])
    plan.review.leads.set([plan.head])

    assert completion_rate(plan.period) == at_close


@pytest.mark.parametrize("close", [False, True])
def test_it_counts_a_plan_ten_times_larger_in_the_same_number_of_queries(
    django_assert_num_queries, close
):
    gail = governance()
    periods = []
    for slug, size in (("small", 30), ("large", 300)):
        strategy = make_large_plan(slug=slug, actions=size)
        period = open_quarter(strategy, "2017/18 Q3")
        for action in Action.objects.for_strategy(strategy).open()[: size // 3]:
            submit(action, gail)
        if close:
            close_period(period, user=gail, confirm_not_accepted=True)
        periods.append(period)

    counts = []
    for period in periods:
        with django_assert_num_queries(1 if close else 2):
            completion = completion_rate(period)
        counts.append(completion)
    assert counts[0].updated == 10 and counts[1].updated == 100
    assert len(counts[1].by_role) > 1
