"""The action page: its slippage (every target move and reason) and its updates by period."""

import datetime

import pytest

from planboard.progress.services import (
    accept_update,
    close_period,
    open_period,
    return_update,
    submit_update,
)
from tests.cast import reviewer

pytestmark = pytest.mark.django_db

PAGE = "/strategies/demo/actions/1.2/"


def move(action, lead, governor, month_end, reason):
    update = submit_update(
        action,
        user=lead,
        narrative=f"Moving to {month_end:%b}.",
        new_target_date=month_end,
        reason=reason,
    )
    accept_update(update, user=governor, expected_version=update.version)


def test_it_shows_the_original_and_current_target_and_every_move(
    client_for, lead, governor, small_plan, open_quarter
):
    move(small_plan.mapping, lead, governor, datetime.date(2017, 6, 30), "Leads changed.")
    close_period(open_quarter, user=governor)
    open_period(small_plan.strategy, "2017/18 Q1", user=governor)
    move(small_plan.mapping, lead, governor, datetime.date(2017, 9, 30), "Purdah delayed it.")

    text = client_for(lead).get(PAGE).text

    slippage = text[text.index('id="slippage"') : text.index('id="updates"')]
    assert "Original target</dt>" in slippage
    assert '<dd class="nhsuk-summary-list__value">Apr 2017</dd>' in slippage
    assert '<dd class="nhsuk-summary-list__value">Sep 2017</dd>' in slippage
    assert '<dd class="nhsuk-summary-list__value pb-moves">2</dd>' in slippage
    assert slippage.count('class="nhsuk-table__row pb-target-change"') == 2
    assert "Leads changed." in slippage and "Purdah delayed it." in slippage
    assert "Gail Tester" in slippage


def test_an_action_that_never_moved_says_so(client_for, lead, open_quarter):
    text = client_for(lead).get(PAGE).text

    assert '<dd class="nhsuk-summary-list__value pb-moves">0</dd>' in text


def test_it_lists_the_updates_by_period_with_who_and_on_whose_behalf(
    client_for, lead, governor, small_plan, open_quarter
):
    move(small_plan.mapping, lead, governor, datetime.date(2017, 6, 30), "Leads changed.")
    close_period(open_quarter, user=governor)
    open_period(small_plan.strategy, "2017/18 Q1", user=governor)
    update = submit_update(small_plan.mapping, user=governor, narrative="From the minutes.")
    return_update(update, user=reviewer(), comment="Ask Mia.", expected_version=update.version)

    text = client_for(lead).get(PAGE).text

    updates = text[text.index('id="updates"') :]
    rows = updates.split('class="nhsuk-table__row pb-update-row"')[1:]
    assert len(rows) == 2
    assert "2017/18 Q1" in rows[0] and "From the minutes." in rows[0]
    assert "Returned to the lead" in rows[0] and "Returned: Ask Mia." in rows[0]
    assert "on the lead's behalf" in rows[0]
    assert "2016/17 Q4" in rows[1] and "Accepted" in rows[1]
    assert "Mia Bajin" in rows[1] and "reviewed by Gail Tester" in rows[1]
    assert "New target Jun 2017: Leads changed." in rows[1]
