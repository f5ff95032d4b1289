"""Personal data in a summary meant for the public: NHS numbers, phone numbers, e-mail
addresses, postcodes, dates of birth and the names of people planboard knows.

Pure functions, no database: the caller passes the names it knows. Each kind is found by
one compiled pattern read over the text once (names by one pass over its words; a text
with findings is read once more as redacted, see ``find_personal_data``), and a finding
says where it is, what it is and, in a sentence, why it matters. The detectors
lean towards flagging: a summary flagged wrongly costs a moment to overrule, one not
flagged can publish a person's details.

Where two findings overlap, the longer is kept (so redacting it removes the whole of
both); on the same span, the kind earlier in ``PRIORITY`` is kept: an NHS number over a
phone number (a valid check digit is the stronger evidence), then phone, e-mail,
postcode, date of birth, name.
"""

import bisect
import enum
import math
import re
from dataclasses import dataclass, replace

from planboard.feedback.personal_names import find_names


class Kind(enum.StrEnum):
    NHS_NUMBER = "nhs_number"
    PHONE = "phone"
    EMAIL = "email"
    POSTCODE = "postcode"
    DATE_OF_BIRTH = "date_of_birth"
    NAME = "name"


PRIORITY = (Kind.NHS_NUMBER, Kind.PHONE, Kind.EMAIL, Kind.POSTCODE, Kind.DATE_OF_BIRTH, Kind.NAME)

# How a finding is described to a person ("An NHS number (...) is in the summary.") and
# what replaces it in a suggested redaction.
DESCRIPTIONS = {
    Kind.NHS_NUMBER: ("An NHS number", "[NHS number removed]"),
    Kind.PHONE: ("A phone number", "[phone number removed]"),
    Kind.EMAIL: ("An e-mail address", "[e-mail address removed]"),
    Kind.POSTCODE: ("A postcode", "[postcode removed]"),
    Kind.DATE_OF_BIRTH: ("A date of birth", "[date of birth removed]"),
    Kind.NAME: ("The name of someone planboard knows", "[name removed]"),
}


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int
    text: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def reason(self) -> str:
        """One sentence for the person moderating the summary."""
        return f"{DESCRIPTIONS[self.kind][0]} ({self.text}) is in the summary."

    @property
    def placeholder(self) -> str:
        return DESCRIPTIONS[self.kind][1]


# A number is not part of a longer one: no digit next to it, nor one joined to it by a
# hyphen, slash, full stop or comma (a date, a decimal, a thousands separator). Letters
# next to it do not stop it: "tel07700 900123" is still a phone number.
NOT_AFTER_A_NUMBER = r"(?<![\d+])(?<!\d[\-/.,])"
NOT_BEFORE_A_NUMBER = r"(?!\d|[\-/.,]\d)"

# --- NHS numbers -------------------------------------------------------------------------
# Ten digits, as one run or grouped 3-3-4 by the same space or hyphen, with nothing that
# would make them part of a longer number on either side.
NHS_NUMBER = re.compile(rf"{NOT_AFTER_A_NUMBER}\d{{3}}([ -]?)\d{{3}}\1\d{{4}}{NOT_BEFORE_A_NUMBER}")
NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit of the NHS Data Dictionary for nine digits, or None
    where the result is 10 (no NHS number is issued with those nine digits)."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def is_nhs_number(digits: str) -> bool:
    """Whether ten digits pass the NHS number's check digit."""
    return (
        len(digits) == 10
        and digits.isascii()
        and digits.isdigit()
        and nhs_check_digit(digits[:9]) == int(digits[9])
    )


def _nhs_numbers(text: str):
    for match in NHS_NUMBER.finditer(text):
        if is_nhs_number(re.sub(r"[ -]", "", match.group())):
            yield Finding(Kind.NHS_NUMBER, match.start(), match.end(), match.group())


# --- UK phone numbers --------------------------------------------------------------------
# A run that starts as a UK number does (0, 0044, +44, +44 (0) or a bracketed area code:
# a plus or a bracket marks a new number even straight after a digit) and is made of
# digit groups separated by one space or hyphen. Groups after the first hold 3 to 6
# digits, so dates (01-03-2017) and lists of small numbers never join into a number.
_PHONE_REST = r"(?:[ -]?\d{3,6}){0,3}" + NOT_BEFORE_A_NUMBER


def _phone(not_after: str) -> re.Pattern:
    start = r"(?:(?<!\+)\+44[ -]?(?:\(0\)[ -]?)?\d{2,5}|\(0\d{2,5}\)|" + not_after + r"0\d{2,5})"
    return re.compile(start + _PHONE_REST, re.ASCII)


PHONE = _phone(NOT_AFTER_A_NUMBER)
PHONE_JOINED = _phone("")
PHONE_GROUP = re.compile(r"[ -]?\d+$")


def uk_phone_digits(written: str) -> str:
    """The national form of a written UK number: its digits with +44, +44 (0) or 0044
    turned to 0."""
    digits = re.sub(r"\D", "", written)
    for written_code, code_digits in (("+44", "44"), ("0044", "0044")):
        if written.startswith(written_code):
            digits = digits.removeprefix(code_digits)
            return digits if digits.startswith("0") else "0" + digits
    return digits


def is_uk_phone(national: str) -> bool:
    """Landlines (01, 02), the numbers charged as landlines (03) and mobiles (07), by
    Ofcom's lengths: 11 digits, or 10 for some 01 numbers."""
    if not national.startswith(("01", "02", "03", "07")):
        return False
    return len(national) == 11 or (len(national) == 10 and national.startswith("01"))


def _phones(text: str):
    position, after_phone = 0, -1
    while match := _next_phone(text, position, after_phone):
        written = match.group()
        # A group too many (a count, or the next number) is dropped from the end.
        while not is_uk_phone(uk_phone_digits(written)):
            trailing = PHONE_GROUP.search(written)
            if trailing is None or trailing.start() == 0:
                written = ""
                break
            written = written[: trailing.start()]
        if written:
            yield Finding(Kind.PHONE, match.start(), match.start() + len(written), written)
            position = after_phone = match.start() + len(written)
        else:
            position = match.start() + 1


def _next_phone(text: str, position: int, after_phone: int):
    """The next run that may be a phone number. One joined to a phone number just found
    ("07700 900123-07700 900124") starts a number of its own: only the digit before the
    hyphen stops the usual search, and that digit belongs to the number found."""
    if position == after_phone and text[position : position + 1] in ("-", "/", ".", ","):
        if joined := PHONE_JOINED.match(text, position + 1):
            return joined
    return PHONE.search(text, position)


# --- e-mail addresses --------------------------------------------------------------------
_ATEXT = r"[\w!#$%&'*+/=?^`{|}~-]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(
    rf"(?<![\w!#$%&'*+/=?^`{{|}}~.-]){_ATEXT}+(?:\.{_ATEXT}+)*"
    rf"@(?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])(?![A-Za-z0-9-])"
)


def _emails(text: str):
    for match in EMAIL.finditer(text):
        yield Finding(Kind.EMAIL, match.start(), match.end(), match.group())


# --- UK postcodes ------------------------------------------------------------------------
# The full postcode only (an outward code alone, "S10", names an area, not an address),
# not inside a word (letters on either side would be part of it; digits do not stop it),
# with the letters Royal Mail allows in each place: no Q, V or X first, no I, J or Z
# second, a letter after a one-letter area's digit from ABCDEFGHJKPSTUW, after a
# two-letter area's from ABEHMNPRVWXY, and never C, I, K, M, O or V in the inward code.
POSTCODE = re.compile(
    r"(?<![^\W\d_])(?:"
    r"(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW]|\d\d?|[A-HK-Y]\d[ABEHMNPRVWXY]|[A-HK-Y]\d\d?))"
    r"[ \u00a0]?\d[ABD-HJLNP-UW-Z]{2}"
    r"|GIR[ \u00a0]?0AA)(?![^\W\d_])",
    re.IGNORECASE,
)


def _postcodes(text: str):
    for match in POSTCODE.finditer(text):
        yield Finding(Kind.POSTCODE, match.start(), match.end(), match.group())


# --- dates of birth ----------------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DATE = (
    rf"(?:{_DAY}(?:\s+of)?\s+{_MONTH},?\s+\d{{4}}"  # 3 March 1990, 3rd of Mar. 1990
    rf"|{_MONTH}\s+{_DAY},?\s+\d{{4}}"  # March 3, 1990
    # 03/03/1990, 3.3.90, 3-3-1990
    r"|(?:[12]\d|3[01]|0?[1-9])(?P<sep>[/.\-])(?:1[0-2]|0?[1-9])(?P=sep)(?:\d{4}|\d{2})"
    r"|\d{4}-(?:1[0-2]|0[1-9])-(?:[12]\d|3[01]|0[1-9]))"  # 1990-03-03
    r"(?![\w/])"
)
# A date is a date of birth when the words before it say so: "born", "DOB", "D.O.B.",
# "date of birth", "birth date", with up to 30 characters between that hold no digit,
# no sentence's end and no square bracket (so a redaction's placeholder never counts).
DATE_OF_BIRTH = re.compile(
    r"\b(?:born|d\.?\s?o\.?\s?b|date\s+of\s+birth|birth\s*date)\b\.?"
    rf"[^\d.!?\n\[\]]{{0,30}}?\b(?P<date>{DATE})",
    re.IGNORECASE,
)


def _dates_of_birth(text: str):
    for match in DATE_OF_BIRTH.finditer(text):
        yield Finding(Kind.DATE_OF_BIRTH, match.start("date"), match.end("date"), match["date"])


def _names(text: str, known_names):
    for start, end in find_names(text, known_names):
        yield Finding(Kind.NAME, start, end, text[start:end])


# --- all of them -------------------------------------------------------------------------
def find_personal_data(text: str, *, known_names=()) -> list[Finding]:
    """Every piece of personal data found in ``text``, in order, none overlapping.

    What sits next to a finding is judged as if the finding were already removed, so
    that a redaction never uncovers more: "07700 900123-9434765919" is a phone number
    and, once that is found, an NHS number too (a number joined by a hyphen to another
    number is not one on its own). Each further round reads the text as ``redact``
    leaves it; most texts need one round, or two when something is found."""
    names = tuple(known_names)
    findings = _detect(text, names)
    while findings:
        redacted, kept = _redacted(text, findings)
        more = [_moved(finding, kept) for finding in _detect(redacted, names)]
        more = [finding for finding in more if finding is not None]
        if not more:
            break
        findings = _without_overlaps(findings + more)
    return findings


def _detect(text: str, names) -> list[Finding]:
    found = [
        *_nhs_numbers(text),
        *_phones(text),
        *_emails(text),
        *_postcodes(text),
        *_dates_of_birth(text),
        *_names(text, names),
    ]
    return _without_overlaps(found)


def _redacted(text: str, findings) -> tuple[str, list[tuple[int, int, int]]]:
    """``text`` redacted, and the pieces of it kept as they were: (start and end in the
    redacted text, start in ``text``)."""
    parts, kept, position, length = [], [], 0, 0
    for finding in sorted(findings, key=lambda f: f.start):
        piece = text[position : finding.start]
        kept.append((length, length + len(piece), position))
        parts += [piece, finding.placeholder]
        length += len(piece) + len(finding.placeholder)
        position = finding.end
    kept.append((length, length + len(text) - position, position))
    parts.append(text[position:])
    return "".join(parts), kept


def _moved(finding: Finding, kept) -> Finding | None:
    """A finding in the redacted text at its place in the original, if it lies wholly in
    text the redaction kept (a placeholder is never part of personal data)."""
    start, end, original = kept[bisect.bisect_right(kept, (finding.start, math.inf)) - 1]
    if not (start <= finding.start and finding.end <= end):
        return None
    shift = original - start
    return replace(finding, start=finding.start + shift, end=finding.end + shift)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """The findings in order with the longer kept where two overlap, and on the same
    length the kind first in ``PRIORITY``."""
    kept: list[Finding] = []  # in order of position
    for finding in sorted(found, key=lambda f: (f.start - f.end, PRIORITY.index(f.kind), f.start)):
        at = bisect.bisect_left(kept, finding.start, key=lambda f: f.start)
        before_is_clear = at == 0 or kept[at - 1].end <= finding.start
        after_is_clear = at == len(kept) or finding.end <= kept[at].start
        if before_is_clear and after_is_clear:
            kept.insert(at, finding)
    return kept


def redact(text: str, findings) -> str:
    """``text`` with each finding replaced by a placeholder naming what was removed, as a
    suggestion for whoever edits the summary. Findings must not overlap."""
    return _redacted(text, findings)[0]
