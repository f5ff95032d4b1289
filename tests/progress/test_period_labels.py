"""Financial-year quarter labels: "2017/18 Q1" is April to June 2017."""

import datetime

import pytest

from planboard.progress.periods import (
    canonical_label,
    parse_quarter_label,
    quarter_containing,
)

D = datetime.date


@pytest.mark.parametrize(
    ("label", "first", "last"),
    [
        ("2017/18 Q1", D(2017, 4, 1), D(2017, 6, 30)),
        ("2017/18 Q2", D(2017, 7, 1), D(2017, 9, 30)),
        ("2016/17 Q3", D(2016, 10, 1), D(2016, 12, 31)),
        ("2016/17 Q4", D(2017, 1, 1), D(2017, 3, 31)),
        ("2019/20 Q4", D(2020, 1, 1), D(2020, 3, 31)),
        ("2099/00 Q1", D(2099, 4, 1), D(2099, 6, 30)),
    ],
)
def test_a_label_names_the_first_and_last_day_of_its_quarter(label, first, last):
    assert parse_quarter_label(label) == (first, last)


@pytest.mark.parametrize("label", ["2017/2018 Q1", " 2017 / 18  q1 ", "2017/18Q1"])
def test_it_reads_the_usual_variations_of_a_label_as_one(label):
    assert parse_quarter_label(label) == (D(2017, 4, 1), D(2017, 6, 30))
    assert canonical_label(label) == "2017/18 Q1"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", 'An empty label is not a financial-year quarter; write it like "2017/18 Q1".'),
        ("Q1 2017", '"Q1 2017" is not a financial-year quarter; write it like "2017/18 Q1".'),
        ("spring", '"spring" is not a financial-year quarter; write it like "2017/18 Q1".'),
        (
            "2017/18 Q5",
            '"2017/18 Q5" has no such quarter: a financial year has quarters Q1 to Q4, '
            'written like "2017/18 Q1".',
        ),
        (
            "2017/19 Q1",
            '"2017/19 Q1" is not a financial year: its second year must follow the first, '
            'like "2017/18 Q1".',
        ),
        (
            "2017/2019 Q2",
            '"2017/2019 Q2" is not a financial year: its second year must follow the first, '
            'like "2017/18 Q2".',
        ),
    ],
)
def test_it_refuses_a_bad_label_with_a_sentence(label, message):
    with pytest.raises(ValueError) as refused:
        parse_quarter_label(label)

    assert str(refused.value) == message


def test_it_keeps_a_label_that_is_not_a_quarter_in_its_own_words():
    assert canonical_label("  Annual  review 2017 ") == "Annual review 2017"


@pytest.mark.parametrize(
    ("date", "label"),
    [
        (D(2017, 3, 31), "2016/17 Q4"),
        (D(2017, 4, 1), "2017/18 Q1"),
        (D(2016, 12, 25), "2016/17 Q3"),
        (D(2017, 9, 1), "2017/18 Q2"),
    ],
)
def test_it_finds_the_quarter_a_date_falls_in(date, label):
    found, first, last = quarter_containing(date)

    assert found == label
    assert first <= date <= last


def test_the_quarter_after_a_quarter_crosses_the_financial_year():
    label, _, q3_end = quarter_containing(D(2016, 11, 1))
    following = [label]
    for _ in range(2):
        label, _, q3_end = quarter_containing(q3_end + datetime.timedelta(days=1))
        following.append(label)

    assert following == ["2016/17 Q3", "2016/17 Q4", "2017/18 Q1"]


def test_the_quarters_between_two_days_run_oldest_first_across_a_year_end():
    from planboard.progress.periods import quarters_between

    found = quarters_between(datetime.date(2016, 12, 31), datetime.date(2017, 4, 1))
    assert found == [
        ("2016/17 Q3", datetime.date(2016, 10, 1), datetime.date(2016, 12, 31)),
        ("2016/17 Q4", datetime.date(2017, 1, 1), datetime.date(2017, 3, 31)),
        ("2017/18 Q1", datetime.date(2017, 4, 1), datetime.date(2017, 6, 30)),
    ]
    assert quarters_between(datetime.date(2017, 5, 1), datetime.date(2017, 3, 31)) == []
