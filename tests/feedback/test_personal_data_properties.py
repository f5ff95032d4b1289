"""The detectors' rules held for generated text: every valid NHS number, postcode and
e-mail address is found, plain writing with ordinary numbers and dates never is, spans
point at what they name, redaction leaves nothing to find, and no text makes them fail."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from planboard.feedback.personal_data import (
    Kind,
    find_personal_data,
    nhs_check_digit,
    redact,
)

NAMES = ["Jane Ann Smith", "Dr Ahmed Lee", "Priya Patel", "O'Brien"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Mar", "Sept", "Dec",
]  # fmt: skip
WORDS = (
    "the a we and of to in on at for with our team service people care ward group met "
    "said asked listened changed plan waiting times were better worse staff carers "
    "Sheffield Trust Board Monday Friday Care Opinion You said we did Quarter Theme "
    "feedback survey clinic beds nurse doctor home visits over under about per cent"
).split()


def _format_nhs(digits, style):
    if style == "plain":
        return digits
    separator = " " if style == "spaces" else "-"
    return separator.join((digits[:3], digits[3:6], digits[6:]))


nine_digits = st.text(string.digits, min_size=9, max_size=9)
styles = st.sampled_from(["plain", "spaces", "hyphens"])
valid_nhs = st.builds(
    lambda nine, style: _format_nhs(nine + str(nhs_check_digit(nine)), style),
    nine_digits.filter(lambda nine: nhs_check_digit(nine) is not None),
    styles,
)


@st.composite
def wrong_nhs(draw):
    nine = draw(nine_digits)
    check = nhs_check_digit(nine)
    digit = draw(st.integers(0, 9).filter(lambda d: d != check))
    return _format_nhs(f"{nine}{digit}", draw(styles))


FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"
SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"
INWARD = "ABDEFGHJLNPQRSTUWXYZ"


@st.composite
def postcodes(draw):
    letter = lambda letters: draw(st.sampled_from(letters))  # noqa: E731
    digit = lambda: draw(st.sampled_from(string.digits))  # noqa: E731
    outward = draw(
        st.sampled_from(["A9", "A99", "A9A", "AA9", "AA99", "AA9A"]).map(lambda shape: shape)
    )
    parts = {
        "A9": lambda: letter(FIRST) + digit(),
        "A99": lambda: letter(FIRST) + digit() + digit(),
        "A9A": lambda: letter(FIRST) + digit() + letter("ABCDEFGHJKPSTUW"),
        "AA9": lambda: letter(FIRST) + letter(SECOND) + digit(),
        "AA99": lambda: letter(FIRST) + letter(SECOND) + digit() + digit(),
        "AA9A": lambda: letter(FIRST) + letter(SECOND) + digit() + letter("ABEHMNPRVWXY"),
    }
    code = parts[outward]() + draw(st.sampled_from(["", " "])) + digit()
    code += letter(INWARD) + letter(INWARD)
    cases = draw(st.lists(st.booleans(), min_size=len(code), max_size=len(code)))
    return "".join(c.lower() if lower else c for c, lower in zip(code, cases, strict=True))


words = st.sampled_from(WORDS)
numbers = st.one_of(
    st.integers(0, 10_000_000).map(str),
    st.integers(1_000, 10_000_000).map(lambda n: f"{n:,}"),
    st.integers(1900, 2099).map(str),
    st.floats(0, 1_000_000, allow_nan=False).map(lambda x: f"£{x:,.2f}"),
    st.integers(0, 100).map(lambda n: f"{n}%"),
)
dates = st.builds(
    lambda day, month, year, style: [
        f"{day} {MONTHS[month - 1]} {year}",
        f"{day:02d}/{month:02d}/{year}",
        f"{day}.{month}.{year % 100:02d}",
        f"{year}-{month:02d}-{day:02d}",
        f"{MONTHS[month - 1]} {day}, {year}",
    ][style],
    st.integers(1, 28),
    st.integers(1, 12),
    st.integers(1950, 2030),
    st.integers(0, 4),
)
# Each number or date comes after a word, as in writing: three numbers in a row shaped
# 3-3-4 ("206 103 1900") that pass the check digit cannot be told from an NHS number.
plain_sentences = st.lists(
    st.one_of(words, st.builds("{} {}".format, words, st.one_of(numbers, dates))),
    min_size=1,
    max_size=40,
).map(lambda parts: " ".join(parts) + ".")


@given(valid_nhs, plain_sentences, plain_sentences)
def test_every_valid_nhs_number_is_found(number, before, after):
    findings = find_personal_data(f"{before} NHS number {number}, {after}")
    assert (Kind.NHS_NUMBER, number) in [(f.kind, f.text) for f in findings]


@given(wrong_nhs())
def test_ten_digits_with_a_wrong_check_digit_are_never_an_nhs_number(number):
    findings = find_personal_data(f"Reference {number} was closed.")
    assert Kind.NHS_NUMBER not in [f.kind for f in findings]


@given(postcodes(), plain_sentences)
def test_every_valid_postcode_is_found_in_any_case_and_spacing(postcode, after):
    findings = find_personal_data(f"She lives at {postcode} now. {after}")
    assert [(f.kind, f.text) for f in findings] == [(Kind.POSTCODE, postcode)]


@given(st.emails())
def test_every_email_address_is_found(address):
    findings = find_personal_data(f"Write to {address} today.")
    assert [(f.kind, f.text) for f in findings] == [(Kind.EMAIL, address)]


@settings(max_examples=300)
@given(plain_sentences)
def test_plain_writing_with_ordinary_numbers_and_dates_has_no_personal_data(text):
    assert find_personal_data(text, known_names=NAMES) == []


personal = st.one_of(
    valid_nhs,
    postcodes(),
    st.emails(),
    st.sampled_from(["07700 900123", "+44 114 496 0123", "(0114) 496 0123", "02079460123"]),
    dates.map(lambda date: f"born {date}"),
    st.sampled_from(NAMES + ["mr lee", "JANE SMITH", "Smith's", "Patelson"]),
)
mixed_text = st.lists(
    st.one_of(words, numbers, dates, personal, st.text(max_size=8)), max_size=25
).flatmap(
    lambda parts: st.lists(
        st.sampled_from([" ", "", "\n", ", ", "-", "."]),
        min_size=len(parts),
        max_size=len(parts),
    ).map(lambda gaps: "".join(part + gap for part, gap in zip(parts, gaps, strict=True)))
)


@settings(max_examples=300)
@given(mixed_text)
def test_each_finding_points_at_its_text_in_order_without_overlaps(text):
    findings = find_personal_data(text, known_names=NAMES)
    assert all(text[f.start : f.end] == f.text and f.text for f in findings)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
    assert all(f.reason.endswith(f"({f.text}) is in the summary.") for f in findings)


@settings(max_examples=300)
@given(st.one_of(mixed_text, st.text()))
def test_redacted_text_has_nothing_left_to_find(text):
    findings = find_personal_data(text, known_names=NAMES)
    redacted = redact(text, findings)
    assert find_personal_data(redacted, known_names=NAMES) == []
    assert all(f.placeholder in redacted for f in findings)


@given(st.text(), st.lists(st.text(max_size=20), max_size=5))
def test_no_text_and_no_list_of_names_makes_the_detectors_fail(text, names):
    findings = find_personal_data(text, known_names=names)
    assert all(text[f.start : f.end] == f.text for f in findings)
