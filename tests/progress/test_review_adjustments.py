"""The reviewer accepts an update with a rating or target of their own, and says why."""

import datetime

import pytest

from planboard.papers.content import build_paper
from planboard.plans.models import Action, DatePrecision
from planboard.progress.models import ActionSnapshot, TargetChange, UpdateStatus
from planboard.progress.services import CycleError, EditConflict, accept_update, close_period
from tests.bounds import database_fingerprint
from tests.builders import make_strategy
from tests.progress.cycle import JUNE, submit

SEPTEMBER = datetime.date(2017, 9, 30)
DECEMBER = datetime.date(2017, 12, 31)

pytestmark = pytest.mark.django_db


def accept(update, user, **fields):
    return accept_update(update, user=user, expected_version=update.version, **fields)


@pytest.fixture
def sent(plan):
    """Jane proposes Green for 1.2 and moves its target from June to September."""
    return submit(
        plan.mapping,
        plan.jane,
        "All directorates mapped.",
        proposed_rag=plan.levels["Green"],
        new_target_date=SEPTEMBER,
        reason="Two directorates restructured.",
    )


def test_an_adjusted_rating_is_the_actions_and_the_leads_proposal_is_kept(plan, sent):
    accept(sent, plan.gail, adjusted_rag=plan.levels["Amber"], adjustment_reason="Two missing.")

    sent.refresh_from_db()
    assert sent.status == UpdateStatus.ACCEPTED
    assert sent.proposed_rag == plan.levels["Green"]
    assert (sent.adjusted_rag, sent.accepted_rag) == (plan.levels["Amber"],) * 2
    assert sent.adjustment_reason == "Two missing."
    assert (sent.reviewed_by, sent.is_adjusted) == (plan.gail, True)
    action = Action.objects.get(pk=plan.mapping.pk)
    assert (action.rag_level, action.rag_text) == (plan.levels["Amber"], "Amber")
    assert action.target_date == SEPTEMBER  # the lead's target, not adjusted
    latest = action.history.first()
    assert latest.history_user == plan.gail
    assert latest.history_change_reason == (
        "Update for 2016/17 Q4 accepted, changed by the reviewer"
    )
    before, after = sent.history.all()[1], sent.history.first()
    assert (before.proposed_rag_id, before.adjusted_rag_id) == (plan.levels["Green"].pk, None)
    assert (after.adjusted_rag_id, after.history_user) == (plan.levels["Amber"].pk, plan.gail)
    assert after.history_change_reason == "Accepted with the reviewer's changes"


def test_an_adjusted_target_moves_the_action_as_an_accepted_move_does(plan, sent):
    accept(
        sent,
        plan.gail,
        adjusted_target_date=datetime.date(2017, 12, 5),
        adjusted_target_precision=DatePrecision.MONTH,
        adjustment_reason="September is not realistic.",
    )

    action = Action.objects.get(pk=plan.mapping.pk)
    assert (action.target_date, action.target_display) == (DECEMBER, "Dec 2017")
    assert action.original_target_date == JUNE
    assert action.rag_level == plan.levels["Green"]  # the lead's rating, not adjusted
    move = TargetChange.objects.get(action=action)
    assert (move.from_date, move.to_date, move.changed_by) == (JUNE, DECEMBER, plan.gail)
    assert move.reason == "September is not realistic."
    sent.refresh_from_db()
    assert (sent.new_target_date, sent.adjusted_target_date) == (SEPTEMBER, DECEMBER)
    assert sent.adjusted_target_display == "Dec 2017"


def test_keeping_the_current_target_in_place_of_the_leads_move_moves_nothing(plan, sent):
    accept(sent, plan.gail, adjusted_target_date=JUNE, adjustment_reason="Hold them to June.")

    assert Action.objects.get(pk=plan.mapping.pk).target_date == JUNE
    assert not TargetChange.objects.exists()


def test_the_snapshot_and_the_paper_show_the_reviewers_rating(plan, sent):
    accept(sent, plan.gail, adjusted_rag=plan.levels["Red"], adjustment_reason="Off track.")
    close_period(plan.period, user=plan.gail)

    snapshot = ActionSnapshot.objects.get(period=plan.period, ref="1.2")
    assert snapshot.rag_label == "Red"
    assert snapshot.update["proposed_rag"] == "Green"
    assert snapshot.update["adjusted_rag"] == "Red"
    assert snapshot.update["adjustment_reason"] == "Off track."
    row = next(r for r in build_paper(plan.strategy, plan.period).rows if r.ref == "1.2")
    assert row.rag == "Red"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"adjusted_rag": "Amber", "adjustment_reason": "  "},
            "adjustment_reason",
            "Give the reason you changed the lead's rating or target date",
        ),
        (
            {"adjusted_target_date": DECEMBER},
            "adjustment_reason",
            "Give the reason you changed the lead's rating or target date",
        ),
        (
            {"adjusted_rag": "Green", "adjusted_target_date": SEPTEMBER, "adjustment_reason": "x"},
            "adjusted_rag",
            "Choose a rating or target date different from the lead's, "
            "or accept the update as it is",
        ),
        (
            {"adjusted_rag": "Amber", "adjustment_reason": "x" * 1001},
            "adjustment_reason",
            "The reason must be 1,000 characters or fewer (you have 1,001)",
        ),
    ],
)
def test_a_bad_adjustment_is_refused_naming_its_field_and_changes_nothing(
    plan, sent, fields, field, message
):
    if isinstance(fields.get("adjusted_rag"), str):
        fields = fields | {"adjusted_rag": plan.levels[fields["adjusted_rag"]]}
    before = database_fingerprint()

    with pytest.raises(CycleError) as refused:
        accept(sent, plan.gail, **fields)

    assert (refused.value.field, str(refused.value)) == (field, message)
    assert database_fingerprint() == before


def test_a_rating_from_another_strategys_scale_is_refused(plan, sent):
    other = make_strategy(slug="elsewhere")
    foreign = other.rag_levels.first()

    with pytest.raises(CycleError) as refused:
        accept(sent, plan.gail, adjusted_rag=foreign, adjustment_reason="Why not.")

    assert refused.value.field == "proposed_rag"
    assert "is not a level of this strategy's RAG scale" in str(refused.value)


def test_an_adjustment_to_an_update_changed_since_it_was_read_is_refused(plan, sent):
    stale = sent.version
    submit(plan.mapping, plan.jane, "Changed meanwhile.", expected_version=stale)

    with pytest.raises(EditConflict):
        accept_update(
            sent,
            user=plan.gail,
            expected_version=stale,
            adjusted_rag=plan.levels["Red"],
            adjustment_reason="Late.",
        )

    assert Action.objects.get(pk=plan.mapping.pk).rag_level == plan.mapping.rag_level


def test_a_lead_cannot_adjust_and_accept_their_own_update(plan, sent):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        accept(sent, plan.jane, adjusted_rag=plan.levels["Red"], adjustment_reason="Honest.")
