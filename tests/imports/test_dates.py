"""Target dates as plans write them, stored as the last day of the span they name."""

import datetime

import pytest

from planboard.imports.dates import TargetDate, parse_day, parse_target
from planboard.plans.models import DatePrecision


@pytest.mark.parametrize(
    ("written", "date", "precision"),
    [
        ("Mar 17", datetime.date(2017, 3, 31), DatePrecision.MONTH),
        ("June 17", datetime.date(2017, 6, 30), DatePrecision.MONTH),
        ("Sept 17", datetime.date(2017, 9, 30), DatePrecision.MONTH),
        ("Feb 20", datetime.date(2020, 2, 29), DatePrecision.MONTH),
        ("March 2017", datetime.date(2017, 3, 31), DatePrecision.MONTH),
        ("Sep 2017", datetime.date(2017, 9, 30), DatePrecision.MONTH),
        ("end of March 2018", datetime.date(2018, 3, 31), DatePrecision.MONTH),
        ("31/03/2017", datetime.date(2017, 3, 31), DatePrecision.DAY),
        ("1/4/17", datetime.date(2017, 4, 1), DatePrecision.DAY),
        ("2017-03-31", datetime.date(2017, 3, 31), DatePrecision.DAY),
        ("13 February 2017", datetime.date(2017, 2, 13), DatePrecision.DAY),
        ("27th February 2017", datetime.date(2017, 2, 27), DatePrecision.DAY),
        ("Q1 2017/18", datetime.date(2017, 6, 30), DatePrecision.QUARTER),
        ("Q3 2017/18", datetime.date(2017, 12, 31), DatePrecision.QUARTER),
        ("Q4 2017/18", datetime.date(2018, 3, 31), DatePrecision.QUARTER),
        ("2018", datetime.date(2018, 12, 31), DatePrecision.YEAR),
        ("2017/18", datetime.date(2018, 3, 31), DatePrecision.YEAR),
    ],
)
def test_it_reads_a_target_as_the_last_day_of_its_span(written, date, precision):
    assert parse_target(written) == TargetDate(date, precision, complete=False)


@pytest.mark.parametrize("written", ["Completed", "Complete", "done", " COMPLETED. "])
def test_it_reads_completed_as_complete_with_no_date(written):
    assert parse_target(written) == TargetDate(None, DatePrecision.MONTH, complete=True)


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("Spring", '"Spring" is not a date (use e.g. "Mar 17", "June 2017" or "31/03/2017")'),
        ("Ongoing", '"Ongoing" is not a date'),
        ("31/02/2017", '"31/02/2017" is not a real date'),
        ("Q1 2017", "does not say which financial year"),
        ("Q1 2017/19", "is not a financial year"),
        ("", "the date is empty"),
    ],
)
def test_it_refuses_what_is_not_a_date_with_advice(written, advice):
    with pytest.raises(ValueError) as caught:
        parse_target(written)
    assert advice in str(caught.value)


def test_it_reads_a_day_only_when_the_day_is_given():
    assert parse_day("8 March 2017") == datetime.date(2017, 3, 8)
    assert parse_day("March 2017") is None
    assert parse_day("BOARD OF DIRECTORS") is None
