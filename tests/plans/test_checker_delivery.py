"""The checker's delivery findings from the update cycle: SLIPPED and NOT_UPDATED."""

import datetime

import pytest
from django.utils import timezone

from planboard.plans.models import ActionStatus, DatePrecision, Strategy
from planboard.progress.checker import FindingCode, FindingKind, check_report, run_checks
from planboard.progress.models import TargetChange
from planboard.progress.services import (
    accept_update,
    close_period,
    open_period,
    return_update,
    submit_update,
)
from tests.builders import make_action, make_large_plan, make_role, make_strategy, make_theme
from tests.progress.cycle import governance, reviewer

MARCH = datetime.date(2017, 3, 31)
JUNE = datetime.date(2017, 6, 30)
SEPTEMBER = datetime.date(2017, 9, 30)
AS_OF = datetime.date(2017, 2, 13)

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    return make_strategy(slug="plan")


@pytest.fixture
def theme(strategy):
    return make_theme(strategy, number=1, commitments=1)


@pytest.fixture
def gail():
    return governance()


def clean_action(theme, **overrides):
    """An action with no data findings, so only delivery findings show."""
    lead = theme.strategy.roles.first() or make_role(theme.strategy, "Engagement Manager", "EM")
    fields = {
        "area": "SUSEG",
        "rating": "Green",
        "leads": [lead],
        "target": MARCH,
        "commitments": list(theme.commitments.all()),
    }
    fields.update(overrides)
    return make_action(theme, **fields)


def delivery(strategy, as_of=AS_OF):
    return [
        (f.code, f.ref, f.message)
        for f in run_checks(strategy, as_of)
        if f.code in (FindingCode.SLIPPED, FindingCode.NOT_UPDATED)
    ]


def move(action, *dates):
    """Record target changes through the table the update cycle writes."""
    for date in dates:
        TargetChange.objects.create(
            action=action,
            from_date=action.target_date,
            from_precision=action.target_precision,
            to_date=date,
            to_precision=DatePrecision.MONTH,
            reason="Waiting for funding.",
            changed_at=timezone.now(),
        )
        action.target_date = date
    action.save()


def test_it_reports_no_missing_updates_when_no_period_is_open(strategy, theme):
    clean_action(theme)

    assert delivery(strategy) == []


def test_it_reports_an_open_action_without_an_update_in_the_open_period(strategy, theme):
    clean_action(theme)
    open_period(strategy, "2016/17 Q4", user=None)

    assert delivery(strategy) == [
        (FindingCode.NOT_UPDATED, "1.1", "Action 1.1 has no update for 2016/17 Q4.")
    ]


def test_it_does_not_ask_a_complete_action_for_an_update(strategy, theme):
    clean_action(theme, status=ActionStatus.COMPLETE)
    open_period(strategy, "2016/17 Q4", user=None)

    assert delivery(strategy) == []


@pytest.mark.parametrize("review", [None, "accept"])
def test_a_submitted_or_accepted_update_counts(strategy, theme, gail, review):
    action = clean_action(theme)
    open_period(strategy, "2016/17 Q4", user=None)
    update = submit_update(action, user=gail, narrative="Meetings restructured.")
    if review:
        accept_update(update, user=reviewer(), expected_version=update.version)

    assert delivery(strategy) == []


def test_a_returned_update_still_counts_as_missing(strategy, theme, gail):
    action = clean_action(theme)
    open_period(strategy, "2016/17 Q4", user=None)
    update = submit_update(action, user=gail, narrative="Done some.")
    return_update(update, user=reviewer(), comment="Say what was done.", expected_version=1)

    assert [code for code, _, _ in delivery(strategy)] == [FindingCode.NOT_UPDATED]


def test_an_update_in_an_earlier_period_does_not_count(strategy, theme, gail):
    action = clean_action(theme)
    q3 = open_period(strategy, "2016/17 Q3", user=None)
    submit_update(action, user=gail, narrative="Started.")
    close_period(q3, user=None, confirm_not_accepted=True)
    open_period(strategy, "2016/17 Q4", user=None)

    assert [code for code, _, _ in delivery(strategy)] == [FindingCode.NOT_UPDATED]


def test_it_counts_each_recorded_move_of_a_target(strategy, theme):
    clean_action(theme)
    move(clean_action(theme), JUNE, SEPTEMBER)

    assert delivery(strategy) == [
        (
            FindingCode.SLIPPED,
            "1.2",
            "Action 1.2's target has moved 2 times (from Mar 2017 to Sep 2017).",
        )
    ]


def test_a_target_unlike_the_original_is_one_move_without_records(strategy, theme):
    action = clean_action(theme)
    action.target_date = JUNE
    action.save()

    assert delivery(strategy) == [
        (
            FindingCode.SLIPPED,
            "1.1",
            "Action 1.1's target has moved once (from Mar 2017 to Jun 2017).",
        )
    ]


def test_a_target_moved_through_an_accepted_update_has_slipped(strategy, theme, gail):
    action = clean_action(theme)
    open_period(strategy, "2016/17 Q4", user=None)
    update = submit_update(
        action, user=gail, narrative="Delayed.", new_target_date=JUNE, reason="Staff left."
    )
    accept_update(update, user=reviewer(), expected_version=update.version)

    [finding] = [f for f in run_checks(strategy, AS_OF) if f.code == FindingCode.SLIPPED]

    assert finding.kind == FindingKind.DELIVERY
    assert finding.message == "Action 1.1's target has moved once (from Mar 2017 to Jun 2017)."


def test_a_row_lists_overdue_then_slipped_then_not_updated(strategy, theme):
    move(clean_action(theme), datetime.date(2016, 12, 31))
    open_period(strategy, "2016/17 Q4", user=None)

    report = check_report(strategy, AS_OF)

    assert [f["code"] for f in report["findings"]] == ["OVERDUE", "SLIPPED", "NOT_UPDATED"]
    assert {f["kind"] for f in report["findings"]} == {"delivery"}
    assert report["summary"] == {"OVERDUE": 1, "SLIPPED": 1, "NOT_UPDATED": 1}


def test_it_reads_delivery_facts_of_a_larger_plan_in_the_same_number_of_queries(
    django_assert_num_queries, gail
):
    for slug, size in (("small", 30), ("large", 300)):
        plan = make_large_plan(slug=slug, actions=size)
        open_period(plan, "2017/18 Q3", user=None)
        actions = list(plan.themes.first().actions.all()[:10])
        for action in actions[:5]:
            submit_update(action, user=gail, narrative="On track.")
        for action in actions[5:]:
            move(action, datetime.date(2019, 3, 31), datetime.date(2019, 6, 30))

    for slug in ("small", "large"):
        strategy = Strategy.objects.get(slug=slug)
        with django_assert_num_queries(5):
            summary = check_report(strategy, datetime.date(2018, 1, 1))["summary"]
        assert summary["NOT_UPDATED"] and summary["SLIPPED"]
