"""The update form: one page a lead fills in two minutes, then governance reviews it."""

import datetime

import pytest

from planboard.plans.models import Action, ActionStatus
from planboard.progress.models import TargetChange, Update
from planboard.web.history import action_history
from tests.web.cycle import decide, level_id, open_form, send_update, update_url
from tests.web.pages import errors, form_data

pytestmark = pytest.mark.django_db


def test_the_form_asks_for_everything_on_one_page(client_for, lead, open_quarter):
    text = client_for(lead).get(update_url("1.2")).text

    assert "What progress has been made?" in text
    assert "You can enter up to 5000 characters" in text  # shown without JavaScript
    assert "What RAG rating do you propose?" in text
    assert "Some concerns re ability to deliver within target date set" in text
    assert "This action is complete" in text
    assert "Does the target date change?" in text
    assert "The target date now is Apr 2017. Leave this unticked to keep it." in text
    assert "Why does the target date change?" in text
    assert 'name="target_date-month"' in text and 'name="target_date-year"' in text
    assert 'name="target_date-day"' not in text  # a target is a month
    assert "Update for</dt>" in text and "2016/17 Q4, due 31 March 2017" in text


def test_the_form_carries_the_version_and_period_it_was_read_at(client_for, lead, open_quarter):
    data = open_form(client_for(lead), "1.1")

    assert data["version"] == ""
    assert data["period"] == str(open_quarter.pk)
    assert "target_moves" not in data


def test_the_form_starts_from_the_actions_current_rating(
    client_for, lead, open_quarter, small_plan
):
    data = open_form(client_for(lead), "1.1")

    assert data["rag"] == level_id(small_plan.strategy, "Green")


def test_it_shows_the_last_accepted_update_and_the_suggested_rating(
    client_for, lead, governor, small_plan, open_quarter
):
    client = client_for(lead)
    send_update(client, "1.1", narrative="SUSEG now meets at three sites.")
    decide(client_for(governor), Update.objects.get(), "accept")

    text = client.get(update_url("1.1")).text

    assert "Last accepted update" in text
    assert "SUSEG now meets at three sites." in text
    assert "The update for 2016/17 Q4 was accepted" in text


def test_it_shows_the_rating_the_rules_suggest(client_for, lead, open_quarter):
    text = client_for(lead).get(update_url("1.1")).text

    # The target, March 2017, has passed: the rules suggest the scale's worst level.
    assert "The rules suggest Red from the action&#39;s status and target date." in text


def test_a_lead_sends_an_update_and_governance_accepts_it(
    client_for, lead, governor, small_plan, open_quarter
):
    client = client_for(lead)
    response = send_update(
        client,
        "1.2",
        narrative="Mapping done in two of four directorates.",
        rag=level_id(small_plan.strategy, "Amber"),
        target_moves="yes",
        **{"target_date-month": "9", "target_date-year": "2017"},
        target_reason="The directorate leads changed in March.",
    )
    assert response.status_code == 302
    assert response["Location"] == "/my-actions/"
    assert "Your update on action 1.2 was sent for review." in client.get("/my-actions/").text
    update = Update.objects.get()
    assert update.submitted_by == lead and not update.on_behalf

    reviewed = decide(client_for(governor), update, "accept")

    assert reviewed.status_code == 302
    action = Action.objects.get(pk=small_plan.mapping.pk)
    assert action.progress == "Mapping done in two of four directorates."
    assert action.rag_level.label == "Amber"
    assert action.target_date == datetime.date(2017, 9, 30)
    assert action.target_display == "Sep 2017"
    assert action.original_target_date == datetime.date(2017, 4, 30)
    change = TargetChange.objects.get(action=action)
    assert change.reason == "The directorate leads changed in March."
    latest = action_history(action)[0]
    assert latest.who == "Gail Tester"
    assert latest.reason.startswith("Update for 2016/17 Q4 accepted")
    assert update.history.earliest().history_user == lead


def test_marking_an_action_complete_completes_it_once_accepted(
    client_for, lead, governor, small_plan, open_quarter
):
    send_update(client_for(lead), "1.1", narrative="Done.", complete="on")

    decide(client_for(governor), Update.objects.get(), "accept")

    assert Action.objects.get(pk=small_plan.review.pk).status == ActionStatus.COMPLETE


def test_a_lead_can_change_an_update_while_it_waits(client_for, lead, open_quarter):
    client = client_for(lead)
    send_update(client, "1.1", narrative="First draft.")

    data = open_form(client, "1.1")
    assert data["narrative"] == "First draft."
    assert data["version"] == "1"
    send_update(client, "1.1", data=data, narrative="Second draft.")

    update = Update.objects.get()
    assert update.narrative == "Second draft."
    assert update.version == 2


def test_errors_are_summarised_and_shown_by_each_field(client_for, lead, open_quarter):
    response = send_update(
        client_for(lead), "1.1", narrative="  ", rag=None, target_moves="yes", target_reason=""
    )

    assert response.status_code == 200
    assert "<title>Error: " in response.text
    assert "There is a problem" in response.text
    expected = [
        ("#narrative", "Enter the progress made on this action"),
        ("#rag", "Choose the RAG rating you propose"),
        ("#target-date-month", "Enter the new target date"),
        ("#target-reason", "Give the reason the target date changes"),
    ]
    summary, inline = errors(response.text)
    assert summary == expected
    assert inline == [message for _, message in expected]
    assert Update.objects.count() == 0


def test_what_was_typed_is_kept_when_the_form_is_refused(client_for, lead, open_quarter):
    response = send_update(
        client_for(lead),
        "1.1",
        narrative="Kept text.",
        target_moves="yes",
        **{"target_date-month": "13"},
    )

    data = form_data(response.text)
    assert data["narrative"] == "Kept text."
    assert data["target_date-month"] == "13"
    assert data["target_moves"] == "yes"


def test_a_target_date_that_does_not_move_is_refused(client_for, lead, open_quarter):
    response = send_update(
        client_for(lead),
        "1.1",
        narrative="Text.",
        target_moves="yes",
        **{"target_date-month": "3", "target_date-year": "2017"},
        target_reason="No reason.",
    )

    assert (
        "Enter a target date different from the current one (Mar 2017), "
        "or untick the box to keep it" in response.text
    )
    assert Update.objects.count() == 0


def test_governance_enters_an_update_on_the_leads_behalf(
    client_for, governor, small_plan, open_quarter
):
    client = client_for(governor)
    text = client.get(update_url("2.1")).text
    assert "You are entering this update on the lead's behalf (Finance)" in text

    response = send_update(client, "2.1", narrative="Finance agreed the budget.")

    assert response["Location"] == "/strategies/demo/actions/2.1/"
    update = Update.objects.get()
    assert update.on_behalf and update.submitted_by == governor
    page = client.get("/strategies/demo/actions/2.1/").text
    assert "on the lead's behalf" in page


def test_without_an_open_period_the_page_says_so(client_for, lead, small_plan):
    text = client_for(lead).get(update_url("1.1")).text

    assert "No reporting period is open for this strategy" in text
    assert '<form method="post" action="/strategies/demo/actions/1.1/update/"' not in text


@pytest.mark.parametrize("month", ["6", "06", "June", "jun", " JUNE "])
def test_a_new_target_month_may_be_a_number_or_a_name(client_for, lead, open_quarter, month):
    response = send_update(
        client_for(lead),
        "1.1",
        narrative="Text.",
        target_moves="yes",
        **{"target_date-month": month, "target_date-year": "2017"},
        target_reason="The venue moved.",
    )

    assert response.status_code == 302
    assert Update.objects.get().new_target_date == datetime.date(2017, 6, 30)


def test_boxes_left_filled_are_not_asked_about_when_the_target_stays(
    client_for, lead, open_quarter
):
    response = send_update(
        client_for(lead),
        "1.1",
        narrative="Text.",
        target_moves=None,
        **{"target_date-month": "13", "target_date-year": "17"},
    )

    assert response.status_code == 302
    assert Update.objects.get().new_target_date is None
