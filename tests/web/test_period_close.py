"""Closing a period: every update not accepted is listed, confirmed and kept as such."""

import pytest

from planboard.progress.models import ReportingPeriod, Update, UpdateStatus
from planboard.progress.services import CycleError, close_period, return_update, submit_update
from tests.bounds import database_fingerprint
from tests.web.pages import errors

pytestmark = pytest.mark.django_db

CLOSE = "/strategies/demo/periods/2016-17-q4/close/"
Q4 = "/strategies/demo/periods/2016-17-q4/"


@pytest.fixture
def quarter(small_plan, open_quarter, lead, governor):
    """1.1 waiting for review, 1.2 returned to its leads, 2.1 without an update; 1.3 is
    complete, so it owes none."""
    submit_update(small_plan.review, user=lead, narrative="Meetings reviewed.")
    returned = submit_update(small_plan.mapping, user=lead, narrative="Mapping started.")
    return_update(returned, user=governor, comment="Which directorates?", expected_version=1)
    return open_quarter


def rows(html):
    return [row for row in html.split('class="nhsuk-table__row pb-unaccepted-row"')[1:]]


def test_the_close_page_lists_each_update_not_accepted_with_its_lead_and_fate(
    client_for, governor, quarter, django_assert_max_num_queries
):
    client = client_for(governor)
    with django_assert_max_num_queries(14):
        text = client.get(CLOSE).text

    waiting, returned, missing = rows(text)
    assert "1.1" in waiting and "EM (Laura Di Bona, Mia Bajin)" in waiting
    assert "Waiting for review" in waiting and "Kept as not accepted at close" in waiting
    assert "1.2" in returned and "Returned to the lead" in returned
    assert "EM (Laura Di Bona, Mia Bajin); Head of SUEMU" in returned
    assert "the lead can no longer send it again" in returned
    assert "2.1" in missing and "Finance" in missing and "No update given" in missing
    assert "the paper lists it as not updated" in missing
    assert 'href="/strategies/demo/actions/2.1/"' in missing
    assert "1.3" not in "".join(rows(text))  # complete: it owes no update
    assert "Not accepted when 2016/17 Q4 closes (3)" in text
    assert 'name="confirm_not_accepted" type="checkbox" value="2"' in text
    assert "Close 2016/17 Q4 with 2 updates not accepted" in text


def test_closing_without_the_confirmation_is_refused_and_changes_nothing(
    client_for, governor, quarter
):
    client = client_for(governor)  # signing in records the time, before the fingerprint
    before = database_fingerprint()

    response = client.post(CLOSE)

    assert response.status_code == 200
    summary, inline = errors(response.text)
    message = "2 updates are not accepted; confirm that 2016/17 Q4 closes without them."
    assert summary == [("#confirm_not_accepted", message)]
    assert inline == [message]
    assert database_fingerprint() == before
    assert ReportingPeriod.objects.get(pk=quarter.pk).is_open


def test_the_service_refuses_without_confirmation_naming_the_field(governor, quarter):
    before = database_fingerprint()

    with pytest.raises(CycleError) as refused:
        close_period(quarter, user=governor)

    assert refused.value.field == "confirm_not_accepted"
    assert "\n" not in str(refused.value)
    assert database_fingerprint() == before


def test_confirmed_each_update_is_kept_as_not_accepted_at_close(
    client_for, governor, small_plan, quarter, django_assert_max_num_queries
):
    client = client_for(governor)

    response = client.post(CLOSE, {"confirm_not_accepted": "2"})

    assert response.status_code == 302 and response.url == Q4
    updates = {u.action.ref: u for u in Update.objects.filter(period=quarter)}
    assert {ref: (u.status, u.not_accepted_at_close) for ref, u in updates.items()} == {
        "1.1": (UpdateStatus.SUBMITTED, True),
        "1.2": (UpdateStatus.RETURNED, True),
    }
    assert updates["1.1"].history.first().history_change_reason == (
        "Not accepted when the period closed"
    )
    with django_assert_max_num_queries(16):
        text = client.get(Q4).text
    listed = text[text.index('id="not-accepted-at-close"') :]
    listed = listed[: listed.index("</ul>")]
    assert "Not accepted at close (2)" in listed
    assert "1.1</a> Review the structure of SUSEG meetings.: waiting for review" in listed
    assert "1.2</a> Map service user engagement" in listed and "returned to the lead" in listed
    assert "2.1" not in listed
    for ref, words in (("1-1", "Waiting for review"), ("1-2", "Returned to the lead")):
        row = text[text.index(f'id="snapshot-{ref}"') :]
        assert f"{words}, not accepted at close" in row[: row.index("</tr>")]
    row = text[text.index('id="snapshot-2-1"') :]
    assert "No update this period." in row[: row.index("</tr>")]


def test_after_closing_the_period_offers_the_next_steps(client_for, governor, quarter):
    client = client_for(governor)
    client.post(CLOSE, {"confirm_not_accepted": "2"})

    text = client.get(Q4).text

    steps = text[text.index('id="next-steps"') :]
    steps = steps[: steps.index("</ul>")]
    assert 'href="/strategies/demo/papers/2016-17-q4/"' in steps
    assert 'href="/strategies/demo/periods/#open-next"' in steps
    assert 'href="/strategies/demo/public/">Publish the strategy</a>' in steps
    assert 'id="open-next"' in client.get("/strategies/demo/periods/").text


def test_the_next_steps_link_to_the_public_what_changed_once_published(
    client_for, governor, small_plan, quarter
):
    from planboard.public.models import StrategyPublication

    StrategyPublication.objects.update_or_create(
        strategy=small_plan.strategy, defaults={"published": True}
    )
    client = client_for(governor)
    client.post(CLOSE, {"confirm_not_accepted": "2"})

    text = client.get(Q4).text

    assert 'href="/public/demo/#what-changed"' in text


def test_a_board_member_sees_what_was_not_accepted_but_no_next_steps(
    client_for, governor, board_member, quarter
):
    close_period(quarter, user=governor, confirm_not_accepted=True)

    text = client_for(board_member).get(Q4).text

    assert "Not accepted at close (2)" in text and 'id="next-steps"' not in text


def test_an_update_sent_after_the_page_was_read_stops_the_close(
    client_for, governor, small_plan, quarter
):
    client = client_for(governor)
    assert "Close 2016/17 Q4 with 2 updates not accepted" in client.get(CLOSE).text
    submit_update(small_plan.materials, user=governor, narrative="Sent meanwhile.")
    before = database_fingerprint()

    response = client.post(CLOSE, {"confirm_not_accepted": "2"})

    summary, _ = errors(response.text)
    assert summary == [
        (
            "#confirm_not_accepted",
            "3 updates are not accepted now, not 2 as listed; look at the list again before "
            "closing 2016/17 Q4.",
        )
    ]
    assert database_fingerprint() == before
    assert "Close 2016/17 Q4 with 3 updates not accepted" in response.text
