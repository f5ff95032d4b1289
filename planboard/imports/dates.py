"""Target dates as plans write them: "Mar 17", "Sept 17", "31/03/2017", "Q1 2017/18", "Completed".

Plans give targets at different precisions. We store the LAST day of the span the
writer meant ("Mar 17" is met by 31 March 2017), together with the precision, so that
"overdue" is never claimed a day early and the date can be shown back no more precisely
than it was given. Numeric dates are read day first, as UK organisations write them;
two-digit years are 20xx. Anything else is refused with a message saying what to write,
never guessed.
"""

import datetime
import re
from dataclasses import dataclass

from planboard.lib.date_fields import read_month
from planboard.plans.targets import end_of_month

# The values of planboard.plans.models.DatePrecision, kept here as plain strings so that
# this module stays free of Django and can be used on its own.
DAY = "day"
MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

COMPLETE_WORDS = {"completed", "complete", "done"}
EXAMPLES = 'use e.g. "Mar 17", "June 2017" or "31/03/2017"'

_PREFIXES = re.compile(r"^(?:by\s+)?(?:the\s+)?(?:end\s+of\s+|end\s+)?")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
_NAMED_DAY = re.compile(r"^(\d{1,2})\s*([a-z]+)\.?,?\s*(\d{4}|\d{2})$")
_NAMED_MONTH = re.compile(r"^([a-z]+)\.?[\s',-]*(\d{4}|\d{2})$")
_QUARTER_FY = re.compile(r"^q([1-4])\s*(?:fy\s*)?(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})$")
_FY_QUARTER = re.compile(r"^(?:fy\s*)?(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})\s*q([1-4])$")
_QUARTER_ONLY_YEAR = re.compile(r"^q[1-4]\s*(\d{4}|\d{2})$")
_FINANCIAL_YEAR = re.compile(r"^fy\s*(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})$|^(\d{4})/(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class TargetDate:
    """A parsed target: the last day of the span (None when complete) and its precision."""

    date: datetime.date | None
    precision: str
    complete: bool = False


def parse_target(text: str) -> TargetDate:
    """Read a target date as a plan writes it; raise ValueError with advice when it is not one.

    >>> parse_target("Mar 17")
    TargetDate(date=datetime.date(2017, 3, 31), precision='month', complete=False)
    >>> parse_target("Q1 2017/18").date  # NHS financial year: Q1 is April to June
    datetime.date(2017, 6, 30)
    """
    written = " ".join((text or "").split())
    if not written:
        raise ValueError(f"the date is empty ({EXAMPLES})")
    words = written.casefold().rstrip(".")
    if words in COMPLETE_WORDS:
        return TargetDate(None, MONTH, complete=True)
    words = _ORDINAL.sub(r"\1", _PREFIXES.sub("", words))
    for reader in (_read_day, _read_month, _read_quarter, _read_year):
        found = reader(words, written)
        if found is not None:
            return found
    raise ValueError(f'"{written}" is not a date ({EXAMPLES})')


def parse_day(text: str) -> datetime.date | None:
    """A date given to the day ("13 February 2017", "27th Feb 2017"), or None if it is not one."""
    try:
        found = parse_target(text)
    except ValueError:
        return None
    return found.date if found.precision == DAY else None


def _year(digits: str) -> int:
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _real_date(year: int, month: int, day: int, written: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f'"{written}" is not a real date ({EXAMPLES})') from None


def _read_day(words: str, written: str) -> TargetDate | None:
    if match := _ISO.match(words):
        year, month, day = (int(part) for part in match.groups())
        return TargetDate(_real_date(year, month, day, written), DAY)
    if match := _NUMERIC_DAY.match(words):
        day, month, year = match.groups()
        return TargetDate(_real_date(_year(year), int(month), int(day), written), DAY)
    if match := _NAMED_DAY.match(words):
        day, name, year = match.groups()
        month = read_month(name)
        if month is not None:
            return TargetDate(_real_date(_year(year), month, int(day), written), DAY)
    return None


def _read_month(words: str, written: str) -> TargetDate | None:
    if match := _NUMERIC_MONTH.match(words):
        month, year = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return TargetDate(end_of_month(year, month), MONTH)
        return None
    if match := _NAMED_MONTH.match(words):
        month = read_month(match.group(1))
        if month is not None:
            return TargetDate(end_of_month(_year(match.group(2)), month), MONTH)
    return None


def _financial_year_start(first: str, second: str, written: str) -> int:
    start, end = _year(first), _year(second)
    if end % 100 != (start + 1) % 100:
        raise ValueError(
            f'"{written}" is not a financial year: the second year must follow the first '
            '(e.g. "2017/18")'
        )
    return start


def _read_quarter(words: str, written: str) -> TargetDate | None:
    """NHS financial-year quarters: Q1 is April to June, Q4 is January to March of the next year."""
    if match := _QUARTER_FY.match(words):
        quarter, first, second = match.groups()
    elif match := _FY_QUARTER.match(words):
        first, second, quarter = match.groups()
    elif _QUARTER_ONLY_YEAR.match(words):
        raise ValueError(
            f'"{written}" does not say which financial year the quarter is in '
            '(write e.g. "Q1 2017/18")'
        )
    else:
        return None
    start = _financial_year_start(first, second, written)
    last_month = 3 + 3 * int(quarter)  # Q1 ends in June (6) ... Q4 in March (15 = 12 + 3)
    year = start + (last_month - 1) // 12
    return TargetDate(end_of_month(year, (last_month - 1) % 12 + 1), QUARTER)


def _read_year(words: str, written: str) -> TargetDate | None:
    if match := _FINANCIAL_YEAR.match(words):
        first, second = (part for part in match.groups() if part is not None)
        start = _financial_year_start(first, second, written)
        return TargetDate(datetime.date(start + 1, 3, 31), YEAR)
    if match := _YEAR.match(words):
        return TargetDate(datetime.date(int(match.group(1)), 12, 31), YEAR)
    return None
