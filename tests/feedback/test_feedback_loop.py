"""The loop's state and dates follow the responses recorded, whatever their order."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st

from planboard.feedback.loop import delete_response, loop_dates, record_response
from planboard.feedback.models import Change, FeedbackResponse, LoopState, Source
from planboard.feedback.services import record_item
from planboard.lib.services import ServiceError
from tests.bounds import database_fingerprint
from tests.cast import board_member
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared


@shared
def story(db):
    strategy = make_feedback_plan()[0]
    return record_item(
        strategy,
        user=None,
        source=Source.CARE_OPINION,
        source_id="77",
        text="Nobody rang back.",
        received_at=at(2017, 1, 2),
        raised_concern=True,
    ).item


def _respond(item, day, change=Change.NONE, **values):
    good = {"responded_at": at(2017, 1, day), "text": "Thank you for telling us."}
    return record_response(item, user=None, **(good | {"change": change} | values))


def test_the_loop_goes_from_received_to_change_made(story):
    assert story.loop_state == LoopState.RECEIVED
    _respond(story, 3, author="Sam Smith", organisation="The trust")
    story.refresh_from_db()
    assert story.loop_state == LoopState.RESPONDED and story.responded_at == at(2017, 1, 3)
    _respond(story, 10, Change.PLANNED)
    story.refresh_from_db()
    assert story.loop_state == LoopState.CHANGE_PLANNED
    assert story.change_planned_at == at(2017, 1, 10)
    _respond(story, 20, Change.MADE)
    story.refresh_from_db()
    assert story.loop_state == LoopState.CHANGE_MADE
    assert (story.responded_at, story.change_planned_at, story.change_made_at) == (
        at(2017, 1, 3),
        at(2017, 1, 10),
        at(2017, 1, 20),
    )
    assert story.history.first().history_change_reason == "Loop brought up to date"


def test_no_change_needs_its_reason_and_a_later_plan_reopens_it(story):
    before = database_fingerprint()
    with pytest.raises(ServiceError) as refused:
        _respond(story, 3, Change.NOT_POSSIBLE, change_reason="  ")
    assert refused.value.field == "change_reason"
    assert database_fingerprint() == before
    _respond(story, 3, Change.NOT_POSSIBLE, change_reason="The building is leased.")
    story.refresh_from_db()
    assert story.loop_state == LoopState.NO_CHANGE
    _respond(story, 9, Change.PLANNED)
    story.refresh_from_db()
    assert story.loop_state == LoopState.CHANGE_PLANNED


def test_a_response_recorded_twice_is_one_and_a_removed_one_takes_its_dates(story):
    first, created = _respond(story, 5, source_id="r1")
    again, created_again = _respond(story, 5, source_id="r1", text="Thank you, edited.")
    assert created and not created_again and first.pk == again.pk
    assert FeedbackResponse.objects.filter(item=story).count() == 1
    assert again.text == "Thank you, edited."
    delete_response(again, user=None)
    story.refresh_from_db()
    assert story.loop_state == LoopState.RECEIVED and story.responded_at is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"responded_at": datetime.date(2017, 1, 3)}, "responded_at"),
        ({"change": "maybe"}, "change"),
        ({"text": ""}, "text"),
        ({"source_id": "x" * 101}, "source_id"),
    ],
)
def test_bad_responses_are_refused_naming_the_field(story, values, field):
    bob = board_member()
    before = database_fingerprint()
    good = {"responded_at": at(2017, 1, 3), "text": "Thank you."}
    with pytest.raises(ServiceError) as refused:
        record_response(story, user=None, **(good | values))
    assert refused.value.field == field
    with pytest.raises(PermissionDenied):
        record_response(story, user=bob, **good)
    assert database_fingerprint() == before


CHANGES = st.sampled_from(list(Change))
RESPONSES = st.lists(st.tuples(st.integers(0, 60), CHANGES), min_size=0, max_size=8)


@settings(max_examples=60, deadline=None)
@given(RESPONSES, st.randoms())
def test_the_loop_dates_do_not_depend_on_the_order_responses_arrive(responses, random):
    start = at(2017, 1, 1)
    made = [
        FeedbackResponse(responded_at=start + datetime.timedelta(days=days), change=change)
        for days, change in responses
    ]
    dates = loop_dates(made)
    shuffled = list(made)
    random.shuffle(shuffled)
    assert loop_dates(shuffled) == dates
    times = [r.responded_at for r in made]
    assert dates["responded_at"] == (min(times) if times else None)
    for change, name in [(Change.PLANNED, "change_planned_at"), (Change.MADE, "change_made_at")]:
        claimed = [r.responded_at for r in made if r.change == change]
        assert dates[name] == (min(claimed) if claimed else None)
    for name in ("change_planned_at", "change_made_at", "no_change_at"):
        assert dates[name] is None or dates[name] >= dates["responded_at"]
