"""Personal data in a summary, kind by kind: what is flagged, what ordinary writing is
not, and how findings that overlap are settled."""

import time

import pytest

from planboard.feedback.personal_data import (
    Kind,
    find_personal_data,
    is_nhs_number,
    nhs_check_digit,
    redact,
)


def found(text, **kwargs):
    return [(f.kind, f.text) for f in find_personal_data(text, **kwargs)]


# --- NHS numbers -------------------------------------------------------------------------
def test_the_check_digit_follows_the_data_dictionarys_modulus_11():
    # 9,4,3,4,7,6,5,9,1 weighted 10..2 total 299; 299 mod 11 = 2; 11 - 2 = 9.
    assert nhs_check_digit("943476591") == 9
    assert is_nhs_number("9434765919")
    assert not is_nhs_number("9434765918")
    # A remainder of 0 gives 11, written as a check digit of 0.
    assert nhs_check_digit("000000000") == 0
    # 6 x 2 = 12, remainder 1, 11 - 1 = 10: no NHS number has those nine digits.
    assert nhs_check_digit("000000006") is None
    assert not any(is_nhs_number(f"000000006{digit}") for digit in range(10))


@pytest.mark.parametrize("written", ["943 476 5919", "943-476-5919", "9434765919"])
def test_an_nhs_number_is_found_however_it_is_grouped(written):
    findings = find_personal_data(f"Her NHS number is {written}.")
    assert [(f.kind, f.text) for f in findings] == [(Kind.NHS_NUMBER, written)]
    assert findings[0].reason == f"An NHS number ({written}) is in the summary."


def test_ten_digits_failing_the_check_are_not_an_nhs_number():
    assert found("Reference 943 476 5918 was closed.") == []


def test_ten_digits_that_fail_the_check_may_still_be_a_phone_number():
    # 0114 496 012 3: 01 numbers of ten digits exist; check digit fails for NHS.
    assert not is_nhs_number("0114960123")
    assert found("Ring 01149 60123 today.") == [(Kind.PHONE, "01149 60123")]


def test_an_nhs_number_inside_a_longer_number_is_not_one():
    assert found("Order 94347659190 and 19434765919 and 943 476 5919-2") == []


# --- phone numbers -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "written",
    [
        "07700 900123",
        "07700 900 123",
        "07700900123",
        "0114 496 0123",
        "0114-496-0123",
        "01632 960123",
        "020 7946 0123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)114 496 0123",
        "+44 20 7946 0123",
        "+44 0114 496 0123",
        "0044 114 496 0123",
        "(0114) 496 0123",
        "(01632) 960123",
        "0300 123 4567",
        "01632 96012",
    ],
)
def test_uk_phone_numbers_are_found_in_their_usual_forms(written):
    assert found(f"Call {written} for help.") == [(Kind.PHONE, written)]


@pytest.mark.parametrize(
    "text",
    [
        "In 2016 we saw 1,234 people.",
        "It cost £12,345.67 over 12 months, or 3,000 pounds a quarter.",
        "Between 2016 and 2017 the 24 teams held 1234 567890 meetings.",
        "Dates 01-03-2017, 03/03/2017 and 2017-03-03 were agreed.",
        "Ward 0800 opened at 09 00.",
        "The 0900 123 4567 premium line and 0161 2 are not personal.",
        "Freephone 0800 123 4567 is the trust's, not a person's.",
        "Invoice 012345678901234 was paid.",
    ],
)
def test_ordinary_numbers_years_money_and_counts_are_not_phone_numbers(text):
    assert found(text) == []


def test_a_count_after_a_phone_number_is_not_part_of_it():
    assert found("Call 0114 496 0123 456 times") == [(Kind.PHONE, "0114 496 0123")]


def test_phone_numbers_joined_by_hyphens_or_next_to_letters_are_each_found():
    assert found("07700 900123-07700 900124-07700 900125") == [
        (Kind.PHONE, "07700 900123"),
        (Kind.PHONE, "07700 900124"),
        (Kind.PHONE, "07700 900125"),
    ]
    assert found("tel07700 900123ext") == [(Kind.PHONE, "07700 900123")]


def test_a_number_next_to_a_finding_is_judged_as_if_the_finding_were_removed():
    # Joined by a hyphen to a number, 9434765919 is not one on its own; once the phone
    # number before it is found, it stands alone, as it would in the redacted text.
    assert found("1234-9434765919") == []
    assert found("07700 900123-9434765919") == [
        (Kind.PHONE, "07700 900123"),
        (Kind.NHS_NUMBER, "9434765919"),
    ]


# --- e-mail addresses --------------------------------------------------------------------
@pytest.mark.parametrize(
    "address", ["jane.smith@example.nhs.uk", "J_Smith+feedback@Trust.NHS.net", "o'neil@x.co"]
)
def test_email_addresses_are_found(address):
    assert found(f"Write to {address}.") == [(Kind.EMAIL, address)]


def test_an_at_sign_alone_is_not_an_email_address():
    assert found("Meet @ the hub, or email us @ reception, or root@localhost.") == []


# --- postcodes ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "postcode",
    [
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "W1A 0AX",
        "EC1A 1BB",
        "s10 2tn",
        "SW1A2AA",
        "GIR 0AA",
    ],
)
def test_full_postcodes_are_found_in_every_format(postcode):
    assert found(f"She lives at {postcode} now.") == [(Kind.POSTCODE, postcode)]


def test_an_outward_code_alone_is_an_area_not_an_address():
    assert found("Most referrals came from S10 and S11, and LS1 too.") == []


def test_letters_royal_mail_never_uses_are_not_a_postcode():
    # Q first, and C, I, K, M, O or V in the inward code, never occur.
    assert found("Meet at QA1 1AA or at 3 1pm or S1 1CM.") == []


# --- dates of birth ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("She was born on 3 March 1990 in Leeds.", "3 March 1990"),
        ("DOB 03/03/1990", "03/03/1990"),
        ("D.O.B.: 3.3.90", "3.3.90"),
        ("Date of birth: 1990-03-03", "1990-03-03"),
        ("aged 34, born 3rd of March, 1990", "3rd of March, 1990"),
        ("born March 3, 1990", "March 3, 1990"),
    ],
)
def test_a_date_next_to_words_of_birth_is_a_date_of_birth(text, date):
    assert found(text) == [(Kind.DATE_OF_BIRTH, date)]


def test_an_ordinary_date_is_not_a_date_of_birth():
    assert found("On 3 March 2017 the group met; the newborn unit opened 4/4/2017.") == []
    # A year of birth alone is not a date.
    assert found("She was born in 1990.") == []


def test_words_of_birth_reach_only_the_first_date_after_them():
    assert found("Born 3 March 1990 and seen on 4 April 2017.") == [
        (Kind.DATE_OF_BIRTH, "3 March 1990")
    ]


# --- names -------------------------------------------------------------------------------
NAMES = ["Jane Ann Smith", "Dr Ahmed Lee", "Priya Patel"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("jane smith rang", "jane smith"),
        ("JANE ANN SMITH rang", "JANE ANN SMITH"),
        ("We thanked Mrs Jane Smith.", "Mrs Jane Smith"),
        ("We thanked Smith.", "Smith"),
        ("Smith's team", "Smith"),
        ("Ask Dr. Lee", "Dr. Lee"),
        ("ask mr lee", "mr lee"),
        ("Patel said", "Patel"),
    ],
)
def test_known_names_are_found_as_whole_words(text, name):
    assert found(text, known_names=NAMES) == [(Kind.NAME, name)]


@pytest.mark.parametrize(
    "text",
    [
        "The lee of the hill.",  # short surname, no title
        "Lee said so.",  # short surname alone, capitalised: still too common
        "a smith made it",  # lower case surname alone
        "Smithson and Patelson came.",  # inside another word
        "Jane came, and Priya too.",  # a first name alone
    ],
)
def test_words_that_are_not_a_known_person_are_left_alone(text):
    assert found(text, known_names=NAMES) == []


def test_a_capitalised_surname_is_flagged_even_where_it_is_an_ordinary_word():
    # The detectors lean towards flagging: overruling costs a moment.
    assert found("Green spaces help.", known_names=["Tom Green"]) == [(Kind.NAME, "Green")]


def test_a_name_known_as_one_word_is_matched_as_a_surname():
    assert found("Priya and Mr Ng came; priya and Ng did not.", known_names=["Priya", "Ng"]) == [
        (Kind.NAME, "Priya"),
        (Kind.NAME, "Mr Ng"),
    ]


def test_without_known_names_no_name_is_found():
    assert found("Jane Smith came.") == []


# --- several findings --------------------------------------------------------------------
def test_several_findings_come_in_order_without_overlaps():
    text = (
        "Jane Smith (DOB 3 March 1990, NHS 943 476 5919) of S10 2TN rang 07700 900123 "
        "and wrote from jane.smith@example.org."
    )
    findings = find_personal_data(text, known_names=NAMES)
    assert [f.kind for f in findings] == [
        Kind.NAME,
        Kind.DATE_OF_BIRTH,
        Kind.NHS_NUMBER,
        Kind.POSTCODE,
        Kind.PHONE,
        Kind.EMAIL,
    ]
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
    assert all(text[f.start : f.end] == f.text for f in findings)


def test_an_nhs_number_wins_over_a_phone_number_on_the_same_span():
    # 0123456789 passes the check digit and is also written like an 01 number.
    assert is_nhs_number("0123456789")
    assert found("Number 012 345 6789 given") == [(Kind.NHS_NUMBER, "012 345 6789")]


def test_the_longer_finding_wins_where_two_overlap():
    text = "Write to S102TN@example.org or Smith.Jane@example.org"
    assert found(text, known_names=NAMES) == [
        (Kind.EMAIL, "S102TN@example.org"),
        (Kind.EMAIL, "Smith.Jane@example.org"),
    ]


def test_redact_puts_a_placeholder_for_each_finding():
    text = "Ring Mr Lee on 0114 496 0123, NHS 9434765919."
    findings = find_personal_data(text, known_names=NAMES)
    assert redact(text, findings) == (
        "Ring [name removed] on [phone number removed], NHS [NHS number removed]."
    )
    assert redact(text, []) == text


def _letters(n):
    return "".join(chr(ord("a") + int(digit, 26)) for digit in _base26(n))


def _base26(n):
    digits = "0123456789abcdefghijklmnop"
    return digits[n] if n < 26 else _base26(n // 26) + digits[n % 26]


def test_a_long_summary_is_read_quickly():
    sentence = (
        "In 2016 we saw 1,234 people at the Sheffield hub; Jane Smith (S10 2TN, "
        "0114 496 0123) was born on 3 March 1990 and wrote to jane@example.org. "
    )
    text = (sentence * (10_000 // len(sentence) + 1))[:10_000]
    names = [f"Given{_letters(n)} Family{_letters(n)}" for n in range(2_000)] + NAMES
    started = time.perf_counter()
    findings = find_personal_data(text, known_names=names)
    assert time.perf_counter() - started < 1.0
    assert len(findings) > 300
