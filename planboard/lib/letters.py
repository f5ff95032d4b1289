"""How planboard writes in the e-mails it sends: dates as a letter writes them, and an
action's text on one line."""

import datetime
import textwrap

SHORT_TEXT = 90


def long_date(day: datetime.date) -> str:
    """A date as a letter writes it: "31 March 2017"."""
    return f"{day.day} {day:%B %Y}"


def shorten(text: str, width: int = SHORT_TEXT) -> str:
    """The action's text on one line, cut at a word so a list of them stays readable."""
    return textwrap.shorten(" ".join((text or "").split()), width=width, placeholder="...")
