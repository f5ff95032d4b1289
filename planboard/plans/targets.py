"""Target dates and the delivery rules read from them: each rule defined once, here.

A plan gives its targets as a day, a month, a quarter or a year ("Mar 17", "Q1
2017/18"). planboard stores the *last day* of the span meant, so an action due in
"Sep 2017" is not overdue until September is over, and shows the date back no more
precisely than it was given.

The rules, used by the plan page, the checker, the papers, the reminders, the RAG
suggestion and the public page alike (on live actions and on frozen snapshots):

- **overdue**: not complete, and the day asked about falls after the target's last day;
- **slipped**: the target is not the one first set. Each move made through an accepted
  update is recorded; a plan imported or edited with a target different from its
  original counts as one move even with no record;
- **moved** between two dates of the same action (a quarter's close and the next):
  both set and different; **delayed**: both set, and the later is later.

``ActionQuerySet.overdue`` is the same rule as ``is_overdue`` written as a database
filter; a test holds the two to the same answers.
"""

import calendar
import datetime
import functools

from django.db import models


class DatePrecision(models.TextChoices):
    """How precisely a target date was given; the stored date is the last day of that span."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"


@functools.lru_cache(maxsize=4096)
def format_target(date: datetime.date | None, precision: str) -> str:
    """Show a target date no more precisely than it was given ("Mar 2017", "31 Mar 2017")."""
    if date is None:
        return ""
    if precision == DatePrecision.DAY:
        return f"{date.day} {date:%b %Y}"
    if precision == DatePrecision.MONTH:
        return f"{date:%b %Y}"
    if precision == DatePrecision.QUARTER:
        first = date.month - 2
        return f"{calendar.month_abbr[first]}-{date:%b %Y}"
    return f"{date.year}"


def target_display(date: datetime.date | None, precision: str, text: str, *, complete: bool) -> str:
    """A target as the plan shows it: its date no more precisely than given, else the
    target as written ("Ongoing"), "Completed" for a complete action with no date."""
    if date is None:
        return "Completed" if complete else (text or "")
    return format_target(date, precision)


def end_of_month(year: int, month: int) -> datetime.date:
    """The last day of ``month`` in ``year``."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def end_of_span(date: datetime.date, precision: str) -> datetime.date:
    """The last day of the month or quarter ``date`` falls in; days and years as given.

    (A year may be a calendar or a financial year, so its last day is left to the caller.)
    """
    if precision == DatePrecision.MONTH:
        return end_of_month(date.year, date.month)
    if precision == DatePrecision.QUARTER:
        return end_of_month(date.year, (date.month + 2) // 3 * 3)
    return date


def is_overdue(*, complete: bool, target_date: datetime.date | None, as_of) -> bool:
    """Not complete, and ``as_of`` falls after the last day of the target span."""
    return not complete and target_date is not None and as_of > target_date


def times_moved(recorded_moves: int, target_date, original_target_date) -> int:
    """How many times a target has moved: the recorded moves, else one if it differs from
    the original."""
    if recorded_moves:
        return recorded_moves
    if None not in (target_date, original_target_date) and target_date != original_target_date:
        return 1
    return 0


def has_moved(before: datetime.date | None, after: datetime.date | None) -> bool:
    """The target went from ``before`` to another date ``after``."""
    return None not in (before, after) and after != before


def is_delayed(before: datetime.date | None, after: datetime.date | None) -> bool:
    """The target went from ``before`` to a later ``after``."""
    return None not in (before, after) and after > before


class TargetFacts:
    """``is_overdue`` for anything with a status and a target: a live action, or an
    action's snapshot at a period's close."""

    def is_overdue(self, as_of: datetime.date) -> bool:
        return is_overdue(complete=self.is_complete, target_date=self.target_date, as_of=as_of)
