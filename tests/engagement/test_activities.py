"""Keeping activities: checked field by field with one-line refusals, saved only by the
governance team and the activity's lead, never over someone else's save."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from planboard.engagement.models import Activity, Involvement, Participant, Reward
from planboard.engagement.register import save_involvement, save_participant
from planboard.engagement.services import (
    delete_activity,
    publish_outcome,
    save_activity,
    set_equality_counts,
    set_participation,
    withdraw_outcome,
)
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from tests.bounds import database_fingerprint
from tests.builders import make_strategy
from tests.cast import board_member, governance, lead
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date


@shared
def plan(db):
    strategy, places, commitments, actions = make_engagement_plan()
    gail, bob = governance(), board_member()
    lena = lead(strategy, [], "lena")
    activity = add_activity(
        strategy, "SUNRISE group", services=[places["maple"]], lead=lena.people.get()
    )
    return strategy, places, commitments, activity, gail, bob, lena


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": " "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"kind": "party"}, "kind"),
        ({"level": "tokenism"}, "level"),
        ({"starts_on": None}, "starts_on"),
        ({"starts_on": "2017-01-01"}, "starts_on"),
        ({"ends_on": D(2016, 1, 1)}, "ends_on"),
        ({"fed_back_how": "At the next meeting"}, "fed_back_on"),
        ({"recurrence": "hourly"}, "recurrence"),
    ],
)
def test_a_bad_field_is_refused_by_name_and_nothing_is_written(plan, changes, field):
    strategy = plan[0]
    before = database_fingerprint()
    fields = {"title": "Open day", "starts_on": D(2017, 1, 2)} | changes
    with pytest.raises(ServiceError) as refused:
        save_activity(Activity(strategy=strategy, **fields), user=None)
    assert refused.value.field == field
    assert database_fingerprint() == before


def test_references_are_unique_within_a_strategy_and_links_stay_inside_it(plan):
    strategy, places, commitments, activity, *_ = plan
    add_activity(strategy, "Panel", ref="ENG-1")
    with pytest.raises(ServiceError, match="ENG-1") as refused:
        add_activity(strategy, "Another", ref="ENG-1")
    assert refused.value.field == "ref"
    other = make_strategy()
    with pytest.raises(ServiceError) as refused:
        add_activity(other, "Elsewhere", services=[places["maple"]])
    assert refused.value.field == "services"
    with pytest.raises(ServiceError) as refused:
        add_activity(other, "Elsewhere", commitments=commitments[:1])
    assert refused.value.field == "commitments"


def test_only_the_governance_team_adds_and_the_lead_changes_their_own(plan):
    strategy, places, commitments, activity, gail, bob, lena = plan
    for user in (bob, lena):
        with pytest.raises(PermissionDenied):
            save_activity(
                Activity(strategy=strategy, title="X", starts_on=D(2017, 1, 1)), user=user
            )
    activity.outcome = "The group's terms of reference were rewritten with members."
    save_activity(activity, user=lena)
    with pytest.raises(PermissionDenied):
        set_participation(activity, {"carer": 3}, user=bob)
    other = lead(strategy, [], "olga")
    with pytest.raises(PermissionDenied, match="activity's lead"):
        save_activity(Activity.objects.get(pk=activity.pk), user=other)
    save_activity(Activity.objects.get(pk=activity.pk), user=gail)


def test_two_people_editing_the_same_activity_cannot_overwrite_each_other(plan):
    strategy, *_, gail, bob, lena = plan
    activity = add_activity(strategy, "Panel")
    first, second = Activity.objects.get(pk=activity.pk), Activity.objects.get(pk=activity.pk)
    first.purpose = "Recruit the new ward manager."
    save_activity(first, user=gail, version=first.version)
    second.purpose = "Something else."
    with pytest.raises(EditConflict) as conflict:
        save_activity(second, user=gail, version=second.version)
    assert conflict.value.current.purpose == "Recruit the new ward manager."
    assert Activity.objects.get(pk=activity.pk).purpose == "Recruit the new ward manager."


def test_participation_and_equality_monitoring_are_counts_only(plan):
    activity, gail = plan[3], plan[4]
    set_participation(activity, {"service_user": 5, "carer": 0, "public": 2}, user=gail)
    assert dict(activity.participation.values_list("perspective", "count")) == {
        "service_user": 5,
        "public": 2,
    }
    set_participation(activity, {"carer": 1}, user=gail)
    assert dict(activity.participation.values_list("perspective", "count")) == {"carer": 1}
    for bad in ({"carer": -1}, {"carer": 1.5}, {"carer": True}, {"martians": 3}):
        with pytest.raises(ServiceError) as refused:
            set_participation(activity, bad, user=gail)
        assert refused.value.field == "participation"
    assert dict(activity.participation.values_list("perspective", "count")) == {"carer": 1}
    set_equality_counts(
        activity, {("age", "18-25"): 3, ("ethnicity", "Black British"): 2}, user=gail
    )
    assert activity.equality_counts.count() == 2
    with pytest.raises(ServiceError) as refused:
        set_equality_counts(activity, {("shoe size", "9"): 1}, user=gail)
    assert refused.value.field == "equality"


def test_a_published_outcome_holds_no_personal_data(plan):
    strategy, places, commitments, activity, gail, bob, lena = plan
    save_participant(Participant(strategy=strategy, name="Morag Pettigrew"), user=gail)
    for text in ("Morag Pettigrew asked for this.", "Ring 0114 271 6310 for details."):
        with pytest.raises(ServiceError, match="personal data") as refused:
            publish_outcome(activity, user=gail, text=text)
        assert refused.value.field == "public_outcome"
    with pytest.raises(PermissionDenied):
        publish_outcome(activity, user=lena, text="Visiting hours now suit working carers.")
    named = add_activity(strategy, "Interview with Morag Pettigrew")
    with pytest.raises(ServiceError, match="title") as refused:
        publish_outcome(named, user=gail, text="A new leaflet.")
    assert refused.value.field == "title"
    publish_outcome(activity, user=gail, text="Visiting hours now suit working carers.")
    activity.refresh_from_db()
    assert activity.outcome_published_at is not None
    withdraw_outcome(activity, user=gail)
    activity.refresh_from_db()
    assert activity.outcome_published_at is None
    assert activity.public_outcome == "Visiting hours now suit working carers."


def test_an_activity_with_involvement_in_the_register_is_kept(plan):
    strategy, places, commitments, activity, gail, bob, lena = plan
    person = save_participant(Participant(strategy=strategy, name="A. Person"), user=gail)
    save_involvement(
        Involvement(participant=person, activity=activity, took_part_on=D(2017, 1, 10)),
        user=gail,
    )
    with pytest.raises(ServiceError, match="keep it"):
        delete_activity(activity, user=gail)
    spare = add_activity(strategy, "Mistake")
    set_participation(spare, {"public": 4}, user=gail)
    with pytest.raises(PermissionDenied):
        delete_activity(spare, user=bob)
    delete_activity(spare, user=gail)
    assert not Activity.objects.filter(pk=spare.pk).exists()
    assert Involvement.objects.get().reward == Reward.NONE
