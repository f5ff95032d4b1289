"""A closed period's snapshot: what the paper printed, frozen against later edits."""

import datetime

import pytest
from django.db import transaction

from planboard.plans.models import Action, Strategy
from planboard.progress.models import ActionSnapshot, SnapshotIsFrozen
from planboard.progress.services import accept_update, close_period
from tests.progress.cycle import JUNE, submit

SEPTEMBER = datetime.date(2017, 9, 30)

pytestmark = pytest.mark.django_db


def frozen(snapshot):
    """Every stored field of a snapshot, read back from the database."""
    return ActionSnapshot.objects.filter(pk=snapshot.pk).values().get()


@pytest.fixture
def closed(plan):
    """Q4 closed after an accepted update that moved 1.2's target to September."""
    update = submit(
        plan.mapping,
        plan.jane,
        "Leads named in four directorates.",
        proposed_rag=plan.levels["Amber"],
        new_target_date=SEPTEMBER,
        reason="Two directorates restructured.",
    )
    accept_update(update, user=plan.gail, expected_version=1, today=datetime.date(2017, 3, 20))
    submit(plan.review, plan.mia, "Terms of reference drafted.")
    close_period(plan.period, user=plan.gail, confirm_not_accepted=True)
    return plan


def test_it_copies_what_the_paper_prints(closed):
    snapshot = closed.period.snapshots.get(ref="1.2")

    assert (snapshot.theme_number, snapshot.theme_title, snapshot.number) == (
        1,
        "Focussed Culture Change",
        2,
    )
    assert snapshot.text == "Map engagement across directorates."
    assert snapshot.progress == "Leads named in four directorates."
    assert (snapshot.rag_label, snapshot.rag_colour, snapshot.rag_position) == (
        "Amber",
        "orange",
        2,
    )
    assert (snapshot.target_display, snapshot.original_target_date) == ("Sep 2017", JUNE)
    assert snapshot.target_moves == 1
    assert snapshot.leads == ["Head of SUEMU"]
    assert snapshot.update["status"] == "accepted"
    assert snapshot.update["target_change_reason"] == "Two directorates restructured."
    assert snapshot.update["reviewed_by"] == "Gail Tester"
    assert closed.period.snapshots.get(ref="1.1").update["status"] == "submitted"


def test_a_snapshot_refuses_to_be_saved_again(closed):
    snapshot = closed.period.snapshots.get(ref="1.1")
    before = frozen(snapshot)
    snapshot.text = "Rewritten history."

    with pytest.raises(SnapshotIsFrozen, match="The snapshot of action 1.1 is frozen"):
        snapshot.save()
    with pytest.raises(SnapshotIsFrozen):
        snapshot.save(update_fields=["text"])

    assert frozen(snapshot) == before


def test_snapshots_refuse_updates_in_bulk(closed):
    snapshots = closed.period.snapshots.all()

    with pytest.raises(SnapshotIsFrozen):
        snapshots.update(text="Rewritten history.")
    for snapshot in snapshots:
        snapshot.text = "Rewritten history."
    with pytest.raises(SnapshotIsFrozen), transaction.atomic():
        ActionSnapshot.objects.bulk_update(snapshots, ["text"])

    assert not ActionSnapshot.objects.filter(text="Rewritten history.").exists()


def test_later_edits_to_the_action_do_not_change_its_snapshot(closed):
    snapshot = closed.period.snapshots.get(ref="1.2")
    before = frozen(snapshot)

    action = Action.objects.get(pk=closed.mapping.pk)
    action.text = "Map engagement across every directorate."
    action.progress = "Edited after the quarter."
    action.rag_level = closed.levels["Red"]
    action.rag_text = "Red"
    action.target_date = datetime.date(2018, 3, 31)
    action.save()
    action.leads.set([closed.em])
    closed.levels["Amber"].label = "Orange"
    closed.levels["Amber"].save()
    action.updates.get().delete()

    assert frozen(snapshot) == before


def test_deleting_an_action_keeps_its_snapshot(closed):
    snapshot = closed.period.snapshots.get(ref="1.2")
    before = frozen(snapshot)

    Action.objects.get(pk=closed.mapping.pk).delete()

    assert frozen(snapshot) == {**before, "action_id": None}


def test_a_strategy_with_updates_and_snapshots_can_still_be_deleted(closed):
    # import-paper --replace deletes the old strategy; proposed ratings must not block it.
    Strategy.objects.get(pk=closed.strategy.pk).delete()

    assert not ActionSnapshot.objects.exists()


def test_a_level_a_lead_proposed_cannot_be_deleted_alone(closed):
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        closed.levels["Amber"].delete()
