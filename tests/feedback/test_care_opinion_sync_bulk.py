"""A large Care Opinion sync writes in bulk: its queries do not grow with the stories,
the items it inserts have their history, a second sync writes nothing, and what it
records is what recording each story one by one through the services records."""

import dataclasses
import datetime

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings

from planboard.feedback.care_opinion import ChangeClaim, HealthService, Story, Tag
from planboard.feedback.care_opinion import Polarity as Applied
from planboard.feedback.care_opinion import Response as Reply
from planboard.feedback.models import FeedbackItem, FeedbackResponse
from planboard.feedback.services import record_item, services_for_codes
from planboard.feedback.sync import (
    SyncSummary,
    _record_responses,
    _services_of,
    item_values,
    sync_care_opinion,
)
from planboard.lib import clock
from tests.bounds import database_fingerprint
from tests.feedback.helpers import at, make_feedback_plan
from tests.feedback.test_care_opinion_sync import _Given, _stories_given
from tests.shared import shared

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@shared
def plans(db):
    return make_feedback_plan("bulk")[0], make_feedback_plan("byhand")[0]


def _story(number: int) -> Story:
    return Story(
        id=str(5000 + number),
        title=f"Story {number}",
        body=f"What happened, story {number}.",
        submitted=at(2026, 1, 1) + datetime.timedelta(hours=number),
        published=at(2026, 1, 2) + datetime.timedelta(hours=number),
        author_role="service user",
        criticality="mildly critical" if number % 2 else None,
        health_services=(
            HealthService("1", "Willow ward", "rxg10", "service"),
            HealthService("2", "Elsewhere", "ZZ9", "service"),
        ),
        tags=(
            Tag("kindness", "What was good?", Applied.POSITIVE),
            Tag("waiting", "What could be improved?", Applied.NEGATIVE),
        ),
        responses=tuple(
            Reply(
                id=f"{number}-{reply}",
                author="Sam Lee",
                organisation="Example NHS Foundation Trust",
                published=at(2026, 2, 1 + reply),
                body="We are changing the rota.",
                change=[ChangeClaim.NONE, ChangeClaim.PLANNED, ChangeClaim.MADE][reply],
            )
            for reply in range(number % 4)
        ),
    )


def _queries_of(strategy, stories) -> tuple[int, int]:
    """The queries of syncing ``stories`` into ``strategy``, and how many wrote."""
    with CaptureQueriesContext(connection) as captured:
        sync_care_opinion(strategy, client=_Given(stories))
    writes = [q for q in captured if q["sql"].lstrip().upper().startswith(WRITES)]
    return len(captured), len(writes)


def test_the_queries_of_a_first_sync_do_not_grow_with_the_stories(plans):
    strategy = plans[0]
    counts = []
    for size in (5, 50):
        with transaction.atomic():
            counts.append(_queries_of(strategy, [_story(n) for n in range(size)]))
            transaction.set_rollback(True)
    # The same statements, in more batches only where SQLite's limit on parameters a
    # statement splits an insert: never a query a story.
    assert counts[0][0] < 20
    assert counts[0][0] <= counts[1][0] <= counts[0][0] + 45 // 20
    assert counts[1][0] - counts[1][1] == counts[0][0] - counts[0][1]  # the reads: the same


def test_a_second_sync_writes_nothing_and_a_change_writes_only_its_story(plans):
    strategy = plans[0]
    stories = [_story(n) for n in range(20)]
    with transaction.atomic():
        sync_care_opinion(strategy, client=_Given(stories))
        before = database_fingerprint()
        assert _queries_of(strategy, stories)[1] == 0
        assert database_fingerprint() == before
        stories[3] = dataclasses.replace(stories[3], title="Changed since")
        summary = sync_care_opinion(strategy, client=_Given(stories))
        assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 19)
        changed = FeedbackItem.objects.get(strategy=strategy, source_id="5003")
        assert changed.title == "Changed since"
        assert changed.history.first().history_change_reason == (
            "Feedback updated from Care Opinion"
        )
        transaction.set_rollback(True)


def test_items_and_responses_written_in_bulk_have_their_history(plans):
    strategy = plans[0]
    with transaction.atomic():
        sync_care_opinion(strategy, client=_Given([_story(3)]))
        item = FeedbackItem.objects.get(strategy=strategy, source_id="5003")
        (created,) = item.history.all()
        assert created.history_type == "+"
        assert created.history_change_reason == "Feedback recorded from Care Opinion"
        assert created.history_user is None
        assert [link.service.name for link in created.services.all()] == ["Willow ward"]
        assert created.change_made_at == item.change_made_at == at(2026, 2, 3)
        responses = FeedbackResponse.objects.filter(item=item)
        assert responses.count() == 3
        for response in responses:
            assert [h.history_change_reason for h in response.history.all()] == [
                "Response recorded"
            ]
        transaction.set_rollback(True)


def _recorded(strategy) -> dict:
    """What ``strategy`` holds of each story, by source id, as people see it."""
    found = {}
    items = FeedbackItem.objects.filter(strategy=strategy).prefetch_related(
        "services", "tags", "responses"
    )
    for item in items:
        fields = ("title", "text", "given_on", "published_at", "author_role", "staff_only")
        loop = ("raised_concern", "responded_at", "change_planned_at", "change_made_at")
        found[item.source_id] = (
            [getattr(item, name) for name in fields + loop + ("no_change_at", "received_at")],
            sorted(service.name for service in item.services.all()),
            sorted((tag.label, tag.polarity) for tag in item.tags.all()),
            sorted(
                (r.source_id, r.author, r.organisation, r.responded_at, r.text, r.change)
                for r in item.responses.all()
            ),
        )
    return found


@given(stories=_stories_given)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_sync_records_what_recording_each_story_through_the_services_records(
    plans, stories, monkeypatch
):
    in_bulk, by_hand = plans
    moment = at(2026, 6, 1)
    monkeypatch.setattr(clock, "now", lambda: moment)
    with transaction.atomic():
        sync_care_opinion(in_bulk, client=_Given(stories))
        codes = {hs.code for story in stories for hs in story.health_services if hs.code}
        mapped = {code.upper(): found for code, found in services_for_codes(by_hand, codes).items()}
        for story in stories:
            services = _services_of(story, mapped, SyncSummary())
            item = record_item(by_hand, user=None, **item_values(story, services)).item
            _record_responses(item, story, None)
        assert _recorded(in_bulk) == _recorded(by_hand)
        transaction.set_rollback(True)
