"""No lost work: of two people saving from the same version, the second is refused.

Each "client" reads the update (its version) as a form would, then saves later.
"""

import pytest

from planboard.plans.models import Action
from planboard.progress.models import TargetChange, Update, UpdateStatus
from planboard.progress.services import (
    EditConflict,
    accept_update,
    return_update,
    submit_update,
)
from tests.progress.cycle import JUNE, governance, submit

pytestmark = pytest.mark.django_db


def read(update):
    """What a form carries: the version it was built from."""
    return Update.objects.get(pk=update.pk).version


def test_the_second_of_two_editors_gets_the_winners_text(plan):
    update = submit(plan.review, plan.mia, "First draft.")
    mias_version = read(update)
    gails_version = read(update)

    submit(plan.review, plan.mia, "Mia's final text.", expected_version=mias_version)
    with pytest.raises(EditConflict) as conflict:
        submit(plan.review, plan.gail, "Gail's text.", expected_version=gails_version)

    assert conflict.value.current.narrative == "Mia's final text."
    assert conflict.value.current.version == 2
    assert str(conflict.value) == (
        "Someone else saved this update after you opened it, so yours was not saved."
    )
    saved = Update.objects.get()
    assert (saved.narrative, saved.version, saved.submitted_by) == (
        "Mia's final text.",
        2,
        plan.mia,
    )


def test_two_people_starting_the_same_update_do_not_overwrite_each_other(plan):
    submit(plan.review, plan.mia, "Mia's update.")

    with pytest.raises(EditConflict) as conflict:
        submit(plan.review, plan.gail, "Gail's update.")  # her form had no update yet

    assert conflict.value.current.narrative == "Mia's update."
    assert str(conflict.value) == (
        "Someone else sent an update on this action while you were writing yours."
    )
    assert Update.objects.get().narrative == "Mia's update."


def test_a_lead_editing_while_governance_returns_the_update_is_refused(plan):
    update = submit(plan.review, plan.mia, "Done.")
    version = read(update)
    return_update(update, user=plan.gail, comment="Say more.", expected_version=version)

    with pytest.raises(EditConflict) as conflict:
        submit(plan.review, plan.mia, "Done, and more.", expected_version=version)

    assert conflict.value.current.status == UpdateStatus.RETURNED
    assert conflict.value.current.review_comment == "Say more."


def test_two_reviewers_accepting_at_once_apply_the_update_once(plan):
    update = submit(
        plan.review, plan.mia, "Delayed.", new_target_date=JUNE, reason="Chair on leave."
    )
    version = read(update)
    other = governance("olu")
    stale = Update.objects.get(pk=update.pk)

    accept_update(update, user=plan.gail, expected_version=version)
    with pytest.raises(EditConflict) as conflict:
        accept_update(stale, user=other, expected_version=version)

    assert conflict.value.current.reviewed_by == plan.gail
    assert TargetChange.objects.count() == 1
    action = Action.objects.get(pk=plan.review.pk)
    assert action.version == plan.review.version + 1
    assert action.history.filter(history_change_reason__contains="accepted").count() == 1


def test_a_lead_cannot_overwrite_an_update_accepted_after_they_opened_it(plan):
    update = submit(plan.review, plan.mia, "Done.")
    version = read(update)
    accept_update(update, user=plan.gail, expected_version=version)

    with pytest.raises(EditConflict) as conflict:
        submit(plan.review, plan.mia, "Overwritten?", expected_version=version)

    assert conflict.value.current.status == UpdateStatus.ACCEPTED
    assert Action.objects.get(pk=plan.review.pk).progress == "Done."


def test_a_form_for_an_update_that_no_longer_exists_is_refused(plan):
    update = submit(plan.review, plan.mia)
    version = read(update)
    update.delete()

    with pytest.raises(EditConflict) as conflict:
        submit_update(plan.review, user=plan.mia, narrative="Again.", expected_version=version)

    assert conflict.value.current is None
    assert not Update.objects.exists()


def test_a_stale_object_with_a_current_version_writes_nothing_stale(plan):
    # A caller holding an old copy but the right version must not write old fields back.
    update = submit(plan.review, plan.mia, "First.")
    old_copy = Update.objects.get(pk=update.pk)
    submit(plan.review, plan.mia, "Second.", expected_version=1)

    accept_update(old_copy, user=plan.gail, expected_version=2)

    assert Update.objects.get().narrative == "Second."
    assert Action.objects.get(pk=plan.review.pk).progress == "Second."
