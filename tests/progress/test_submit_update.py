"""A lead's quarterly update: who may send it, what it must say, and what is refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from planboard.plans.models import Action, DatePrecision
from planboard.progress.models import ReportingPeriod, TargetChange, Update, UpdateStatus
from planboard.progress.services import (
    CycleError,
    close_period,
    create_period,
    return_update,
    submit_update,
)
from tests.builders import make_strategy
from tests.progress.cycle import JUNE, Q3, lead, open_quarter, submit

pytestmark = pytest.mark.django_db


def state():
    """Everything a refused update must leave as it was."""
    return (
        list(Update.objects.values()),
        list(Update.history.values_list("history_id", flat=True)),
        list(Action.objects.values()),
        list(Action.history.values_list("history_id", flat=True)),
        TargetChange.objects.count(),
    )


def test_a_lead_submits_an_update_on_their_action(plan):
    update = submit(
        plan.review, plan.mia, "  Meetings restructured.  ", proposed_rag=plan.levels["Green"]
    )

    assert update.period == plan.period
    assert update.narrative == "Meetings restructured."
    assert update.status == UpdateStatus.SUBMITTED
    assert (update.submitted_by, update.on_behalf, update.version) == (plan.mia, False, 1)
    assert update.history.get().history_user == plan.mia
    assert update.history.get().history_change_reason == "Submitted"


def test_governance_updates_on_a_leads_behalf_recorded_as_such(plan):
    update = submit(plan.mapping, plan.gail, "Reported by phone.")

    assert update.on_behalf and update.submitted_by == plan.gail
    assert update.history.get().history_change_reason == "Submitted on the lead's behalf"


def test_a_governance_member_who_leads_the_action_updates_as_its_lead(plan):
    from tests.builders import make_person

    make_person(plan.strategy, "Gail", [plan.head], user=plan.gail)

    assert not submit(plan.mapping, plan.gail).on_behalf


def test_a_submission_does_not_change_the_action(plan):
    before = Action.objects.values().get(pk=plan.review.pk)

    submit(plan.review, plan.mia, proposed_rag=plan.levels["Red"], complete=True)

    assert Action.objects.values().get(pk=plan.review.pk) == before


@pytest.mark.parametrize("who", ["jane", "bob", "inactive", "outsider", "anonymous"])
def test_only_the_actions_leads_and_governance_may_update_it(plan, who, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    if who == "inactive":
        plan.mia.is_active = False
        plan.mia.save()
        user = plan.mia
    elif who == "outsider":  # holds a role of the same name in another strategy's key
        other = make_strategy(slug="other")
        user = lead(
            other, [other.roles.create(title="Engagement Manager", abbreviation="EM")], "eve"
        )
    elif who == "anonymous":
        user = AnonymousUser()
    else:
        user = getattr(plan, who)
    before = state()

    with pytest.raises(PermissionDenied) as refused:
        submit(plan.review, user)

    assert str(refused.value) == (
        "You do not lead action 1.1, so you cannot give its update. "
        "Only its leads and the governance team can."
    )
    assert state() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"narrative": ""}, "Enter the progress made on this action"),
        ({"narrative": " \n\t "}, "Enter the progress made on this action"),
        (
            {"narrative": "x" * 5001},
            r"Progress must be 5,000 characters or fewer \(you have 5,001\)",
        ),
        ({"new_target_date": JUNE}, "Give the reason the target moves from Mar 2017 to Jun 2017"),
        ({"new_target_date": JUNE, "reason": "  "}, "Give the reason the target moves"),
        (
            {"new_target_date": JUNE, "reason": "y" * 1001},
            r"The reason must be 1,000 characters or fewer \(you have 1,001\)",
        ),
        (
            {"new_target_date": JUNE, "new_target_precision": "fortnight", "reason": "Late."},
            "Give the new target date as a day, a month, a quarter or a year.",
        ),
        ({"proposed_rag": "Green"}, "Choose a RAG rating from this strategy's scale"),
    ],
)
def test_it_refuses_bad_input_with_a_sentence_and_changes_nothing(plan, fields, message):
    fields = {"narrative": "Meetings restructured.", **fields}
    before = state()

    with pytest.raises(CycleError, match=message):
        submit_update(plan.review, user=plan.mia, **fields)

    assert state() == before


def test_it_refuses_a_rating_from_another_strategys_scale(plan):
    other = make_strategy(slug="other")
    before = state()

    with pytest.raises(CycleError) as refused:
        submit(plan.review, plan.mia, proposed_rag=other.rag_levels.get(label="Green"))

    assert str(refused.value) == '"Green" is not a level of this strategy\'s RAG scale.'
    assert state() == before


def test_it_refuses_a_complete_level_for_an_action_not_marked_complete(plan):
    from planboard.plans.models import RagLevel

    blue = RagLevel.objects.create(
        strategy=plan.strategy, label="Blue", position=0, means_complete=True
    )

    with pytest.raises(
        CycleError,
        match="Blue means complete: choose another rating, or tick This action is complete",
    ):
        submit(plan.review, plan.mia, proposed_rag=blue)

    assert submit(plan.review, plan.mia, proposed_rag=blue, complete=True).complete


def test_it_refuses_an_update_when_no_period_is_open(plan):
    close_period(plan.period, user=plan.gail)
    before = state()

    with pytest.raises(CycleError) as refused:
        submit(plan.review, plan.mia)

    assert str(refused.value) == "There is no open reporting period to update this action in."
    assert state() == before


def test_it_refuses_an_update_to_a_closed_period(plan):
    close_period(plan.period, user=plan.gail)
    open_quarter(plan.strategy, "2017/18 Q1")
    before = state()

    with pytest.raises(CycleError) as refused:
        submit(plan.review, plan.mia, period=plan.period)

    assert str(refused.value) == "2016/17 Q4 is closed; its updates can no longer change."
    assert state() == before


def test_it_refuses_an_update_to_a_period_not_yet_open(plan):
    planned = create_period(plan.strategy, "2017/18 Q1", user=plan.gail)

    with pytest.raises(CycleError, match="2017/18 Q1 is not open yet"):
        submit(plan.review, plan.mia, period=planned)


def test_it_refuses_an_update_to_another_strategys_period(plan):
    other = open_quarter(make_strategy(slug="other"), Q3)

    with pytest.raises(CycleError, match="2016/17 Q3 is not a period of this action's strategy."):
        submit(plan.review, plan.mia, period=other)

    assert not Update.objects.exists()


def test_a_returned_update_to_a_closed_period_cannot_be_resubmitted(plan):
    update = submit(plan.review, plan.mia)
    return_update(update, user=plan.gail, comment="More detail.", expected_version=1)
    close_period(plan.period, user=plan.gail, confirm_not_accepted=True)
    open_quarter(plan.strategy, "2017/18 Q1")

    with pytest.raises(CycleError, match="2016/17 Q4 is closed"):
        submit(plan.review, plan.mia, period=plan.period, expected_version=2)

    assert ReportingPeriod.objects.get(pk=plan.period.pk).updates.get().version == 2


def test_a_target_date_that_does_not_move_needs_no_reason(plan):
    update = submit(plan.review, plan.mia, new_target_date=datetime.date(2017, 3, 1))

    assert update.new_target_date is None and update.target_change_reason == ""


@pytest.mark.parametrize(
    ("given", "precision", "stored"),
    [
        (datetime.date(2017, 9, 1), DatePrecision.MONTH, datetime.date(2017, 9, 30)),
        (datetime.date(2017, 8, 10), DatePrecision.QUARTER, datetime.date(2017, 9, 30)),
        (datetime.date(2017, 9, 12), DatePrecision.DAY, datetime.date(2017, 9, 12)),
    ],
)
def test_a_new_target_is_stored_as_the_last_day_of_its_span(plan, given, precision, stored):
    update = submit(
        plan.review,
        plan.mia,
        new_target_date=given,
        new_target_precision=precision,
        reason="Waiting for the new SUSEG chair.",
    )

    assert (update.new_target_date, update.new_target_precision) == (stored, precision)
    assert update.target_change_reason == "Waiting for the new SUSEG chair."


def test_a_lead_edits_their_update_before_it_is_reviewed(plan):
    first = submit(plan.review, plan.mia, "First draft.")

    second = submit(plan.review, plan.mia, "Second draft.", expected_version=first.version)

    assert second.pk == first.pk
    assert (second.narrative, second.version) == ("Second draft.", 2)
    assert Update.objects.count() == 1
    assert [h.narrative for h in second.history.all()] == ["Second draft.", "First draft."]


def test_a_returned_update_is_resubmitted_in_place_with_its_history(plan):
    update = submit(plan.review, plan.mia, "Done.")
    return_update(update, user=plan.gail, comment="Say what was done.", expected_version=1)

    again = submit(plan.review, plan.mia, "Met twice; terms agreed.", expected_version=2)

    assert again.status == UpdateStatus.SUBMITTED
    assert again.review_comment == ""
    assert again.version == 3
    reasons = [h.history_change_reason for h in again.history.all()]
    assert reasons == ["Resubmitted after return", "Returned to the lead", "Submitted"]
    assert again.history.all()[1].review_comment == "Say what was done."


def test_an_accepted_update_cannot_be_resubmitted(plan):
    from planboard.progress.services import accept_update

    update = submit(plan.review, plan.mia)
    accept_update(update, user=plan.gail, expected_version=1)

    with pytest.raises(CycleError) as refused:
        submit(plan.review, plan.mia, "Changed my mind.", expected_version=2)

    assert str(refused.value) == (
        "The update on 1.1 for 2016/17 Q4 is already accepted; "
        "ask the governance team to return it if it needs changing."
    )
    assert Update.objects.get().narrative == "Progress this quarter."
    assert Update.objects.get().version == 2


@pytest.mark.parametrize("who", ["bob", "oscar"])
def test_whoever_leads_an_action_updates_it_whatever_their_group(plan, cast, who):
    """Bob is in the Board member group and Oscar in none: linked to the key's Mike
    Hunter, who holds the Engagement Manager role, each leads 1.1 and gives its update
    as its lead; 1.2, whose role they do not hold, stays refused."""
    from tests.builders import make_person

    user = getattr(cast, who)
    make_person(plan.strategy, "Mike Hunter", roles=[plan.em], user=user)

    update = submit(plan.review, user)

    assert (update.submitted_by, update.on_behalf, update.status) == (
        user,
        False,
        UpdateStatus.SUBMITTED,
    )
    before = state()
    with pytest.raises(PermissionDenied) as refused:
        submit(plan.mapping, user)
    assert "You do not lead action 1.2" in str(refused.value)
    assert state() == before


def test_an_inactive_account_linked_to_a_lead_role_may_not_update(plan, cast):
    from tests.builders import make_person

    make_person(plan.strategy, "Mike Hunter", roles=[plan.em], user=cast.bob)
    cast.bob.is_active = False
    cast.bob.save()

    with pytest.raises(PermissionDenied):
        submit(plan.review, cast.bob)
    assert not Update.objects.exists()
