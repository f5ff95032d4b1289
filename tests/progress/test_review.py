"""Governance reviews updates: return with a comment, or accept and apply to the action."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from planboard.plans.models import Action, ActionStatus, DatePrecision
from planboard.plans.rag import create_scale
from planboard.plans.targets import times_moved
from planboard.progress.models import TargetChange, Update, UpdateStatus
from planboard.progress.services import (
    CycleError,
    accept_update,
    close_period,
    return_update,
    suggested_rating,
)
from tests.builders import make_action, make_strategy, make_theme
from tests.progress.cycle import JUNE, MARCH, governance, lead, open_quarter, reviewer, submit

SEPTEMBER = datetime.date(2017, 9, 30)
IN_FEBRUARY = datetime.date(2017, 2, 13)

pytestmark = pytest.mark.django_db


def accept(update, user, **fields):
    return accept_update(update, user=user, expected_version=update.version, **fields)


def test_accepting_applies_the_update_to_the_action(plan):
    update = submit(
        plan.mapping,
        plan.jane,
        "Directorate leads named.",
        proposed_rag=plan.levels["Amber"],
        new_target_date=SEPTEMBER,
        reason="Two directorates restructured.",
    )

    accept(update, plan.gail, today=IN_FEBRUARY)

    action = Action.objects.get(pk=plan.mapping.pk)
    assert action.progress == "Directorate leads named."
    assert (action.rag_level, action.rag_text) == (plan.levels["Amber"], "Amber")
    assert action.status == ActionStatus.IN_PROGRESS
    assert (action.target_date, action.target_display) == (SEPTEMBER, "Sep 2017")
    assert action.original_target_date == JUNE
    assert action.version == plan.mapping.version + 1
    update.refresh_from_db()
    assert update.status == UpdateStatus.ACCEPTED
    assert (update.reviewed_by, update.version) == (plan.gail, 2)


def test_accepting_records_the_actions_history_as_the_reviewers_with_a_reason(plan):
    accept(submit(plan.review, plan.mia, "Restructured."), plan.gail)

    latest = Action.objects.get(pk=plan.review.pk).history.first()
    assert latest.history_user == plan.gail
    assert latest.history_change_reason == "Update for 2016/17 Q4 accepted"
    assert latest.progress == "Restructured."


def test_accepting_an_update_entered_on_a_leads_behalf_says_so(plan):
    accept(submit(plan.review, plan.gail, "Reported by phone."), reviewer())

    latest = Action.objects.get(pk=plan.review.pk).history.first()
    assert latest.history_change_reason == (
        "Update for 2016/17 Q4 accepted (entered on the lead's behalf)"
    )


def test_a_moved_target_is_a_row_with_the_reason_and_the_original_is_kept(plan):
    update = submit(
        plan.review, plan.mia, "Delayed.", new_target_date=JUNE, reason="Chair on leave."
    )
    accept(update, plan.gail)
    close_period(plan.period, user=plan.gail)
    open_quarter(plan.strategy, "2017/18 Q1")
    update = submit(
        plan.review, plan.mia, "Delayed again.", new_target_date=SEPTEMBER, reason="New chair."
    )
    accept(update, plan.gail)

    changes = TargetChange.objects.filter(action=plan.review)
    assert [(c.from_display, c.to_display, c.reason) for c in changes] == [
        ("Mar 2017", "Jun 2017", "Chair on leave."),
        ("Jun 2017", "Sep 2017", "New chair."),
    ]
    assert {c.changed_by for c in changes} == {plan.gail}
    action = Action.objects.get(pk=plan.review.pk)
    assert (action.original_target_date, action.target_date) == (MARCH, SEPTEMBER)
    assert times_moved(changes.count(), action.target_date, action.original_target_date) == 2


def test_accepting_a_completed_action_marks_it_complete_on_the_day(plan):
    update = submit(plan.review, plan.mia, "All done.", complete=True)

    accept(update, plan.gail, today=IN_FEBRUARY)

    action = Action.objects.get(pk=plan.review.pk)
    assert (action.status, action.completed_on) == (ActionStatus.COMPLETE, IN_FEBRUARY)


def test_accepting_an_update_that_is_not_complete_leaves_a_complete_action_complete(plan):
    plan.review.status = ActionStatus.COMPLETE
    plan.review.save()

    accept(submit(plan.review, plan.mia, "Evaluated."), plan.gail)

    assert Action.objects.get(pk=plan.review.pk).status == ActionStatus.COMPLETE


def test_accepting_an_update_starts_an_action_not_started(plan):
    plan.review.status = ActionStatus.NOT_STARTED
    plan.review.save()

    accept(submit(plan.review, plan.mia, "First meeting held."), plan.gail)

    assert Action.objects.get(pk=plan.review.pk).status == ActionStatus.IN_PROGRESS


def test_an_update_without_a_rating_leaves_the_actions_rating(plan):
    accept(submit(plan.review, plan.mia), plan.gail)

    assert Action.objects.get(pk=plan.review.pk).rag_level == plan.levels["Green"]


def test_the_suggested_rating_is_stored_beside_the_accepted_one(plan):
    # March has passed and the action is not complete: the rules say Red, the lead Green.
    update = submit(plan.review, plan.mia, "Nearly there.", proposed_rag=plan.levels["Green"])

    accept(update, plan.gail, today=datetime.date(2017, 4, 10))

    update.refresh_from_db()
    assert (update.proposed_rag, update.suggested_rag) == (plan.levels["Green"], plan.levels["Red"])


def test_the_suggestion_for_a_completed_action_is_blue_on_a_brag_scale(db):
    strategy = make_strategy(slug="brag")
    strategy.rag_levels.all().delete()
    levels = {
        level.label: level
        for level in create_scale(
            strategy, [{"label": label} for label in ("Blue", "Green", "Amber", "Red")]
        )
    }
    role = strategy.roles.create(title="Engagement Manager", abbreviation="EM")
    action = make_action(make_theme(strategy), leads=[role])
    open_quarter(strategy)
    update = submit(
        action, lead(strategy, [role], "mia"), complete=True, proposed_rag=levels["Blue"]
    )

    accept(update, governance())

    update.refresh_from_db()
    assert update.suggested_rag == levels["Blue"]


def test_returning_sends_the_update_back_with_a_comment(plan):
    update = submit(plan.review, plan.mia, "Done.")

    return_update(update, user=plan.gail, comment=" Say what was done. ", expected_version=1)

    update = Update.objects.get()
    assert update.status == UpdateStatus.RETURNED
    assert update.review_comment == "Say what was done."
    assert update.reviewed_by == plan.gail
    assert update.history.first().history_user == plan.gail
    assert Action.objects.get(pk=plan.review.pk).progress == ""


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("", "Enter a comment saying what the lead should change"),
        ("z" * 2001, r"The comment must be 2,000 characters or fewer \(you have 2,001\)"),
    ],
)
def test_returning_needs_a_comment_of_a_sane_length(plan, comment, message):
    update = submit(plan.review, plan.mia)

    with pytest.raises(CycleError, match=message):
        return_update(update, user=plan.gail, comment=comment, expected_version=1)

    assert Update.objects.get().status == UpdateStatus.SUBMITTED


@pytest.mark.parametrize("who", ["mia", "bob"])
def test_only_governance_reviews(plan, who):
    update = submit(plan.review, plan.mia)
    user = getattr(plan, who)

    with pytest.raises(PermissionDenied, match="Only the governance team may review updates."):
        accept(update, user)
    with pytest.raises(PermissionDenied):
        return_update(update, user=user, comment="No.", expected_version=1)

    assert Update.objects.get().status == UpdateStatus.SUBMITTED
    assert Action.objects.get(pk=plan.review.pk).progress == ""


def test_an_update_is_reviewed_only_while_it_waits(plan):
    update = submit(plan.review, plan.mia)
    return_update(update, user=plan.gail, comment="More.", expected_version=1)

    with pytest.raises(CycleError) as refused:
        accept(update, plan.gail)

    assert str(refused.value) == "This update is returned to the lead, not waiting for review."
    assert Update.objects.get().version == 2
    assert Action.objects.get(pk=plan.review.pk).progress == ""


def test_an_update_of_a_closed_period_cannot_be_reviewed(plan):
    update = submit(plan.review, plan.mia)
    close_period(plan.period, user=plan.gail, confirm_not_accepted=True)

    with pytest.raises(CycleError, match="2016/17 Q4 is closed; its updates can no longer change."):
        accept(update, plan.gail)

    assert Update.objects.get().status == UpdateStatus.SUBMITTED


@pytest.mark.parametrize(
    ("as_of", "accepted", "expected"),
    [
        (datetime.date(2017, 2, 1), False, None),
        (datetime.date(2017, 3, 10), False, "Amber"),
        (datetime.date(2017, 3, 10), True, None),
        (datetime.date(2017, 4, 1), True, "Red"),
    ],
)
def test_the_form_shows_the_rating_the_rules_suggest_now(plan, as_of, accepted, expected):
    if accepted:
        accept(submit(plan.review, plan.mia), plan.gail)

    level = suggested_rating(Action.objects.get(pk=plan.review.pk), as_of=as_of)

    assert (level.label if level else None) == expected


def test_the_stored_target_keeps_the_precision_the_lead_gave(plan):
    update = submit(
        plan.review,
        plan.mia,
        new_target_date=datetime.date(2017, 9, 15),
        new_target_precision=DatePrecision.DAY,
        reason="Event booked.",
    )
    accept(update, plan.gail)

    assert Action.objects.get(pk=plan.review.pk).target_display == "15 Sep 2017"
