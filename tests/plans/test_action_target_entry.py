"""An action's target typed in NHS.UK's date input on the action page: to the day, or a
month with the day left empty; a quarter, a year or a target in words the boxes cannot
hold is kept while the boxes are left as they were shown."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from planboard.plans.models import Action
from tests.bounds import database_fingerprint
from tests.web.pages import date_boxes, errors, form_data

pytestmark = pytest.mark.django_db


def edit(plan, check=None, **boxes):
    """Post action 1.1's form as shown, with ``boxes`` changed; ``check`` is called
    just before posting (after signing in and opening the page)."""
    client = Client()
    client.force_login(plan.gail)
    address = reverse("edit_action", kwargs={"slug": "sue", "ref": "1.1"})
    data = form_data(client.get(address).text)
    data.update(boxes)
    if check:
        check()
    return client.post(address, data)


def test_the_target_shows_its_month_and_year_with_the_day_empty(plan):
    client = Client()
    client.force_login(plan.gail)
    text = client.get(reverse("edit_action", kwargs={"slug": "sue", "ref": "1.1"})).text

    data = form_data(text)
    assert (data["target-day"], data["target-month"], data["target-year"]) == ("", "3", "2017")
    assert 'class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s"' in text
    assert 'type="date"' not in text


@pytest.mark.parametrize(
    ("typed", "date", "precision", "shown"),
    [
        (("", "Sept", "2017"), datetime.date(2017, 9, 30), "month", "Sep 2017"),
        (("15", "9", "2017"), datetime.date(2017, 9, 15), "day", "15 Sep 2017"),
        (("", "", ""), None, "month", ""),
    ],
)
def test_a_target_is_typed_to_the_day_or_the_month_or_cleared(plan, typed, date, precision, shown):
    response = edit(plan, **date_boxes("target", typed))

    assert response.status_code == 302
    action = Action.objects.get(pk=plan.review.pk)
    assert (action.target_date, action.target_precision) == (date, precision)
    assert action.target_display == shown


@pytest.mark.parametrize(
    ("precision", "text", "shown"),
    [("quarter", "Q3 2017/18", "Oct-Dec 2017"), ("year", "2017/18", "2017")],
)
def test_a_quarter_or_a_year_is_kept_while_the_boxes_are_left_alone(plan, precision, text, shown):
    end = datetime.date(2017, 12, 31)
    Action.objects.filter(pk=plan.review.pk).update(
        target_date=end, target_precision=precision, target_text=text
    )

    response = edit(plan, text="Review the structure of SUSEG meetings again.")

    assert response.status_code == 302
    action = Action.objects.get(pk=plan.review.pk)
    assert (action.target_date, action.target_precision, action.target_text) == (
        end,
        precision,
        text,
    )
    assert action.target_display == shown


def test_a_target_in_words_is_kept_and_named_in_the_hint(plan):
    Action.objects.filter(pk=plan.review.pk).update(
        target_date=None, target_precision="month", target_text="Ongoing"
    )
    client = Client()
    client.force_login(plan.gail)
    page = client.get(reverse("edit_action", kwargs={"slug": "sue", "ref": "1.1"})).text
    assert "The plan gives this target as Ongoing" in page

    assert edit(plan, text="Reviewed again.").status_code == 302
    assert Action.objects.get(pk=plan.review.pk).target_text == "Ongoing"


def test_a_bad_target_names_the_box_to_fix_and_changes_nothing(plan):
    before = []

    response = edit(
        plan, lambda: before.append(database_fingerprint()), **date_boxes("target", ("", "3", "17"))
    )

    assert response.status_code == 400
    message = "The target date must include a year with 4 numbers"
    assert errors(response.text) == ([("#target-year", message)], [message])
    assert 'id="target-year" name="target-year" type="text" value="17"' in response.text
    assert "nhsuk-input--error" in response.text.split('id="target-year"')[0].rsplit("<input", 1)[1]
    assert database_fingerprint() == before[0]
