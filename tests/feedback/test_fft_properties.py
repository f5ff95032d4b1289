"""Months and headers as other trusts' Friends and Family Test files write them."""

import calendar
import datetime

from hypothesis import given
from hypothesis import strategies as st

from planboard.imports.feedback_fft import recognise
from planboard.imports.feedback_tables import financial_month, header_words, read_month_of

months = st.tuples(st.integers(2000, 2098), st.integers(1, 12))


def _case(text: str, how: int) -> str:
    return (text, text.upper(), text.lower(), text.title())[how]


@given(months, st.integers(0, 3), st.integers(0, 6))
def test_a_month_written_any_common_way_is_its_first_day(month, how, style):
    year, number = month
    name, abbreviation = calendar.month_name[number], calendar.month_abbr[number]
    written = [
        f"{abbreviation}-{year % 100:02d}",
        f"{name} {year}",
        f"{year}-{number:02d}",
        f"{number:02d}/{year}",
        f"{abbreviation} {year}",
        f"15/{number:02d}/{year}",
        datetime.date(year, number, 28),
    ][style]
    if isinstance(written, str):
        written = _case(written, how)
    assert read_month_of(written) == datetime.date(year, number, 1)


@given(months, st.sampled_from(["_", "-", "/"]), st.booleans(), st.integers(0, 3))
def test_yearnumber_and_periodname_put_january_to_march_in_the_second_year(
    month, joiner, long_end, how
):
    start, number = month
    end = f"{start + 1}" if long_end else f"{(start + 1) % 100:02d}"
    got = financial_month(f"{start}{joiner}{end}", _case(calendar.month_name[number], how))
    assert got == datetime.date(start if number >= 4 else start + 1, number, 1)


ANSWER_SPELLINGS = {
    "very_good": ["Very Good", "Very good"],
    "good": ["Good"],
    "neither": ["Neither Good nor Poor", "Neither good nor poor"],
    "poor": ["Poor"],
    "very_poor": ["Very Poor", "Very poor"],
    "dont_know": ["Don't Know", "Dont Know", "Don\u2019t know", "Do not know"],
    "total": ["Total Responses", "Total responses", "Total"],
}


@given(
    st.sampled_from(sorted(ANSWER_SPELLINGS)),
    st.data(),
    st.sampled_from(["", "1 ", "6. ", "3) "]),
    st.sampled_from(["", " SUM", " sum"]),
    st.integers(0, 3),
    st.sampled_from(["", ":", " ", "?"]),
)
def test_answer_headers_are_recognised_however_numbered_or_cased(
    field, data, numbering, suffix, how, punctuation
):
    spelling = data.draw(st.sampled_from(ANSWER_SPELLINGS[field]))
    header = f"{numbering}{_case(spelling, how)}{suffix}{punctuation}"
    assert recognise(header_words(header))[0] == field


@given(
    st.sampled_from(["Org", "Organisation", "Site", "Ward", "Trust", "Provider"]),
    st.sampled_from(["Code", "code", "ODS code", "Name", "name"]),
    st.sampled_from([" ", "_", "  "]),
)
def test_place_headers_name_the_code_or_name_and_a_ward_wins(place, kind, joiner):
    found, rank = recognise(header_words(f"{place}{joiner}{kind}"))
    assert found == ("name" if kind.lower() == "name" else "code")
    ward = recognise(header_words(f"Ward{joiner}{kind}"))
    assert ward[1] >= rank
    assert recognise(header_words(f"Parent{joiner}{place}{joiner}{kind}")) is None
