"""Every bad input of issue 3 is refused with a clear message, and nothing changes."""

import pytest
from django.forms.models import model_to_dict

from planboard.plans.models import Action
from planboard.progress.models import TargetChange, Update
from planboard.progress.services import close_period, open_period, submit_update
from tests.builders import make_strategy
from tests.web.cycle import level_id, open_form, send_update, update_url
from tests.web.pages import errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def state(small_plan):
    """What the database holds of the cycle, to compare before and after."""

    def read():
        actions = [model_to_dict(a, exclude=["leads", "commitments"]) for a in Action.objects.all()]
        updates = [model_to_dict(u) for u in Update.objects.order_by("pk")]
        return actions, updates, TargetChange.objects.count()

    return read


def refused_with(response, message):
    summary, _ = errors(response.text)
    assert response.status_code == 200
    assert message in [text for _, text in summary], summary


def test_an_empty_narrative_is_refused(client_for, lead, open_quarter, state):
    before = state()

    response = send_update(client_for(lead), "1.1", narrative=" \r\n ")

    refused_with(response, "Enter the progress made on this action")
    assert state() == before


def test_a_narrative_over_the_limit_is_refused(client_for, lead, open_quarter, state):
    before = state()

    response = send_update(client_for(lead), "1.1", narrative="x" * 5001)

    refused_with(response, "Progress must be 5,000 characters or fewer (you have 5,001)")
    assert state() == before


def test_a_narrative_at_the_limit_is_accepted_counting_line_ends_once(
    client_for, lead, open_quarter
):
    narrative = ("x" * 99 + "\r\n") * 50  # 5,000 characters once CRLF counts as one

    response = send_update(client_for(lead), "1.1", narrative=narrative)

    assert response.status_code == 302
    assert len(Update.objects.get().narrative) == 4999  # the last line end is stripped


def test_a_rag_level_from_another_strategys_scale_is_refused(client_for, lead, open_quarter, state):
    other = make_strategy(slug="other")
    before = state()

    response = send_update(client_for(lead), "1.1", narrative="Text.", rag=level_id(other, "Green"))

    refused_with(response, "Choose a RAG rating from this strategy's scale")
    assert state() == before


def test_a_rag_level_that_is_not_a_number_is_refused(client_for, lead, open_quarter, state):
    before = state()

    response = send_update(client_for(lead), "1.1", narrative="Text.", rag="Green")

    refused_with(response, "Choose a RAG rating from this strategy's scale")
    assert state() == before


def test_a_level_meaning_complete_needs_the_action_complete(
    client_for, lead, open_quarter, small_plan, state
):
    from planboard.plans.models import RagLevel

    blue = RagLevel.objects.create(
        strategy=small_plan.strategy, position=0, label="Blue", means_complete=True
    )
    before = state()

    response = send_update(client_for(lead), "1.1", narrative="Text.", rag=str(blue.pk))

    refused_with(
        response, "Blue means complete: choose another rating, or tick This action is complete"
    )
    assert state() == before


def test_a_target_before_the_period_starts_needs_a_reason(client_for, lead, open_quarter, state):
    before = state()

    response = send_update(
        client_for(lead),
        "1.1",
        narrative="Text.",
        target_moves="yes",
        **{"target_date-month": "12", "target_date-year": "2016"},
        target_reason="",
    )

    refused_with(response, "Give the reason the target moves from Mar 2017 to Dec 2016")
    assert state() == before


@pytest.mark.parametrize(
    ("month", "year", "message"),
    [
        ("", "", "Enter the new target date"),
        ("", "2017", "The new target date must include a month"),
        ("6", "", "The new target date must include a year"),
        ("13", "2017", "The new target date must be a real date"),
        ("Jux", "2017", "The new target date must be a real date"),
        ("6", "17", "The new target date must include a year with 4 numbers"),
        ("6", "1999", "The new target date must be in a year from 2000 to 2100"),
    ],
)
def test_a_new_target_date_that_is_not_a_month_is_refused(
    client_for, lead, open_quarter, state, month, year, message
):
    before = state()

    response = send_update(
        client_for(lead),
        "1.1",
        narrative="Text.",
        target_moves="yes",
        **{"target_date-month": month, "target_date-year": year},
        target_reason="Because.",
    )

    refused_with(response, message)
    assert state() == before


def test_an_update_to_a_closed_period_is_refused(
    client_for, lead, governor, open_quarter, small_plan, state
):
    client = client_for(lead)
    data = open_form(client, "1.1")
    close_period(open_quarter, user=governor)
    open_period(small_plan.strategy, "2017/18 Q1", user=governor)
    before = state()

    response = send_update(client, "1.1", data=data, narrative="Written in Q4.")

    refused_with(response, "2016/17 Q4 is closed; its updates can no longer change.")
    assert state() == before
    assert "Written in Q4." in response.text  # nothing typed is lost


def test_an_update_without_an_open_period_is_refused(
    client_for, lead, governor, open_quarter, state
):
    client = client_for(lead)
    data = open_form(client, "1.1")
    close_period(open_quarter, user=governor)
    before = state()

    response = send_update(client, "1.1", data=data, narrative="Too late.")

    refused_with(response, "2016/17 Q4 is closed; its updates can no longer change.")
    assert state() == before


def test_an_update_by_someone_who_does_not_lead_the_action_is_refused(
    client_for, lead, open_quarter, state
):
    before = state()

    response = client_for(lead).post(update_url("2.1"), {"narrative": "Not mine.", "version": ""})

    assert response.status_code == 403
    assert "You do not lead action 2.1, so you cannot give its update." in response.text
    assert state() == before


def test_a_version_bumped_by_hand_is_refused_as_a_conflict(client_for, lead, open_quarter, state):
    client = client_for(lead)
    send_update(client, "1.1", narrative="Saved.")
    data = open_form(client, "1.1")
    before = state()

    response = send_update(client, "1.1", data=data, narrative="Forged.", version="7")

    assert response.status_code == 409
    assert "Your update was not saved" in response.text
    assert state() == before


@pytest.mark.parametrize("field", ["version", "period"])
def test_a_hidden_field_that_is_not_a_number_is_refused(
    client_for, lead, open_quarter, state, field
):
    before = state()

    response = send_update(client_for(lead), "1.1", narrative="Text.", **{field: "1; DROP"})

    refused_with(
        response,
        "This form was changed outside planboard. Open the page again and start from there.",
    )
    assert state() == before


def test_a_period_of_another_strategy_is_refused(client_for, lead, governor, open_quarter, state):
    other = make_strategy(slug="other")
    elsewhere = open_period(other, "2016/17 Q4", user=governor)
    before = state()

    response = send_update(client_for(lead), "1.1", narrative="Text.", period=str(elsewhere.pk))

    refused_with(response, "This form names a reporting period this strategy does not have.")
    assert state() == before


def test_an_accepted_update_cannot_be_changed(
    client_for, lead, governor, open_quarter, small_plan, state
):
    client = client_for(lead)
    data = open_form(client, "1.1")
    update = submit_update(small_plan.review, user=lead, narrative="First.")
    from planboard.progress.services import accept_update

    accept_update(update, user=governor, expected_version=update.version)
    data["version"] = str(Update.objects.get().version)
    before = state()

    response = send_update(client, "1.1", data=data, narrative="Changed after acceptance.")

    refused_with(
        response,
        "The update on 1.1 for 2016/17 Q4 is already accepted; "
        "ask the governance team to return it if it needs changing.",
    )
    assert state() == before
    assert "Changed after acceptance." in response.text  # kept, to copy elsewhere
