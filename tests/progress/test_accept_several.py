"""Accepting several updates at once: all of them in one transaction, or none."""

import pytest

from planboard.plans.models import Action
from planboard.progress.models import UpdateStatus
from planboard.progress.services import CycleError, accept_updates
from tests.bounds import database_fingerprint
from tests.progress.cycle import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(plan):
    return (
        submit(plan.review, plan.mia, "Meetings restructured.", proposed_rag=plan.levels["Green"]),
        submit(plan.mapping, plan.jane, "Half mapped.", proposed_rag=plan.levels["Red"]),
    )


def test_the_updates_chosen_are_all_accepted_and_applied(plan, two):
    accepted = accept_updates(plan.period, {u.pk: u.version for u in two}, user=plan.gail)

    assert [u.action.ref for u in accepted] == ["1.1", "1.2"]
    for update in two:
        update.refresh_from_db()
        assert (update.status, update.reviewed_by) == (UpdateStatus.ACCEPTED, plan.gail)
    assert Action.objects.get(pk=plan.mapping.pk).rag_level == plan.levels["Red"]
    assert Action.objects.get(pk=plan.review.pk).progress == "Meetings restructured."


def test_one_changed_since_the_page_was_read_means_none_is_accepted(plan, two):
    review, mapping = two
    submit(plan.mapping, plan.jane, "Changed meanwhile.", expected_version=mapping.version)
    before = database_fingerprint()

    with pytest.raises(CycleError) as refused:
        accept_updates(plan.period, {review.pk: 1, mapping.pk: 1}, user=plan.gail)

    assert refused.value.field == "selected"
    assert str(refused.value) == (
        "Action 1.2: the update changed while you were reading it. "
        "Read it again below, then decide."
    )
    assert database_fingerprint() == before


def test_the_reviewers_own_update_means_none_is_accepted(plan, two):
    review, mapping = two
    own = submit(plan.mapping, plan.gail, "On Jane's behalf.", expected_version=mapping.version)
    before = database_fingerprint()

    with pytest.raises(CycleError) as refused:
        accept_updates(plan.period, {review.pk: 1, own.pk: own.version}, user=plan.gail)

    assert str(refused.value).startswith("Action 1.2: you ")
    assert database_fingerprint() == before


def test_nothing_chosen_is_refused_naming_the_field(plan, two):
    with pytest.raises(CycleError) as refused:
        accept_updates(plan.period, {}, user=plan.gail)

    assert (refused.value.field, str(refused.value)) == (
        "selected",
        "Select the updates you want to accept",
    )


def test_a_lead_cannot_accept_several(plan, two):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        accept_updates(plan.period, {u.pk: u.version for u in two}, user=plan.jane)
    assert all(u.status == UpdateStatus.SUBMITTED for u in two)


@pytest.mark.parametrize(
    ("message", "said"),
    [
        (
            "Enter a comment saying what to change",
            "Action 1.9: enter a comment saying what to change",
        ),
        ("You gave this update.", "Action 1.9: you gave this update."),
        (
            "Blue means complete: choose another rating",
            "Action 1.9: Blue means complete: choose another rating",
        ),
        ("2016/17 Q4 is closed.", "Action 1.9: 2016/17 Q4 is closed."),
        ("Mia Bajin gave it.", "Action 1.9: Mia Bajin gave it."),
    ],
)
def test_an_error_names_its_action_keeping_a_label_or_name_as_written(message, said):
    from planboard.progress.services.review import naming

    assert naming("1.9", message) == said
