"""Dates on the pages: one ``date`` filter, each style named, with no leading zeros."""

import datetime

import pytest
from django.template import engines

from planboard.web.display import DATE_FORMATS, written_date

A_DAY = datetime.date(2017, 3, 8)
# 14:05 in London: GMT in March, and BST (an hour ahead of UTC) in June.
WINTER = datetime.datetime(2017, 3, 8, 14, 5, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2017, 6, 8, 13, 5, tzinfo=datetime.UTC)

WRITTEN = {
    "day": (A_DAY, "8 March 2017"),
    "short_day": (A_DAY, "8 Mar 2017"),
    "month": (A_DAY, "Mar 2017"),
    "moment": (WINTER, "8 Mar 2017 at 14:05"),
}


def render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def test_every_style_is_tested():
    assert WRITTEN.keys() == DATE_FORMATS.keys()


@pytest.mark.parametrize("style", WRITTEN)
def test_each_style_writes_the_date_as_the_pages_always_have(style):
    value, expected = WRITTEN[style]
    assert written_date(value, style) == expected


def test_a_day_is_written_in_full_by_default_without_a_leading_zero():
    assert written_date(A_DAY) == "8 March 2017"
    assert written_date(datetime.date(2017, 12, 31)) == "31 December 2017"


def test_a_moment_is_shown_in_the_sites_time_zone():
    assert written_date(SUMMER, "moment") == "8 Jun 2017 at 14:05"


def test_the_other_styles_write_the_date_as_given():
    assert written_date(datetime.datetime(2017, 6, 30, 23, 30, tzinfo=datetime.UTC)) == (
        "30 June 2017"
    )


def test_an_unknown_style_is_an_error():
    with pytest.raises(KeyError):
        written_date(A_DAY, "long")


def test_templates_write_dates_through_the_filter():
    assert render("{{ day | date }}", day=A_DAY) == "8 March 2017"
    assert render('{{ day | date("short_day") }}', day=A_DAY) == "8 Mar 2017"
    assert render('{{ moment | date("moment") }}', moment=SUMMER) == "8 Jun 2017 at 14:05"
