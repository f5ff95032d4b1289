"""The cells of a tracker's row read one by one: refs, target dates, statuses, headings.

A short field that receives a sentence ("Status: Work is under way with the PALS team")
does not fail the file: the sentence is progress commentary, kept as progress with a
note saying where it came from. Refs are kept exactly as written ("007", "1.2.3",
"2/14", "CQC-3"); those written as a number within the theme ("3") or as theme and
number ("1.3") also give the action's place in the plan.
"""

import datetime
import re

from planboard.imports.column_values import is_sentence, state_of
from planboard.imports.dates import COMPLETE_WORDS, DAY, TargetDate, parse_target
from planboard.imports.table_header import one_line
from planboard.plans.models import ActionStatus, DatePrecision, format_target, normalise_rating

REF_LENGTH = 50
HEADING_WORDS = 12
_REF = re.compile(r"^(\d{1,4})(?:\s*\.\s*(\d{1,4}))?\.?$")
_MIDNIGHT = re.compile(r"[ T]00:00(?::00)?$")
_HEADING = re.compile(
    r"^(?:work\s*-?\s*streams?|themes?|sections?|areas?|priority|priorities|objectives?|"
    r"domains?|strands?|parts?|programmes?|projects?|category|group|goals?|aims?|"
    r"ambitions?|pillars?|chapter|topic)\b",
    re.IGNORECASE,
)


def read_ref(
    value, theme: int | None, default_theme: int = 1
) -> tuple[tuple[int, int] | None, str]:
    """The place a ref gives (``(theme, number)``, or None when its shape gives none) and
    the ref as written. "1.3" -> (1, 3); "3" -> (theme or default_theme, 3); "A12" -> None.
    ``theme`` (--theme) wins. A sentence is no ref: ValueError."""
    written = one_line(value)
    if not written:
        return None, ""
    if is_sentence(written) or len(written) > REF_LENGTH:
        raise ValueError(f'"{written[:40]}" is not a ref')
    match = _REF.match(written)
    if match is None or int(match.group(2) or match.group(1)) == 0:
        return None, written
    if match.group(2) is None:
        return (theme or default_theme, int(match.group(1))), written
    return (theme or int(match.group(1)), int(match.group(2))), written


def read_target(value) -> tuple[TargetDate | None, str]:
    """A real date as given to the day; text through ``parse_target``; blank as None."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return TargetDate(value, DAY), format_target(value, DatePrecision.DAY)
    text = one_line(value)
    if not text:
        return None, ""
    try:
        return parse_target(_MIDNIGHT.sub("", text)), text
    except ValueError as err:
        raise ValueError(f"the target date {err}") from None


def read_status(value) -> str | None:
    words = normalise_rating(one_line(value)).rstrip(".")
    if not words:
        return None
    if words in COMPLETE_WORDS:
        return ActionStatus.COMPLETE
    return state_of(words) or ActionStatus.IN_PROGRESS


def later(first: TargetDate | None, second: TargetDate | None) -> TargetDate | None:
    """The later of two targets; one without a date (complete) counts as none."""
    dated = [t for t in (first, second) if t is not None and t.date is not None]
    return max(dated, key=lambda t: t.date) if dated else (first or second)


def is_heading(value, field: str | None, *, has_ref: bool) -> bool:
    """Whether a row whose only cell is ``value`` (in a column holding ``field``) heads the
    actions below it ("Workstream 2: Communication") rather than being an action."""
    text = one_line(value)
    if not text or len(text.split()) > HEADING_WORDS:
        return False
    letters = [c for c in text if c.isalpha()]
    if field in (None, "ref"):  # a column not read, or the ref column: a heading has words
        return len(letters) >= 3
    if field != "text":
        return False  # a lone area cell is read as an area already; others are not headings
    return bool(
        _HEADING.match(text)
        or text.endswith(":")
        # Beside a ref column a row without a ref heads the rows below, unless it ends as
        # a sentence does ("Run a listening event."): an action whose ref was left blank.
        or (has_ref and not text.endswith((".", "!", "?")))
        or (len(letters) > 3 and all(c.isupper() for c in letters))
    )


def heading_area(value) -> str:
    return one_line(value).rstrip(" :;-–")
