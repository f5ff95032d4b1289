"""Reporting periods: NHS financial-year quarters and their labels.

The NHS financial year runs from April to March, so "2017/18 Q1" is April to June
2017 and "2016/17 Q4" is January to March 2017.
"""

import calendar
import datetime
import re

from planboard.lib.letters import long_date
from planboard.plans.targets import DatePrecision, format_target
from planboard.progress.errors import CycleError

_LABEL = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})\s*Q([1-4])$", re.IGNORECASE)
_LOOKS_LIKE_A_QUARTER = re.compile(r"^\d{4}\s*/\s*\d+\s*Q\d+$", re.IGNORECASE)
EXAMPLE = "2017/18 Q1"


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of quarter ``quarter`` of the financial year starting in ``year``."""
    first_month = 4 + 3 * (quarter - 1)
    start_year = year + (first_month - 1) // 12
    first_month = (first_month - 1) % 12 + 1
    last_month = first_month + 2
    last_day = calendar.monthrange(start_year, last_month)[1]
    return (
        datetime.date(start_year, first_month, 1),
        datetime.date(start_year, last_month, last_day),
    )


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}/{(year + 1) % 100:02d} Q{quarter}"


def parse_quarter(label: str) -> tuple[int, int]:
    """The financial year (its first calendar year) and quarter a label like "2017/18 Q1" names.

    Raises ValueError with a sentence a user can act on when the label is not one.
    """
    words = " ".join((label or "").split())
    match = _LABEL.match(words)
    if not match:
        if _LOOKS_LIKE_A_QUARTER.match(words):
            raise ValueError(
                f'"{words}" has no such quarter: a financial year has quarters Q1 to Q4, '
                f'written like "{EXAMPLE}".'
            )
        shown = f'"{words}"' if words else "An empty label"
        raise ValueError(f'{shown} is not a financial-year quarter; write it like "{EXAMPLE}".')
    year, second, quarter = int(match[1]), match[2], int(match[3])
    expected = (year + 1) % 100 if len(second) == 2 else year + 1
    if int(second) != expected:
        raise ValueError(
            f'"{words}" is not a financial year: its second year must follow the first, '
            f'like "{quarter_label(year, quarter)}".'
        )
    if not 1900 < year < 2200:
        raise ValueError(f'"{words}" is not a year planboard can report on.')
    return year, quarter


def parse_quarter_label(label: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period labelled like "2017/18 Q1"."""
    return quarter_bounds(*parse_quarter(label))


def canonical_label(label: str) -> str:
    """A quarter's label in its one written form ("2017/2018 q1" -> "2017/18 Q1").

    Labels that are not quarters keep their words, with spacing tidied.
    """
    try:
        return quarter_label(*parse_quarter(label))
    except ValueError:
        return " ".join((label or "").split())


def quarter_containing(date: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The label and bounds of the financial-year quarter that ``date`` falls in."""
    year = date.year if date.month >= 4 else date.year - 1
    quarter = ((date.month - 4) % 12) // 3 + 1
    start, end = quarter_bounds(year, quarter)
    return quarter_label(year, quarter), start, end


def quarters_between(
    first: datetime.date, last: datetime.date
) -> list[tuple[str, datetime.date, datetime.date]]:
    """The label and bounds of every quarter from the one holding ``first`` to the one
    holding ``last``, oldest first (none when ``last`` is before ``first``'s quarter)."""
    quarters = []
    start = quarter_containing(first)[1]
    while start <= last:
        label, start, end = quarter_containing(start)
        quarters.append((label, start, end))
        start = end + datetime.timedelta(days=1)
    return quarters


def period_slug(label: str) -> str:
    """A period's label as it reads in an address: "2016/17 Q4" -> "2016-17-q4"."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


# --- the rules for a period's dates: the services and the admin's form check these ---


def check_dates(starts_on, ends_on, updates_due) -> None:
    """A period ends on or after it starts, and its updates are not due before it starts."""
    if ends_on < starts_on:
        raise CycleError("A period cannot end before it starts.", "ends_on")
    check_updates_due(updates_due, starts_on)


def check_updates_due(updates_due, starts_on) -> None:
    """Updates cannot be due before their period starts."""
    if updates_due < starts_on:
        raise CycleError(
            f"Updates cannot be due before the period starts ({long_date(starts_on)})",
            "updates_due",
        )


def check_no_overlap(periods, label: str, starts_on, ends_on) -> None:
    """``periods`` (the strategy's others) must not overlap the dates given."""
    overlap = periods.overlapping(starts_on, ends_on).first()
    if overlap is not None:
        raise CycleError(
            f"{label} would overlap {overlap.label} "
            f"({_day(overlap.starts_on)} to {_day(overlap.ends_on)}).",
            "label",
        )


def _day(date) -> str:
    return format_target(date, DatePrecision.DAY)
