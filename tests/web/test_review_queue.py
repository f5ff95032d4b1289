"""The review queue: governance accepts an update, or returns it with a comment."""

import datetime

import pytest

from planboard.plans.models import Action
from planboard.progress.models import Update
from planboard.progress.services import close_period, open_period, submit_update
from tests.builders import make_strategy, make_theme
from tests.web.cycle import decide, level_id, open_form, review_url, send_update
from tests.web.pages import errors, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(client_for, lead, small_plan, open_quarter):
    """Mia's update on 1.2: Amber proposed, target moved to September 2017."""
    send_update(
        client_for(lead),
        "1.2",
        narrative="Two of four directorates mapped.",
        rag=level_id(small_plan.strategy, "Amber"),
        target_moves="yes",
        **{"target_date-month": "9", "target_date-year": "2017"},
        target_reason="Directorate leads changed.",
    )
    return Update.objects.get()


def test_the_queue_shows_each_update_waiting_with_what_to_weigh(client_for, governor, sent):
    response = client_for(governor).get(review_url())

    text = response.text
    assert response.status_code == 200
    assert "Review updates for 2016/17 Q4" in text
    assert "Action 1.2</a>: Map service user engagement across the directorates." in text
    assert "Two of four directorates mapped." in text
    assert 'Proposed: <strong class="nhsuk-tag nhsuk-tag--orange">Amber</strong>' in text
    assert 'Now: <strong class="nhsuk-tag nhsuk-tag--yellow">Yellow</strong>' in text
    assert "The rules suggest:" in text
    assert "Moves from Apr 2017 to Sep 2017" in text
    assert "Reason: Directorate leads changed." in text
    assert "Mia Bajin" in text


def test_accepting_returns_to_the_queue_with_a_banner(client_for, governor, sent, small_plan):
    client = client_for(governor)

    response = decide(client, sent, "accept")

    assert response.status_code == 302
    assert response["Location"] == review_url()
    page = client.get(review_url()).text
    assert "nhsuk-notification-banner--success" in page
    assert "You accepted the update on action 1.2." in page
    assert "No updates are waiting for review." in page
    action = Action.objects.get(pk=small_plan.mapping.pk)
    assert action.progress == "Two of four directorates mapped."
    assert action.target_date == datetime.date(2017, 9, 30)


def test_the_banner_is_shown_once(client_for, governor, sent):
    client = client_for(governor)
    decide(client, sent, "accept")
    client.get(review_url())

    assert "You accepted" not in client.get(review_url()).text


def test_returning_needs_a_comment(client_for, governor, sent):
    response = decide(client_for(governor), sent, "return", comment="  ")

    summary, inline = errors(response.text)
    message = "Action 1.2: enter a comment saying what the lead should change"
    assert summary == [(f"#comment-{sent.pk}", message)]
    assert inline == [message]
    sent.refresh_from_db()
    assert sent.status == "submitted" and sent.version == 1


def test_a_returned_update_goes_back_to_the_lead_who_resubmits(client_for, governor, lead, sent):
    governance, mia = client_for(governor), client_for(lead)

    response = decide(governance, sent, "return", comment="Name the two directorates.")

    assert response.status_code == 302
    assert "You returned the update on action 1.2 to its lead." in governance.get(review_url()).text
    assert "Comment: Name the two directorates." in mia.get("/my-actions/").text
    form_page = mia.get("/strategies/demo/actions/1.2/update/").text
    assert "The governance team returned this update" in form_page
    assert "Name the two directorates." in form_page

    data = open_form(mia, "1.2")
    assert data["narrative"] == "Two of four directorates mapped."
    send_update(mia, "1.2", data=data, narrative="Mapped: Acute and Community.")

    sent.refresh_from_db()
    assert sent.status == "submitted"
    assert sent.narrative == "Mapped: Acute and Community."
    assert "Mapped: Acute and Community." in governance.get(review_url()).text


def test_a_decision_on_a_version_already_changed_is_refused(
    client_for, governor, lead, sent, small_plan
):
    client = client_for(governor)
    stale = sent.version
    submit_update(
        small_plan.mapping, user=lead, narrative="Changed meanwhile.", expected_version=stale
    )

    response = decide(client, sent, "return", comment="Say more, please.", version=stale)

    summary, _ = errors(response.text)
    assert summary == [
        (
            f"#update-{sent.pk}",
            "Action 1.2: the update changed while you were reading it. "
            "Read it again below, then decide.",
        )
    ]
    sent.refresh_from_db()
    assert sent.status == "submitted"
    assert "Changed meanwhile." in response.text
    assert form_data(response.text)["comment"] == "Say more, please."  # the comment is kept


def test_an_update_of_another_period_is_refused(client_for, governor, lead, sent, small_plan):
    other = make_strategy(slug="other")
    theme = make_theme(other)
    from tests.builders import make_action

    elsewhere = make_action(theme)
    open_period(other, "2016/17 Q4", user=governor)
    foreign = submit_update(elsewhere, user=governor, narrative="Elsewhere.")

    response = decide(client_for(governor), foreign, "accept")

    summary, _ = errors(response.text)
    assert summary == [(None, "That update is not one of 2016/17 Q4's. Choose one from the queue.")]
    foreign.refresh_from_db()
    assert foreign.status == "submitted"


@pytest.mark.parametrize(
    "fields",
    [
        {"decision": "delete"},
        {"version": "two"},
        {"version": ""},
        {"update": "x"},
    ],
)
def test_forged_fields_are_refused(client_for, governor, sent, fields):
    data = {"update": str(sent.pk), "version": "1", "decision": "accept", "comment": ""}
    data.update(fields)

    response = client_for(governor).post(review_url(), data)

    summary, _ = errors(response.text)
    assert summary == [
        (None, "This form was changed outside planboard. Open the page again and start from there.")
    ]
    sent.refresh_from_db()
    assert sent.status == "submitted"


def test_a_closed_periods_queue_takes_no_decisions(client_for, governor, sent, open_quarter):
    close_period(open_quarter, user=governor, confirm_not_accepted=True)
    client = client_for(governor)

    page = client.get(review_url()).text
    response = decide(client, sent, "accept")

    assert "2016/17 Q4 is closed, so its updates can no longer be accepted or returned." in page
    assert 'name="decision"' not in page
    summary, _ = errors(response.text)
    assert summary == [
        (
            f"#update-{sent.pk}",
            "Action 1.2: 2016/17 Q4 is closed; its updates can no longer change.",
        )
    ]
    sent.refresh_from_db()
    assert sent.status == "submitted"
