"""The Care Opinion client against a local server answering in the documented shapes.

These tests have no database access (pytest-django refuses any query from a test not
marked for it), so they also show the client reads without touching planboard's data.
"""

import datetime

import pytest

from planboard.feedback.care_opinion import (
    CareOpinionClient,
    CareOpinionError,
    ChangeClaim,
    Link,
    Polarity,
    RateLimiter,
    read_stories,
)
from tests.feedback.care_opinion_server import CareOpinionServer, opinion

UTC = datetime.UTC


def _stories(count=3):
    return [
        opinion(
            1000 + n,
            submitted=f"2026-0{1 + n % 9}-0{1 + n % 9}T10:12:00Z",
            published=f"2026-0{1 + n % 9}-0{1 + n % 9}T12:00:00.1234567",
            tags=[
                {"name": "listening", "group": "What was good?", "polarity": 1},
                {"name": "waiting times", "group": "What could be improved?", "polarity": -1},
            ],
            services=[
                {
                    "nacs": f"RX{n}01",
                    "name": f"Ward {n}",
                    "type": "service",
                    "organisation": "Example NHS Foundation Trust",
                    "siteNacs": "RX1",
                }
            ],
            responses=[
                {
                    "id": 5000 + n,
                    "responderName": "Sam Lee",
                    "responderOrganisation": "Example NHS Foundation Trust",
                    "dateOfPublication": "2026-03-02T09:00:00",
                    "body": "Thank you. **We have changed** the rota.",
                    "changeScore": "ChangeMade",
                    "changeInt": 2,
                }
            ],
        )
        for n in range(count)
    ]


class FakeClock:
    """A clock that moves only when slept on (or moved by hand)."""

    def __init__(self, start=1_000.0):
        self.now = start
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def served(server):
    server.reset(_stories())
    return server


def client_for(server, url=None, key="good-key", clock=None, **options):
    clock = clock or FakeClock()
    return CareOpinionClient(
        url or server.url,
        key,
        limiter=RateLimiter(clock=clock, sleep=clock.sleep),
        wall_clock=clock,
        sleep=clock.sleep,
        **options,
    )


def test_it_reads_stories_with_responses_tags_and_services(served):
    stories = list(client_for(served).stories())
    assert [story.id for story in stories] == ["1000", "1001", "1002"]
    story = stories[1]
    assert story.title == "Story 1001"
    assert story.body.endswith("*Thank you*")
    assert story.submitted == datetime.datetime(2026, 2, 2, 10, 12, tzinfo=UTC)
    assert story.published == datetime.datetime(2026, 2, 2, 12, 0, 0, 123456, tzinfo=UTC)
    assert story.author_role == "service user"
    assert story.criticality == "mildly critical"
    assert [(s.code, s.name, s.type) for s in story.health_services] == [
        ("RX101", "Ward 1", "service")
    ]
    assert [(t.name, t.polarity) for t in story.tags] == [
        ("listening", Polarity.POSITIVE),
        ("waiting times", Polarity.NEGATIVE),
    ]
    (response,) = story.responses
    assert (response.id, response.author, response.change) == ("5001", "Sam Lee", ChangeClaim.MADE)
    assert (response.change_score, response.change_int) == ("ChangeMade", 2)
    assert response.published == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert Link("tags", "1001", f"{served.url}opinions/1001/tags") in story.links
    assert set(served.headers_seen) == {"SUBSCRIPTION_KEY good-key"}


def test_it_pages_with_skip_and_take_until_an_empty_page(served):
    served.reset(_stories(7))
    stories = list(client_for(served, take=3).stories())
    assert [story.id for story in stories] == [str(1000 + n) for n in range(7)]
    pages = [query for path, query, _ in served.requests if path.endswith("/opinions")]
    assert [(q["skip"], q["take"]) for q in pages] == [
        (["0"], ["3"]),
        (["3"], ["3"]),
        (["6"], ["3"]),
        (["7"], ["3"]),
    ]


def test_since_asks_for_stories_submitted_on_or_after_the_date(served):
    stories = list(client_for(served).stories(since=datetime.date(2026, 2, 2)))
    assert [story.id for story in stories] == ["1001", "1002"]
    (first, *_) = [q for path, q, _ in served.requests if path.endswith("/opinions")]
    assert first["submittedonafter"] == ["2026-02-02"]


def test_reading_again_gives_the_same_stories(served):
    client = client_for(served)
    assert list(client.stories()) == list(client.stories())


def test_links_in_the_relation_and_link_shape_are_read(served):
    served.link_shape = "relation"
    story = next(client_for(served).stories())
    assert Link("responses", "1000", f"{served.url}opinions/1000/responses") in story.links


def test_a_wrong_key_is_reported_as_refused_and_nothing_more_is_asked(served):
    with pytest.raises(CareOpinionError) as caught:
        list(client_for(served, key="wrong").stories())
    assert str(caught.value) == (
        "Care Opinion refused the API key (redirected to "
        f"{served.url.removesuffix('/api/v2/')}/Account/SignIn, for {served.url}opinions"
        "?take=100&skip=0): check CARE_OPINION_API_KEY is the subscription's HTTP header key."
    )
    assert len(served.requests) == 1


def test_a_redirect_that_ends_at_json_is_followed_with_the_key(served):
    moved = served.url.replace("/api/v2/", "/old/api/v2/")
    assert [story.id for story in client_for(served, moved).stories()] == ["1000", "1001", "1002"]
    assert set(served.headers_seen) == {"SUBSCRIPTION_KEY good-key"}


def test_an_html_page_instead_of_json_is_reported_as_a_refused_key(served):
    served.html_instead = True
    with pytest.raises(
        CareOpinionError, match=r"^Care Opinion refused the API key \(an HTML page,"
    ):
        list(client_for(served).stories())


def test_a_429_is_waited_out_until_the_reset_time(served):
    served.rate_limit_on = {2}
    served.reset_in_seconds = 3
    clock = FakeClock(start=datetime.datetime.now(UTC).timestamp())
    stories = list(client_for(served, clock=clock).stories())
    assert len(stories) == 3
    assert any(2 <= wait <= 4 for wait in clock.slept)
    assert len(served.requests) == 1 + 3 * 3 + 1 + 1  # pages, subcollections, empty, retry


def test_repeated_429s_stop_after_the_retries(served):
    served.rate_limit_on = set(range(1, 10))
    with pytest.raises(CareOpinionError) as caught:
        list(client_for(served, max_retries=2).stories())
    assert str(caught.value) == (
        f"Care Opinion kept answering 429 Too Many Requests for {served.url}opinions"
        "?take=100&skip=0 after 3 tries."
    )
    assert len(served.requests) == 3


def test_malformed_json_names_the_address(served):
    served.malformed_on = {3}
    with pytest.raises(CareOpinionError) as caught:
        list(client_for(served).stories())
    assert str(caught.value) == (
        f"Care Opinion sent malformed JSON from {served.url}opinions/1000/tags."
    )


def test_an_answer_slower_than_the_timeout_stops_the_read(served):
    served.hang_seconds = 3
    with pytest.raises(CareOpinionError) as caught:
        list(client_for(served, timeout=0.3).stories())
    assert str(caught.value) == (
        f"Care Opinion did not answer {served.url}opinions?take=100&skip=0 within 0.3 seconds."
    )


def test_an_http_error_status_is_reported(served):
    with pytest.raises(CareOpinionError) as caught:
        client_for(served).get_list("opinions/999/tags")
    assert str(caught.value) == f"Care Opinion answered HTTP 404 for {served.url}opinions/999/tags."


@pytest.mark.parametrize("status", [401, 403])
def test_a_401_or_403_is_reported_as_a_refused_key(served, status):
    served.status_on = {1: status}
    with pytest.raises(
        CareOpinionError, match=rf"^Care Opinion refused the API key \(HTTP {status},"
    ):
        list(client_for(served).stories())


def test_a_service_that_cannot_be_reached_is_reported():
    closed = CareOpinionServer()  # bound, never started, then closed: nothing listens
    address = closed.url
    closed.stop()
    with pytest.raises(CareOpinionError) as caught:
        client_for(closed, address).get_list("opinions")
    assert str(caught.value).startswith(f"Care Opinion could not be reached at {address}opinions: ")
    assert "\n" not in str(caught.value)


def test_every_request_keeps_to_five_a_second(served):
    served.reset(_stories(6))
    clock = FakeClock()
    sent = []
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    original = limiter.wait
    limiter.wait = lambda: (original(), sent.append(clock()))
    client = CareOpinionClient(served.url, "good-key", limiter=limiter, sleep=clock.sleep)
    assert len(list(client.stories())) == 6
    assert len(sent) == len(served.requests) == client.requests_sent == 1 + 6 * 3 + 1
    assert all(sum(t <= s < t + 1 for s in sent) <= 5 for t in sent)
    assert sent[-1] - sent[0] >= (len(sent) - 5) / 5 - 1e-9


def test_read_stories_reads_the_settings(served, settings):
    served.reset(_stories(1))
    settings.CARE_OPINION_API_URL = served.url
    settings.CARE_OPINION_API_KEY = "good-key"
    settings.CARE_OPINION_TIMEOUT_SECONDS = 5
    assert [story.id for story in read_stories()] == ["1000"]


def test_read_stories_without_a_key_says_which_setting_is_missing(settings):
    settings.CARE_OPINION_API_KEY = ""
    with pytest.raises(CareOpinionError, match="CARE_OPINION_API_KEY is not set"):
        read_stories()
