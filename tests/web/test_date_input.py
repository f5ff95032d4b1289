"""NHS.UK's date input: what the three boxes accept, the messages that name the date,
the markup, and that no page is left with the browser's own date picker."""

import calendar
import datetime
import pathlib

import pytest
from django import forms
from django.template import engines
from hypothesis import given
from hypothesis import strategies as st

from planboard.lib.date_fields import NhsukDateField, NhsukMonthField, read_month
from planboard.lib.forms import NhsukFormMixin
from planboard.plans.targets import end_of_month
from tests.web.cycle import update_url

SUBJECT = "the date the period starts"


class PeriodForm(NhsukFormMixin, forms.Form):
    ANCHORS = {"starts_on": "starts-on"}
    starts_on = NhsukDateField(subject=SUBJECT)


class MonthForm(NhsukFormMixin, forms.Form):
    ANCHORS = {"target": "target"}
    target = NhsukMonthField(subject="the new target date", years=range(2000, 2101))


def boxes(day, month, year, name="starts_on") -> dict:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def month_written(number: int, style: str) -> str:
    return {
        "number": str(number),
        "zero": f"{number:02d}",
        "name": calendar.month_name[number],
        "short": calendar.month_abbr[number].lower(),
        "upper": calendar.month_name[number].upper(),
    }[style]


MONTH_STYLES = st.sampled_from(["number", "zero", "name", "short", "upper"])


@given(
    day=st.dates(min_value=datetime.date(1000, 1, 1)),
    style=MONTH_STYLES,
    padded=st.booleans(),
)
def test_any_real_date_typed_into_the_boxes_is_read_back(day, style, padded):
    typed = f"{day.day:02d}" if padded else f" {day.day} "
    form = PeriodForm(boxes(typed, month_written(day.month, style), str(day.year)))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == day


@given(day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_a_month_and_year_is_read_as_the_months_last_day(day):
    form = MonthForm({"target-month": str(day.month), "target-year": str(day.year)})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["target"] == end_of_month(day.year, day.month)


@given(
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    year=st.integers(1000, 9999),
)
def test_a_day_the_month_does_not_have_is_refused_naming_the_date(day, month, year):
    if day <= calendar.monthrange(year, month)[1]:
        return
    form = PeriodForm(boxes(str(day), str(month), str(year)))

    assert form.errors["starts_on"] == ["The date the period starts must be a real date"]
    assert form.summary_errors() == [
        {"text": "The date the period starts must be a real date", "href": "#starts-on-day"}
    ]


@pytest.mark.parametrize(
    ("typed", "message", "first_box"),
    [
        (("", "", ""), "Enter the date the period starts", "day"),
        (("15", "", "2027"), "The date the period starts must include a month", "month"),
        (("", "", "2027"), "The date the period starts must include a day and month", "day"),
        (("15", "3", ""), "The date the period starts must include a year", "year"),
        (("", "3", ""), "The date the period starts must include a day and year", "day"),
        (("32", "3", "2027"), "The date the period starts must be a real date", "day"),
        (("15", "13", "2027"), "The date the period starts must be a real date", "month"),
        (("15", "Ma", "2027"), "The date the period starts must be a real date", "month"),
        (("15", "Marchy", "2027"), "The date the period starts must be a real date", "month"),
        (("fif", "3", "2027"), "The date the period starts must be a real date", "day"),
        (
            ("15", "3", "27"),
            "The date the period starts must include a year with 4 numbers",
            "year",
        ),
        (
            ("15", "3", "20271"),
            "The date the period starts must include a year with 4 numbers",
            "year",
        ),
        (("15", "3", "0999"), "The date the period starts must be a real date", "year"),
        (("15", "3", "２０２７"), "The date the period starts must be a real date", "year"),
    ],
)
def test_a_date_that_is_missing_a_part_or_not_real_is_refused_naming_the_box(
    typed, message, first_box
):
    form = PeriodForm(boxes(*typed))

    assert form.errors["starts_on"] == [message]
    assert form.summary_errors() == [{"text": message, "href": f"#starts-on-{first_box}"}]


def test_a_month_outside_the_years_allowed_is_refused_on_the_year():
    form = MonthForm(boxes("", "3", "1999", name="target"))

    assert form.errors["target"] == ["The new target date must be in a year from 2000 to 2100"]
    assert form.summary_errors()[0]["href"] == "#target-year"


@pytest.mark.parametrize(
    ("written", "number"),
    [("3", 3), ("03", 3), ("mar", 3), ("March", 3), ("MAR.", 3), ("sept", 9), ("Sep", 9)],
)
def test_a_month_is_a_number_or_a_name_in_full_or_shortened(written, number):
    assert read_month(written) == number


@pytest.mark.parametrize("written", ["", "0", "13", "ju", "m", "Marz", "3.5", "-3"])
def test_anything_else_is_not_a_month(written):
    assert read_month(written) is None


def render(form, name, **kwargs):
    source = (
        '{% from "nhsuk/components/date-input/macro.jinja" import dateInput %}'
        "{{ dateInput(form.date_input(name, legend, **kwargs)) }}"
    )
    html = (
        engines["jinja2"]
        .from_string(source)
        .render(
            {"form": form, "name": name, "legend": "When does the period start?", "kwargs": kwargs}
        )
    )
    return " ".join(html.split())


def test_the_boxes_are_nhsuks_date_input_in_a_fieldset_with_a_legend_and_hint():
    html = render(PeriodForm(initial={"starts_on": datetime.date(2027, 3, 15)}), "starts_on")

    assert '<fieldset class="nhsuk-fieldset" role="group" aria-describedby="starts-on-hint"' in html
    assert "When does the period start?" in html.split("</legend>")[0]
    assert '<div class="nhsuk-hint" id="starts-on-hint" > For example, 15 3 2027 </div>' in html
    for part, width, value in [("day", 2, 15), ("month", 2, 3), ("year", 4, 2027)]:
        assert (
            f'class="nhsuk-input nhsuk-input--width-{width} nhsuk-date-input__input" '
            f'id="starts-on-{part}" name="starts_on-{part}" type="text" value="{value}" '
            'inputmode="numeric"'
        ) in html
        assert (
            f'<label class="nhsuk-label nhsuk-date-input__label" for="starts-on-{part}" >' in html
        )
    assert "error" not in html


def test_only_the_wrong_box_is_marked_and_the_error_is_said_once():
    html = render(PeriodForm(boxes("15", "", "2027")), "starts_on")

    assert html.count("nhsuk-input--error") == 1
    assert 'nhsuk-input--error" id="starts-on-month"' in html
    assert html.count("The date the period starts must include a month") == 1
    assert 'aria-describedby="starts-on-hint starts-on-error"' in html
    assert 'value="15"' in html and 'value="2027"' in html  # what was typed is kept


def test_a_month_has_only_a_month_and_a_year_box():
    html = render(MonthForm(), "target")

    assert 'name="target-month"' in html and 'name="target-year"' in html
    assert "target-day" not in html
    assert "For example, 3 2027" in html


TEMPLATES = pathlib.Path(__file__).parents[2] / "planboard"


def test_no_template_asks_for_the_browsers_own_date_picker():
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        for marker in ('type="date"', '"type": "date"', '"type": "month"', 'type="month"')
        if marker in path.read_text()
    ]
    assert found == []


def test_no_form_page_has_a_date_picker_left(client_for, governor, lead, open_quarter):
    governance, leading = client_for(governor), client_for(lead)
    pages = {
        "periods (the form shown again)": governance.post(
            "/strategies/demo/periods/open/", {"label": ""}
        ),
        "findings": governance.get("/strategies/demo/findings/"),
        "add an action": governance.get("/strategies/demo/actions/add/"),
        "change an action": governance.get("/strategies/demo/actions/1.1/change/"),
        "update": leading.get(update_url("1.1")),
    }
    for page, response in pages.items():
        assert 'class="nhsuk-date-input"' in response.text, page
        assert 'type="date"' not in response.text, page
