"""The Care Opinion sync against a local server answering in the documented shapes:
what it records, that a second sync updates and never duplicates, and that a failure
to read Care Opinion leaves the database as it was."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.feedback.care_opinion import (
    CareOpinionClient,
    CareOpinionError,
    ChangeClaim,
    HealthService,
    RateLimiter,
    Story,
    Tag,
)
from planboard.feedback.care_opinion import Polarity as Applied
from planboard.feedback.care_opinion import Response as Reply
from planboard.feedback.models import Change, FeedbackItem, FeedbackResponse, LoopState, Polarity
from planboard.feedback.models import ServiceCode as SourceCode
from planboard.feedback.services import save_source_code
from planboard.feedback.sync import queue_care_opinion_syncs, raises_concern, sync_care_opinion
from planboard.progress.models import DailyChore
from planboard.web.management.commands import scheduler
from tests.bounds import database_fingerprint
from tests.builders import make_strategy
from tests.feedback.care_opinion_server import opinion
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared


def _stories():
    return [
        opinion(
            2001,
            submitted="2026-01-10T10:00:00Z",
            criticality="mildly critical",
            tags=[
                {"name": "listening", "group": "What was good?", "polarity": 1},
                {"name": "waiting times", "group": "What could be improved?", "polarity": -1},
            ],
            services=[{"nacs": "rxg10", "name": "Willow ward", "type": "service"}],
            responses=[
                {
                    "id": 7001,
                    "responderName": "Sam Lee",
                    "responderOrganisation": "Example NHS Foundation Trust",
                    "dateOfPublication": "2026-01-20T09:00:00",
                    "body": "We have changed the rota.",
                    "changeScore": "ChangeMade",
                    "changeInt": 2,
                }
            ],
        ),
        opinion(
            2002,
            submitted="2026-03-05T10:00:00Z",
            criticality="not critical",
            tags=[{"name": "kindness", "group": "What was good?", "polarity": 1}],
            services=[{"nacs": "ZZ901", "name": "Oak ward", "type": "service"}],
            responses=[
                {"id": 7002, "dateOfPublication": "2026-03-09", "body": "Thanks.", "changeInt": 0},
                {"id": 7003, "dateOfPublication": "2026-03-12", "body": "Soon.", "changeInt": 1},
            ],
        ),
        opinion(
            2003,
            submitted="2026-04-20T10:00:00Z",
            criticality=None,
            services=[
                {"nacs": "RXG20", "name": "Crisis team", "type": "service"},
                {"nacs": "ZZ901", "name": "Oak ward", "type": "service"},
            ],
        ),
    ]


@pytest.fixture
def care_opinion(server, settings, monkeypatch):
    server.reset(_stories())
    # The 5-a-second limit is the client's, tested with it; here it would only wait.
    monkeypatch.setattr(RateLimiter, "wait", lambda limiter: None)
    settings.CARE_OPINION_API_URL = server.url
    settings.CARE_OPINION_API_KEY = server.key
    settings.CARE_OPINION_TIMEOUT_SECONDS = 5
    return server


@shared
def plan(db):
    return make_feedback_plan("co")


def _run(*args, **options):
    out = io.StringIO()
    call_command("sync_care_opinion", *args, stdout=out, stderr=io.StringIO(), **options)
    return json.loads(out.getvalue())


def _item(ident):
    return FeedbackItem.objects.get(source_id=str(ident))


def test_a_first_sync_records_every_story_with_its_responses_tags_and_services(plan, care_opinion):
    strategy, _, ward, team, _ = plan
    summary = _run(strategy="co")
    assert summary == {
        "stories": 3,
        "responses": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "unmapped": 1,
        "unmapped_codes": [{"code": "ZZ901", "name": "Oak ward", "stories": 2}],
    }
    first = _item(2001)
    assert first.strategy == strategy and first.source == "care_opinion"
    assert first.title == "Story 2001" and first.text.endswith("*Thank you*")
    assert first.given_on == datetime.date(2026, 1, 10)
    assert first.published_at == at(2026, 1, 10, 10)
    assert list(first.services.all()) == [ward]
    assert {t.label: t.polarity for t in first.tags.all()} == {
        "listening": Polarity.POSITIVE,
        "waiting times": Polarity.NEGATIVE,
    }
    assert first.staff_only == {"criticality": "mildly critical"}
    assert first.raised_concern is True
    assert first.loop_state == LoopState.CHANGE_MADE
    response = first.responses.get()
    assert (response.source_id, response.author, response.change) == ("7001", "Sam Lee", "made")
    second = _item(2002)
    assert second.raised_concern is False and list(second.services.all()) == []
    assert [r.change for r in second.responses.all()] == [Change.NONE, Change.PLANNED]
    assert second.loop_state == LoopState.CHANGE_PLANNED
    third = _item(2003)
    assert list(third.services.all()) == [team]
    assert third.staff_only == {} and third.raised_concern is False
    assert third.loop_state == LoopState.RECEIVED


def test_a_second_sync_updates_and_never_duplicates(plan, care_opinion):
    _run(strategy="co")
    counts = (FeedbackItem.objects.count(), FeedbackResponse.objects.count())
    again = _run(strategy="co")
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    care_opinion.stories[0]["title"] = "Listened to at last"
    care_opinion.stories[1]["_responses"][1]["changeInt"] = 2
    care_opinion.stories[2]["_tags"] = [{"name": "parking", "polarity": -1}]
    changed = _run(strategy="co")
    assert (changed["created"], changed["updated"], changed["unchanged"]) == (0, 3, 0)
    assert (FeedbackItem.objects.count(), FeedbackResponse.objects.count()) == counts
    assert _item(2001).title == "Listened to at last"
    assert _item(2002).loop_state == LoopState.CHANGE_MADE
    assert _item(2003).raised_concern is True


def test_a_code_mapped_since_the_last_sync_puts_the_stories_under_its_service(plan, care_opinion):
    strategy, _, _, team, _ = plan
    long_code = "X" * 21  # longer than any code planboard keeps: reported, not refused
    care_opinion.stories[0]["_services"].append({"nacs": long_code, "name": "Far away"})
    assert _run(strategy="co")["unmapped_codes"][0] == {
        "code": long_code,
        "name": "Far away",
        "stories": 1,
    }
    save_source_code(SourceCode(strategy=strategy, code="zz901", service=team), user=None)
    summary = _run(strategy="co")
    # 2003 was about the team already (RXG20): only 2002 changes.
    assert (summary["unmapped"], summary["updated"]) == (1, 1)
    assert [found["code"] for found in summary["unmapped_codes"]] == [long_code]
    assert list(_item(2002).services.all()) == [team]
    assert list(_item(2003).services.all()) == [team]


def test_since_reads_the_stories_submitted_on_or_after_the_date(plan, care_opinion):
    summary = _run(strategy="co", since="2026-03-05")
    assert (summary["stories"], summary["created"]) == (2, 2)
    assert sorted(FeedbackItem.objects.values_list("source_id", flat=True)) == ["2002", "2003"]
    assert care_opinion.requests[0][1]["submittedonafter"] == ["2026-03-05"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"strategy": "nope"}, 'There is no strategy with the slug "nope".'),
        ({"strategy": "co", "since": "5 March"}, "--since must be a date written YYYY-MM-DD"),
    ],
)
def test_bad_arguments_are_refused_in_one_line(plan, care_opinion, options, message):
    with pytest.raises(CommandError, match=message) as refused:
        _run(**options)
    assert "\n" not in str(refused.value)
    assert not care_opinion.requests


def test_an_invalid_key_writes_nothing_and_stops_with_one_line(plan, care_opinion, settings):
    _run(strategy="co")
    care_opinion.stories[0]["title"] = "Changed since"
    settings.CARE_OPINION_API_KEY = "wrong-key"
    before = database_fingerprint()
    # A CommandError is what makes `planboard` print "CommandError: ..." and exit with 1.
    with pytest.raises(CommandError) as refused:
        _run(strategy="co")
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("Care Opinion refused the API key (redirected to http://127.0.0.1")
    assert "CARE_OPINION_API_KEY" in message
    assert database_fingerprint() == before


def test_no_key_is_a_one_line_error(plan, care_opinion, settings):
    settings.CARE_OPINION_API_KEY = ""
    with pytest.raises(CommandError, match="^Care Opinion cannot be read: CARE_OPINION_API_KEY"):
        _run(strategy="co")
    assert not FeedbackItem.objects.exists()


@pytest.mark.parametrize("failing_request", [1, 5, 8])
def test_malformed_json_part_way_writes_nothing(plan, care_opinion, failing_request):
    before = database_fingerprint()
    care_opinion.malformed_on = {failing_request}
    with pytest.raises(CommandError, match="Care Opinion sent malformed JSON from http"):
        _run(strategy="co")
    assert database_fingerprint() == before


def test_a_timeout_writes_nothing(plan, care_opinion):
    strategy = plan[0]
    before = database_fingerprint()
    care_opinion.hang_seconds = 1.0
    client = CareOpinionClient(care_opinion.url, care_opinion.key, timeout=0.2)
    with pytest.raises(CareOpinionError, match="did not answer .* within 0.2 seconds"):
        sync_care_opinion(strategy, client=client)
    assert database_fingerprint() == before


def test_each_strategy_set_up_is_queued_once_per_run_and_the_worker_syncs_it(
    plan, care_opinion, settings, monkeypatch
):
    strategy = plan[0]
    make_strategy(slug="bare")  # no code mapped, no Care Opinion feedback: not synced
    settings.CARE_OPINION_SYNC_HOURS = 6
    assert queue_care_opinion_syncs(at(2026, 5, 1, 7)) == [strategy]
    chores = DailyChore.objects.filter(name__startswith="care opinion")
    assert [(c.name, c.day) for c in chores] == [
        (f"care opinion {strategy.pk} 06:00", datetime.date(2026, 5, 1))
    ]
    assert queue_care_opinion_syncs(at(2026, 5, 1, 11)) == []  # the same run: queued once
    # The worker closes its connection between tasks; here it is the test's.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    assert FeedbackItem.objects.filter(strategy=strategy).count() == 3
    result = DBTaskResult.objects.get(id=chores.get().task_id)
    assert result.status == "SUCCESSFUL" and result.return_value["created"] == 3
    assert queue_care_opinion_syncs(at(2026, 5, 1, 12)) == [strategy]  # the next run
    assert queue_care_opinion_syncs(at(2026, 5, 2, 0)) == [strategy]  # the next day


def test_the_scheduler_queues_the_sync_and_says_so(plan, care_opinion, monkeypatch):
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)
    out = io.StringIO()
    call_command("scheduler", once=True, stdout=out)
    assert "Queued the Care Opinion sync for co.\n" in out.getvalue()
    assert DailyChore.objects.filter(name__startswith=f"care opinion {plan[0].pk} ").count() == 1
    out = io.StringIO()
    call_command("scheduler", once=True, stdout=out)
    assert "Care Opinion" not in out.getvalue()


def test_nothing_is_queued_without_a_key(plan, care_opinion, settings):
    settings.CARE_OPINION_API_KEY = ""
    assert queue_care_opinion_syncs(at(2026, 5, 1, 7)) == []


def _story(criticality=None, *polarities):
    tags = tuple(Tag(f"tag {n}", None, polarity) for n, polarity in enumerate(polarities))
    return Story("1", None, "Text", None, None, None, criticality, tags=tags)


@pytest.mark.parametrize(
    ("story", "concern"),
    [
        (_story(), False),
        (_story(None, Applied.POSITIVE, Applied.NEUTRAL, Applied.UNKNOWN), False),
        (_story(None, Applied.POSITIVE, Applied.NEGATIVE), True),
        (_story("not critical"), False),
        (_story("Not Critical", Applied.POSITIVE), False),
        (_story("minimally critical"), True),
        (_story("severely critical"), True),
    ],
)
def test_a_story_raises_a_concern_when_something_could_be_improved_or_it_is_critical(
    story, concern
):
    assert raises_concern(story) is concern


def test_a_story_that_cannot_be_recorded_rolls_the_whole_sync_back(plan, care_opinion):
    _run(strategy="co")
    care_opinion.stories[0]["title"] = "Changed since"
    care_opinion.stories.append(opinion("9" * 101, submitted="2026-06-01T10:00:00Z"))
    before = database_fingerprint()
    with pytest.raises(
        CommandError,
        match=r"^Care Opinion story 9{20}\.\.\.: The source id is over 100 characters\.$",
    ):
        _run(strategy="co")
    assert database_fingerprint() == before
    assert _item(2001).title == "Story 2001"


class _Given:
    """A client that gives stories already read (the sync's writing, without HTTP)."""

    def __init__(self, stories):
        self.given = stories

    def stories(self, since=None):
        return iter(self.given)


_words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30)
_times = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2027, 1, 1)
).map(lambda moment: moment.replace(microsecond=0, tzinfo=datetime.UTC))
_responses = st.builds(
    Reply,
    id=st.none() | st.integers(1, 5).map(str),
    author=st.none() | _words,
    organisation=st.none() | _words,
    published=st.none() | st.sampled_from([at(2026, 2, 1), at(2026, 2, 2)]),
    body=st.none() | _words,
    change=st.sampled_from(list(ChangeClaim)),
)
_stories_given = st.lists(
    st.builds(
        Story,
        id=st.integers(1, 10**9).map(str),
        title=st.none() | _words,
        body=st.none() | _words,
        submitted=st.none() | _times,
        published=st.none() | _times,
        author_role=st.none() | _words,
        criticality=st.none() | st.sampled_from(["not critical", "mildly critical"]),
        health_services=st.lists(
            st.sampled_from(["rxg10", "RXG20", "ZZ1", ""]).map(
                lambda code: HealthService(code, code, code, "service")
            ),
            max_size=3,
        ).map(tuple),
        tags=st.lists(
            st.builds(Tag, name=_words, group=st.none(), polarity=st.sampled_from(list(Applied))),
            max_size=3,
        ).map(tuple),
        responses=st.lists(_responses, max_size=3).map(tuple),
    ),
    max_size=4,
    unique_by=lambda story: story.id,
)


@given(stories=_stories_given)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_syncing_the_same_stories_again_changes_nothing(plan, stories):
    strategy = plan[0]
    with transaction.atomic():
        first = sync_care_opinion(strategy, client=_Given(stories))
        assert (first.stories, first.created) == (len(stories), first.stories - first.updated)
        before = database_fingerprint()
        again = sync_care_opinion(strategy, client=_Given(stories))
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(stories))
        assert database_fingerprint() == before
        assert FeedbackItem.objects.filter(strategy=strategy).count() >= len(stories)
        transaction.set_rollback(True)


def test_a_scheduled_sync_that_cannot_read_care_opinion_fails_its_task_and_writes_nothing(
    plan, care_opinion, settings, monkeypatch
):
    strategy = plan[0]
    assert queue_care_opinion_syncs(at(2026, 5, 1, 7)) == [strategy]
    settings.CARE_OPINION_API_KEY = "wrong-key"
    before = database_fingerprint(leaving_out=("progress.DailyChore",))
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    chore = DailyChore.objects.get(name__startswith="care opinion")
    result = DBTaskResult.objects.get(id=chore.task_id)
    assert result.status == "FAILED"
    assert result.exception_class_path.endswith("CareOpinionError")
    assert "Care Opinion refused the API key" in result.traceback
    assert database_fingerprint(leaving_out=("progress.DailyChore",)) == before
