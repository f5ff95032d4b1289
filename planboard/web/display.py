"""How plan data reads on a page: RAG tags, target dates, leads, people's names, dates.

A rating is never shown by colour alone: every tag carries its text, and a rating the
strategy's key does not define is shown as written, marked "not in key", so a reader can
see at once where the paper breaks its own key.
"""

from dataclasses import dataclass

from django.utils import timezone

from planboard.papers.models import GenerationStatus
from planboard.plans.models import TagColour, normalise_rating, rating_differs
from planboard.plans.rag import colour_for_label
from planboard.progress.models import PeriodStatus, UpdateStatus

NOT_RATED = "Not rated"
NOT_IN_KEY = "Rating not in key"


@dataclass(frozen=True)
class RagBadge:
    """A rating as a tag: its text, its colour and how it relates to the key."""

    text: str
    colour: str
    in_key: bool
    rated: bool
    written: str = ""  # the rating as written, where it differs from ``text`` or maps to no level


def rag_badge(action) -> RagBadge:
    """The tag for ``action``'s rating: its level, its written text outside the key, or none."""
    return rating_badge(action.rag_level, action.rag_text)


def rating_badge(level, rag_text: str) -> RagBadge:
    """The tag for a rating given as its level (a ``RagLevel`` or None) and as written."""
    if level is not None:
        written = rag_text if rating_differs(rag_text, level.label) else ""
        return RagBadge(level.label, level.colour, in_key=True, rated=True, written=written)
    if rag_text:
        colour = colour_for_label(rag_text)
        return RagBadge(rag_text, colour, in_key=False, rated=True, written=rag_text)
    return RagBadge(NOT_RATED, TagColour.GREY, in_key=True, rated=False)


def snapshot_badge(snapshot) -> RagBadge:
    """The tag for a snapshot's rating, from the copy it keeps (never the live scale)."""
    if snapshot.rag_label:
        written = snapshot.rag_text
        if normalise_rating(written) == normalise_rating(snapshot.rag_label):
            written = ""
        return RagBadge(
            snapshot.rag_label, snapshot.rag_colour or TagColour.GREY, True, True, written
        )
    if snapshot.rag_text:
        text = snapshot.rag_text
        return RagBadge(text, colour_for_label(text), in_key=False, rated=True, written=text)
    return RagBadge(NOT_RATED, TagColour.GREY, in_key=True, rated=False)


def target_label(action) -> str:
    """The target as the paper writes it: "Mar 2017", or "Completed" once complete."""
    return target_words(action.target_display, complete=action.is_complete)


def target_words(display: str, *, complete: bool) -> str:
    """A target's words on a page, from its ``target_display``."""
    if complete:
        return "Completed"
    return display or "No target date"


def lead_names(action) -> str:
    """The leads' short names ("EM, Head of SUEMU"), or the leads as written if none resolved."""
    names = [role.short_name for role in action.leads.all()]
    if names:
        return ", ".join(names)
    return action.lead_text


def period_status(period) -> PeriodStatus:
    """A reporting period's status, with its label and the colour of its tag."""
    return PeriodStatus(period.status)


def file_status(file) -> GenerationStatus:
    """A paper file's status, with its label and the colour of its tag."""
    return GenerationStatus(file.status)


def update_status_words(status: str) -> str:
    """An update's status in words ("Waiting for review"); as kept, if it is no status now."""
    if status in UpdateStatus.values:
        return UpdateStatus(status).label
    return status


#: How the pages write a date, by the name templates give its ``date`` filter.
DATE_FORMATS = {
    "day": "%-d %B %Y",  # 8 March 2017
    "short_day": "%-d %b %Y",  # 8 Mar 2017
    "month": "%b %Y",  # Mar 2017
    "moment": "%-d %b %Y at %H:%M",  # 8 Mar 2017 at 14:05, in the site's time zone
}


def written_date(value, style: str = "day") -> str:
    """``value`` written in the named style of ``DATE_FORMATS``: "8 March 2017" by default.

    A "moment" (a date and time) is shown in the site's time zone; the other styles
    write the date as it is given. An unknown style is an error, not a guess.
    """
    if style == "moment":
        value = timezone.localtime(value)
    return value.strftime(DATE_FORMATS[style])


def percent(rate) -> str:
    """A rate between 0 and 1 as a whole percentage ("75%"); a dash when there is none."""
    if rate is None:
        return "–"
    return f"{round(rate * 100)}%"
