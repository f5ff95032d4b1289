"""The tolerant readers of Care Opinion's JSON, and the rate limiter, on their own."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planboard.feedback.care_opinion import RateLimiter
from planboard.feedback.care_opinion_shapes import (
    ChangeClaim,
    Link,
    Polarity,
    read_change_claim,
    read_links,
    read_polarity,
    read_response,
    read_story,
)
from planboard.feedback.care_opinion_shapes import read_datetime as read

UTC = datetime.UTC
moments = st.datetimes(
    min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2100, 1, 1)
)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)


@given(moments)
def test_a_time_with_z_or_without_a_zone_is_utc(moment):
    expected = moment.replace(tzinfo=UTC)
    assert read(moment.isoformat()) == expected
    assert read(moment.isoformat() + "Z") == expected
    assert read(moment.isoformat(timespec="seconds")) == expected.replace(microsecond=0)


@given(moments, offsets)
def test_a_time_with_an_offset_is_turned_to_utc(moment, zone):
    aware = moment.replace(tzinfo=zone)
    assert read(aware.isoformat()) == aware.astimezone(UTC)


@given(moments, st.integers(min_value=0, max_value=9))
def test_a_seven_digit_fraction_keeps_its_microseconds(moment, extra):
    text = moment.isoformat(timespec="microseconds") + f"{extra}Z"
    assert read(text) == moment.replace(tzinfo=UTC)


@given(json_values)
def test_any_value_reads_as_none_or_a_utc_time(value):
    result = read(value)
    assert result is None or result.utcoffset() == datetime.timedelta(0)


def test_a_date_alone_is_its_midnight_and_junk_is_none():
    assert read("2026-01-04") == datetime.datetime(2026, 1, 4, tzinfo=UTC)
    assert [read(v) for v in ("", "  ", "yesterday", "04/01/2026", 20260104)] == [None] * 5


@given(json_values, json_values)
def test_any_change_values_read_as_a_claim(score, number):
    assert read_change_claim(score, number) in set(ChangeClaim)


@given(st.sampled_from(["Change made", "ChangeMade", "change_made", "CHANGE MADE"]), json_values)
def test_a_text_saying_made_wins_over_the_number(score, number):
    assert read_change_claim(score, number) is ChangeClaim.MADE


@given(st.sampled_from(["Change planned", "ChangePlanned", "We are preparing to make a change"]))
def test_a_text_saying_planned_is_planned(score):
    assert read_change_claim(score, 2) is ChangeClaim.PLANNED


@given(st.sampled_from([None, "", " "]))
def test_without_text_the_number_is_read(score):
    assert [read_change_claim(score, n) for n in (0, 1, 2, "2", 2.0, 7, None)] == [
        ChangeClaim.NONE,
        ChangeClaim.PLANNED,
        ChangeClaim.MADE,
        ChangeClaim.MADE,
        ChangeClaim.MADE,
        ChangeClaim.UNKNOWN,
        ChangeClaim.UNKNOWN,
    ]
    assert read_change_claim("None", 2) is ChangeClaim.NONE


@given(st.integers())
def test_polarity_follows_the_sign(number):
    expected = {1: Polarity.POSITIVE, -1: Polarity.NEGATIVE, 0: Polarity.NEUTRAL}
    assert read_polarity(number) is expected[(number > 0) - (number < 0)]
    assert read_polarity(str(number)) is read_polarity(number)


@given(st.text(min_size=1).filter(str.strip), st.integers(min_value=1), st.text())
def test_links_read_the_same_in_either_shape(rel, ident, href):
    one = read_links([{"rel": rel, "id": ident, "href": href}])
    other = read_links([{"relation": rel, "id": str(ident), "link": href}])
    assert one == other == (Link(rel.strip(), str(ident), href.strip() or None),)


@given(st.dictionaries(st.text().filter(lambda k: k[:1].isupper()), json_values, max_size=4))
def test_unknown_fields_are_ignored(extra):
    raw = {"id": 7, "title": "Seen", "dateOfSubmission": "2026-01-01T00:00:00Z"}
    response = {"id": 8, "body": "Thanks", "changeInt": 1}
    plain = read_story(raw, responses=[response])
    assert read_story({**extra, **raw}, responses=[{**extra, **response}]) == plain


def test_missing_optional_fields_are_none():
    story = read_story({"id": 7}, tags=[{"group": "no name"}, "junk"], responses=[{}])
    assert (story.id, story.title, story.submitted, story.criticality) == ("7", None, None, None)
    assert story.tags == ()
    assert read_response({}).change is ChangeClaim.UNKNOWN
    assert read_response({"responder": {"name": "Sam"}}).author == "Sam"


def test_the_limiter_waits_for_the_request_five_back():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(clock=lambda: now[0], sleep=sleep)
    sent = []
    for _ in range(23):
        limiter.wait()
        sent.append(now[0])
        now[0] += 0.01
    assert all(sum(t <= s < t + 1 for s in sent) <= 5 for t in sent)
    assert slept and sent[5] >= sent[0] + 1
    assert sent[4] == pytest.approx(sent[0] + 0.04)  # the first five go at once
