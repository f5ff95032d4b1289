"""How planboard writes a date in words ("31 March 2017"), in its e-mails, papers and
messages alike, and an action's text on one line for an e-mail."""

import datetime
import textwrap

SHORT_TEXT = 90


def long_date(day: datetime.date) -> str:
    """A date as a letter writes it: "31 March 2017"."""
    return f"{day.day} {day:%B %Y}"


def shorten(text: str, width: int = SHORT_TEXT) -> str:
    """The action's text on one line, cut at a word so a list of them stays readable."""
    return textwrap.shorten(" ".join((text or "").split()), width=width, placeholder="...")
