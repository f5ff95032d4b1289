"""Recording feedback: the map of services, items recorded once by source id, links to
the plan, each checked with a one-line refusal naming the field."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import RestrictedError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.feedback.fft_models import FriendsAndFamilyCount
from planboard.feedback.models import FeedbackItem, Polarity, Service, ServiceCode, Source
from planboard.feedback.services import (
    delete_feedback_service,
    link_feedback,
    record_item,
    save_feedback_service,
    save_source_code,
    services_for_codes,
    unlink_feedback,
)
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from tests.bounds import database_fingerprint
from tests.builders import make_strategy
from tests.cast import board_member, governance, lead
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared


@shared
def plan(db):
    return make_feedback_plan()


def _story(strategy, **changes):
    values = {
        "source": Source.CARE_OPINION,
        "source_id": "1234567",
        "title": "Listened to at last",
        "text": "The *staff* on the ward listened.",
        "published_at": at(2017, 1, 6),
        "received_at": at(2017, 1, 7),
        "author_role": "carer",
        "staff_only": {"criticality": "mildly critical"},
        "raised_concern": True,
        "tags": [("listening", Polarity.POSITIVE), ("waiting", Polarity.NEGATIVE)],
    }
    return values | changes


def test_a_second_sync_updates_the_item_and_never_adds_another(plan):
    strategy, adults, ward, team, action = plan
    first = record_item(strategy, user=None, services=[ward], **_story(strategy))
    assert first.created
    item = first.item
    assert item.staff_only == {"criticality": "mildly critical"}
    assert {(t.label, t.polarity) for t in item.tags.all()} == {
        ("listening", "positive"),
        ("waiting", "negative"),
    }
    rows = item.history.count()
    again = record_item(strategy, user=None, services=[ward], **_story(strategy))
    assert again.outcome == "unchanged" and again.item.pk == item.pk
    assert item.history.count() == rows
    changed = record_item(
        strategy,
        user=None,
        services=[ward, team],
        **_story(strategy, title="Heard", tags=["listening"]),
    )
    assert changed.outcome == "updated" and changed.item.pk == item.pk
    item.refresh_from_db()
    assert item.title == "Heard"
    assert set(item.services.all()) == {ward, team}
    assert [(t.label, t.polarity) for t in item.tags.all()] == [("listening", "neutral")]
    assert FeedbackItem.objects.filter(strategy=strategy).count() == 1
    assert item.history.count() > rows
    assert item.history.first().history_change_reason == "Feedback updated from Care Opinion"


def test_items_without_a_source_id_are_each_new(plan):
    strategy = plan[0]
    values = _story(strategy, source=Source.EMAIL, source_id="")
    assert record_item(strategy, user=None, **values).created
    assert record_item(strategy, user=None, **values).created
    assert FeedbackItem.objects.filter(strategy=strategy, source="email").count() == 2


def test_the_same_source_id_from_another_source_is_another_item(plan):
    strategy = plan[0]
    record_item(strategy, user=None, **_story(strategy))
    assert record_item(strategy, user=None, **_story(strategy, source=Source.SURVEY)).created


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "tweet"}, "source"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 20_001}, "text"),
        ({"title": "x" * 301}, "title"),
        ({"source_id": "x" * 101}, "source_id"),
        ({"given_on": "2017-01-05"}, "given_on"),
        ({"given_on": at(2017, 1, 5)}, "given_on"),
        ({"published_at": "yesterday"}, "published_at"),
        ({"staff_only": ["criticality"]}, "staff_only"),
        ({"tags": [("listening", "glowing")]}, "tags"),
        ({"tags": [""]}, "tags"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(plan, changes, field):
    strategy = plan[0]
    record_item(strategy, user=None, **_story(strategy))
    before = database_fingerprint()
    with pytest.raises(ServiceError) as refused:
        record_item(strategy, user=None, **_story(strategy, **({"title": "Changed"} | changes)))
    assert refused.value.field == field
    assert "\n" not in str(refused.value)
    assert database_fingerprint() == before


def test_a_service_of_another_strategy_is_refused(plan):
    strategy = plan[0]
    other, *_ = make_feedback_plan("other")
    before = database_fingerprint()
    stranger = other.feedback_services.get(name="Willow ward")
    with pytest.raises(ServiceError) as refused:
        record_item(strategy, user=None, services=[stranger], **_story(strategy))
    assert refused.value.field == "services"
    assert database_fingerprint() == before


def test_only_the_governance_team_records_feedback(plan):
    strategy, bob = plan[0], board_member()
    before = database_fingerprint()
    with pytest.raises(PermissionDenied, match="Only the governance team may record feedback"):
        record_item(strategy, user=bob, **_story(strategy))
    assert database_fingerprint() == before
    assert record_item(strategy, user=governance(), **_story(strategy)).created


def test_source_codes_map_several_codes_to_one_service(plan):
    strategy, adults, ward, team, action = plan
    bob = board_member()
    assert ward.code == "RXG10"
    save_source_code(ServiceCode(strategy=strategy, code="rxg1a", service=ward), user=None)
    found = services_for_codes(strategy, ["RXG10", "RXG1A", "RXG20", "NOPE", ""])
    assert found == {"RXG10": ward, "RXG1A": ward, "RXG20": team}
    before = database_fingerprint()
    for code in ("RXG20", "RXG1A", ""):
        with pytest.raises(ServiceError) as refused:
            save_source_code(ServiceCode(strategy=strategy, code=code, service=team), user=None)
        assert refused.value.field == "code"
    with pytest.raises(ServiceError) as refused:
        save_feedback_service(Service(strategy=strategy, name="Oak ward", code="RXG1A"), user=None)
    assert refused.value.field == "code"
    with pytest.raises(ServiceError) as refused:
        save_feedback_service(Service(strategy=strategy, name="Willow ward"), user=None)
    assert refused.value.field == "name"
    adults.parent = ward
    with pytest.raises(ServiceError) as refused:
        save_feedback_service(adults, user=None)
    assert refused.value.field == "parent"
    with pytest.raises(PermissionDenied):
        save_source_code(ServiceCode(strategy=strategy, code="X1", service=team), user=bob)
    assert database_fingerprint() == before


def test_a_service_with_feedback_is_kept(plan):
    strategy, adults, ward, team, action = plan
    record_item(strategy, user=None, services=[ward], **_story(strategy))
    for record in (ward, adults):
        with pytest.raises(ServiceError):
            delete_feedback_service(record, user=None)
    delete_feedback_service(team, user=governance())
    assert not Service.objects.filter(pk=team.pk).exists()


def test_links_read_both_ways_and_leads_link_their_own_actions(plan):
    strategy, adults, ward, team, action = plan
    item = record_item(strategy, user=None, **_story(strategy)).item
    commitment = action.theme.commitments.first()
    link_feedback(item, user=governance(), actions=[action], commitments=[commitment])
    assert list(action.feedback_items.all()) == [item]
    assert list(commitment.feedback_items.all()) == [item]
    assert set(item.history.first().actions.values_list("action_id", flat=True)) == {action.pk}
    unlink_feedback(item, user=governance(), commitments=[commitment])
    assert not commitment.feedback_items.exists()

    leader = lead(strategy, [action.leads.get()], "lena")
    unlink_feedback(item, user=leader, actions=[action])
    link_feedback(item, user=leader, actions=[action])
    assert list(action.feedback_items.all()) == [item]
    other_action = action.theme.actions.create(number=2, text="Another.")
    stranger = make_feedback_plan("stranger")[4]
    gail = governance()
    before = database_fingerprint()
    with pytest.raises(PermissionDenied, match="governance team may link feedback to commitm"):
        link_feedback(item, user=leader, commitments=[commitment])
    with pytest.raises(PermissionDenied, match="You do not lead action"):
        link_feedback(item, user=leader, actions=[other_action])
    with pytest.raises(ServiceError) as refused:
        link_feedback(item, user=gail, actions=[stranger])
    assert refused.value.field == "actions"
    assert database_fingerprint() == before


def test_a_sync_without_a_received_time_keeps_the_first(plan):
    strategy = plan[0]
    values = _story(strategy)
    del values["received_at"]
    first = record_item(strategy, user=None, **values).item
    assert first.received_at is not None
    again = record_item(strategy, user=None, **values)
    assert again.outcome == "unchanged" and again.item.received_at == first.received_at


def test_a_form_saved_over_someone_elses_save_is_refused(plan):
    strategy = plan[0]
    item = record_item(strategy, user=None, **_story(strategy)).item
    opened = item.version
    record_item(strategy, user=None, version=opened, **_story(strategy, title="First save"))
    before = database_fingerprint()
    with pytest.raises(EditConflict) as conflict:
        record_item(strategy, user=None, version=opened, **_story(strategy, title="Second"))
    assert conflict.value.current.title == "First save"
    assert database_fingerprint() == before


SYNCS = st.lists(
    st.tuples(st.sampled_from(["1", "2", "3", ""]), st.sampled_from(["A", "B"])), max_size=6
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(SYNCS)
def test_syncing_the_same_stories_again_adds_nothing(db, stories):
    """Whatever the stories and their order, a second sync of the same ones creates
    nothing, and each source id is one item holding the last title given."""
    strategy = make_strategy()
    for source_id, title in stories:
        record_item(strategy, user=None, **_story(strategy, source_id=source_id, title=title))
    count = FeedbackItem.objects.filter(strategy=strategy).count()
    without_id = sum(1 for source_id, _ in stories if not source_id)
    assert count == len({s for s, _ in stories if s}) + without_id
    last = {source_id: title for source_id, title in stories if source_id}
    outcomes = [
        record_item(strategy, user=None, **_story(strategy, source_id=s, title=last[s])).outcome
        for s in last
    ]
    assert outcomes == ["unchanged"] * len(last)
    assert FeedbackItem.objects.filter(strategy=strategy).count() == count


def test_a_strategy_goes_with_its_services_but_a_directorate_keeps_its_services(
    db,
):
    """Replacing a strategy (a paper imported again) deletes it with its directorates,
    the services under them and their Friends and Family Test counts; a directorate
    alone is never deleted from under its services."""
    strategy, adults, ward, team, action = make_feedback_plan(slug="gone")
    FriendsAndFamilyCount.objects.create(
        strategy=strategy, service=ward, code="RXG10", month=datetime.date(2017, 1, 1), good=5
    )
    with pytest.raises(RestrictedError):
        adults.delete()

    strategy.delete()

    assert not Service.objects.filter(strategy_id=strategy.pk).exists()
    assert not FriendsAndFamilyCount.objects.filter(strategy_id=strategy.pk).exists()
