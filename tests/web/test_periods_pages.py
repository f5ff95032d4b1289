"""Reporting periods on the web: the list, opening and closing, and a period's page."""

import datetime

import pytest

from planboard.plans.models import Action, RagLevel
from planboard.progress.models import ActionSnapshot, ReportingPeriod
from planboard.progress.services import (
    accept_update,
    close_period,
    create_period,
    open_period,
    submit_update,
)
from tests.web.pages import date_boxes, errors, form_data

pytestmark = pytest.mark.django_db

PERIODS = "/strategies/demo/periods/"
Q4 = "/strategies/demo/periods/2016-17-q4/"


def test_the_list_shows_each_period_with_its_status_and_completion(
    client_for, board_member, lead, small_plan, open_quarter
):
    submit_update(small_plan.review, user=lead, narrative="Done a bit.")
    create_period(small_plan.strategy, "2017/18 Q1", user=None)

    text = client_for(board_member).get(PERIODS).text

    assert '<a href="/strategies/demo/periods/2016-17-q4/">2016/17 Q4</a>' in text
    assert '<a href="/strategies/demo/periods/2017-18-q1/">2017/18 Q1</a>' in text
    assert ">Open</strong>" in text and ">Planned</strong>" in text
    assert "33%" in text  # 1 of the 3 open actions
    assert "1 of 3 open actions" in text
    assert "Open the period" not in text and "Close 2016/17 Q4" not in text


def test_the_strategy_pages_show_the_open_period_and_link_to_periods(
    client_for, board_member, open_quarter
):
    text = client_for(board_member).get("/strategies/demo/").text

    assert 'href="/strategies/demo/periods/">Periods</a>' in text
    assert 'Open period: <a href="/strategies/demo/periods/2016-17-q4/">2016/17 Q4</a>' in text
    assert "updates due 31 March 2017" in text


def test_governance_opens_the_next_period_through_the_form(client_for, governor, small_plan):
    client = client_for(governor)
    create_period(small_plan.strategy, "2016/17 Q3", user=governor)
    offered = form_data(client.get(PERIODS).text)
    assert offered["label"] == "2016/17 Q3"

    response = client.post(
        "/strategies/demo/periods/open/",
        {"label": "2016/17 Q3", **date_boxes("updates_due", ("6", "Jan", "2017"))},
    )

    assert response.status_code == 302
    assert response["Location"] == "/strategies/demo/periods/2016-17-q3/"
    period = ReportingPeriod.objects.get(label="2016/17 Q3")
    assert period.is_open and period.updates_due == datetime.date(2017, 1, 6)
    assert "2016/17 Q3 is open. Leads can give their updates until 6 January 2017." in (
        client.get(response["Location"]).text
    )


def test_the_next_period_offered_follows_the_latest(client_for, governor, small_plan):
    period = open_period(small_plan.strategy, "2016/17 Q4", user=governor)
    close_period(period, user=governor)

    offered = form_data(client_for(governor).get(PERIODS).text)

    assert offered["label"] == "2017/18 Q1"


@pytest.mark.parametrize(
    ("fields", "anchor", "message"),
    [
        ({"label": ""}, "#period-label", "Enter the period to open, like 2017/18 Q1"),
        (
            {"label": "Spring"},
            "#period-label",
            '"Spring" is not a financial-year quarter; write it like "2017/18 Q1".',
        ),
        (
            {"label": "2017/18 Q1", **date_boxes("updates_due", ("30", "2", "2017"))},
            "#updates-due-day",
            "The date updates are due must be a real date",
        ),
        (
            {"label": "2017/18 Q1", **date_boxes("updates_due", ("30", "", "2017"))},
            "#updates-due-month",
            "The date updates are due must include a month",
        ),
        (
            {"label": "2017/18 Q1", **date_boxes("updates_due", ("30", "6", "17"))},
            "#updates-due-year",
            "The date updates are due must include a year with 4 numbers",
        ),
        (
            {"label": "2017/18 Q1", **date_boxes("updates_due", datetime.date(2017, 3, 31))},
            "#updates-due-day",
            "Updates cannot be due before the period starts (1 April 2017)",
        ),
    ],
)
def test_a_period_that_cannot_be_opened_is_refused_with_a_message(
    client_for, governor, small_plan, fields, anchor, message
):
    response = client_for(governor).post("/strategies/demo/periods/open/", fields)

    summary, inline = errors(response.text)
    assert summary == [(anchor, message)]
    assert inline == [message]
    assert not ReportingPeriod.objects.exists()


def test_a_second_open_period_is_refused(client_for, governor, open_quarter):
    response = client_for(governor).post("/strategies/demo/periods/open/", {"label": "2017/18 Q1"})

    # The open period's page offers no form to open another; a forged post is refused.
    summary, _ = errors(response.text)
    assert summary == [
        ("#period-label", "2016/17 Q4 is still open; close it before opening 2017/18 Q1.")
    ]
    assert ReportingPeriod.objects.count() == 1


def test_governance_closes_the_open_period_after_confirming(client_for, governor, open_quarter):
    client = client_for(governor)
    assert 'href="/strategies/demo/periods/2016-17-q4/close/"' in client.get(PERIODS).text
    confirm = client.get(Q4 + "close/").text
    assert "Close 2016/17 Q4?" in confirm
    assert "Closing cannot be undone" in confirm

    response = client.post(Q4 + "close/")

    assert response.status_code == 302
    assert response["Location"] == Q4
    open_quarter.refresh_from_db()
    assert open_quarter.is_closed and open_quarter.closed_by == governor
    assert ActionSnapshot.objects.filter(period=open_quarter).count() == 4
    assert "2016/17 Q4 is closed." in client.get(Q4).text


def test_closing_a_closed_period_is_refused(client_for, governor, open_quarter):
    close_period(open_quarter, user=governor)

    response = client_for(governor).post(Q4 + "close/")

    summary, _ = errors(response.text)
    assert summary == [("#close-button", "2016/17 Q4 is not open, so it cannot be closed.")]


def test_a_closed_period_shows_the_plan_as_it_stood_not_as_it_is(
    client_for, board_member, governor, lead, small_plan, open_quarter
):
    update = submit_update(small_plan.review, user=lead, narrative="SUSEG moved to Fridays.")
    accept_update(update, user=governor, expected_version=update.version)
    close_period(open_quarter, user=governor)
    action = Action.objects.get(pk=small_plan.review.pk)
    action.text = "Edited after the close."
    action.rag_level = RagLevel.objects.get(strategy=small_plan.strategy, label="Red")
    action.target_date = datetime.date(2018, 3, 31)
    action.save()

    text = client_for(board_member).get(Q4).text

    row = text[text.index('id="snapshot-1-1"') :]
    row = row[: row.index("</tr>")]
    assert "Review the structure of SUSEG meetings." in row
    assert "Edited after the close." not in text
    assert "Mar 2017" in row and "Mar 2018" not in row
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Green</strong>' in row
    assert "SUSEG moved to Fridays." in row
    assert "Accepted; sent by Mia Bajin" in row
    assert "EM" in row


def test_the_period_page_shows_completion_overall_and_by_lead_role(
    client_for, board_member, lead, small_plan, open_quarter
):
    submit_update(small_plan.review, user=lead, narrative="Done a bit.")

    text = client_for(board_member).get(Q4).text

    assert "1 of 3 open actions have an update: 33%." in text
    table = text[text.index("Updates given, by lead role") :]
    assert (
        '<th class="nhsuk-table__header" scope="row" role="rowheader">'
        '<span class="nhsuk-table__heading" aria-hidden="true">Lead role </span>EM</th>'
    ) in table


def test_the_period_page_shows_what_changed_since_the_last_closed_period(
    client_for, board_member, governor, lead, small_plan, open_quarter
):
    close_period(open_quarter, user=governor)
    q1 = open_period(small_plan.strategy, "2017/18 Q1", user=governor)
    update = submit_update(
        small_plan.review,
        user=lead,
        narrative="Slipped.",
        proposed_rag=RagLevel.objects.get(strategy=small_plan.strategy, label="Red"),
    )
    accept_update(update, user=governor, expected_version=update.version)

    text = client_for(board_member).get("/strategies/demo/periods/2017-18-q1/").text

    assert q1.is_open
    assert "What changed since 2016/17 Q4" in text
    worse = text[text.index('id="changed-rag-down"') :]
    assert "1.1" in worse[:400] and "Green" in worse[:600] and "Red" in worse[:600]


def test_the_first_period_has_nothing_to_compare_with(client_for, board_member, open_quarter):
    text = client_for(board_member).get(Q4).text

    assert "There is no earlier closed period to compare 2016/17 Q4 with." in text


def test_an_unknown_period_is_not_found(client_for, board_member, open_quarter):
    assert client_for(board_member).get("/strategies/demo/periods/2030-31-q1/").status_code == 404


def test_a_closed_period_shows_the_progress_of_actions_without_an_update(
    client_for, board_member, governor, small_plan, open_quarter
):
    Action.objects.filter(pk=small_plan.review.pk).update(progress="Underway in January.")
    close_period(open_quarter, user=governor)
    Action.objects.filter(pk=small_plan.review.pk).update(progress="Changed since.")

    text = client_for(board_member).get(Q4).text

    row = text[text.index('id="snapshot-1-1"') :]
    row = row[: row.index("</tr>")]
    assert "No update this period." in row
    assert "Underway in January." in row and "Changed since." not in row
