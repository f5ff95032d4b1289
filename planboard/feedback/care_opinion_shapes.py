"""What planboard reads from Care Opinion's API v2, as plain dataclasses, and the
tolerant readers that make them from its JSON.

Care Opinion documents only part of its shapes (docs/feedback.md says which fields were
read in its documentation and which were taken from public client code), so every
reader here ignores fields it does not know, gives None for a missing optional one,
takes links in either documented shape (``rel``/``id``/``href``, or ``relation``/
``link``/``id``) and dates with or without ``Z``, an offset or a fraction of a second.
"""

import datetime
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass


class ChangeClaim(enum.StrEnum):
    """What a response says about changing something (Care Opinion's change logo)."""

    NONE = "none"
    PLANNED = "planned"
    MADE = "made"
    UNKNOWN = "unknown"


class Polarity(enum.StrEnum):
    """How a tag was applied: what was good, what could be improved, or neither."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Link:
    """A link to a related entity: what it is (``rel``), its id and its address."""

    rel: str
    id: str | None
    href: str | None


@dataclass(frozen=True)
class HealthService:
    """A service a story is about; ``code`` is its NACS/ODS (or ONS) code."""

    id: str | None
    name: str | None
    code: str | None
    type: str | None
    organisation: str | None = None
    site_code: str | None = None


@dataclass(frozen=True)
class Tag:
    """A tag applied to a story, with the polarity it was applied with."""

    name: str
    group: str | None
    polarity: Polarity
    polarity_raw: object = None


@dataclass(frozen=True)
class Response:
    """A published response to a story.

    ``change`` is read from ``changeScore`` (text) and ``changeInt`` (a number); both
    raw values are kept, as Care Opinion does not document what they may hold.
    """

    id: str | None
    author: str | None
    organisation: str | None
    published: datetime.datetime | None
    body: str | None
    change: ChangeClaim
    change_score: object = None
    change_int: object = None
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Story:
    """A story (Care Opinion calls it an opinion); ``body`` is Markdown, dates are UTC:
    ``submitted`` is the date the story was given (``dateOfSubmission``), ``published``
    the date Care Opinion published it (``dateOfPublication``).

    ``criticality`` is the moderator's view of the story's most critical statement.
    STAFF ONLY: Care Opinion does not publish it, so it must never reach a public page,
    export or paper for the public.
    """

    id: str
    title: str | None
    body: str | None
    submitted: datetime.datetime | None
    published: datetime.datetime | None
    author_role: str | None
    criticality: str | None
    progress: str | None = None
    author_age_group: str | None = None
    submission_route: str | None = None
    health_services: tuple[HealthService, ...] = ()
    tags: tuple[Tag, ...] = ()
    responses: tuple[Response, ...] = ()
    links: tuple[Link, ...] = ()


def read_datetime(value: object) -> datetime.datetime | None:
    """An ISO 8601 date or date and time as an aware UTC datetime, or None.

    A time without ``Z`` or an offset is UTC (Care Opinion gives every date in UTC); a
    fraction of a second may have any number of digits (.NET writes seven; past six
    they are dropped); a date alone
    is its midnight. Anything else (a number, an empty or unreadable text) is None.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text[-1:] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def read_change_claim(score: object, number: object) -> ChangeClaim:
    """The change claim of a response from ``changeScore`` and ``changeInt``.

    The text wins where it says something: any wording with "made" is a change made,
    with "plan" or "prepar" a change planned, "none" or "no change" none. Otherwise the
    number is read as 0 none, 1 planned, 2 made (an assumption: Care Opinion does not
    document it). Both missing, or a value matching neither, is unknown.
    """
    if isinstance(score, str) and score.strip():
        words = re.sub(r"[^a-z]", "", score.lower())
        if "made" in words:
            return ChangeClaim.MADE
        if "plan" in words or "prepar" in words:
            return ChangeClaim.PLANNED
        if words in {"none", "nochange", "nochangeclaimed", "no", "notset"}:
            return ChangeClaim.NONE
    integer = _integer(number)
    if integer is None and not isinstance(score, str):
        integer = _integer(score)
    return {0: ChangeClaim.NONE, 1: ChangeClaim.PLANNED, 2: ChangeClaim.MADE}.get(
        integer, ChangeClaim.UNKNOWN
    )


def read_polarity(value: object) -> Polarity:
    """A tag's polarity from a number (its sign) or a word (positive, negative...)."""
    integer = _integer(value)
    if integer is not None:
        if integer > 0:
            return Polarity.POSITIVE
        return Polarity.NEGATIVE if integer < 0 else Polarity.NEUTRAL
    if isinstance(value, str):
        word = value.strip().lower()
        if word in {"positive", "good", "+"}:
            return Polarity.POSITIVE
        if word in {"negative", "bad", "-", "could be improved"}:
            return Polarity.NEGATIVE
        if word in {"neutral", "none"}:
            return Polarity.NEUTRAL
    return Polarity.UNKNOWN


def read_links(value: object) -> tuple[Link, ...]:
    """Links in either shape; items without a relation are left out."""
    if not isinstance(value, list):
        return ()
    links = []
    for item in value:
        if not isinstance(item, dict):
            continue
        rel = _text(_first(item, "rel", "relation"))
        if rel:
            links.append(Link(rel, _text(item.get("id")), _text(_first(item, "href", "link"))))
    return tuple(links)


def read_health_service(raw: dict) -> HealthService:
    code = _text(_first(raw, "nacs", "code", "odsCode"))
    ident = _text(raw.get("id")) or code
    return HealthService(
        id=ident,
        name=_text(raw.get("name")),
        code=code or ident,
        type=_text(raw.get("type")),
        organisation=_name(raw.get("organisation")),
        site_code=_text(raw.get("siteNacs")),
    )


def read_tag(raw: dict) -> Tag | None:
    name = _text(raw.get("name"))
    if not name:
        return None
    polarity = raw.get("polarity")
    return Tag(name, _name(raw.get("group")), read_polarity(polarity), polarity)


def read_response(raw: dict) -> Response:
    score, number = raw.get("changeScore"), raw.get("changeInt")
    return Response(
        id=_text(raw.get("id")),
        author=_name(_first(raw, "responderName", "author", "responder", "authorName")),
        organisation=_name(
            _first(raw, "responderOrganisation", "organisation", "organisationName")
        ),
        published=read_datetime(
            _first(raw, "dateOfPublication", "dateOfResponse", "dateOfSubmission", "date")
        ),
        body=_text(_first(raw, "body", "text")),
        change=read_change_claim(score, number),
        change_score=score,
        change_int=number,
        links=read_links(raw.get("links")),
    )


def read_story(
    raw: dict,
    *,
    health_services: Iterable[dict] = (),
    tags: Iterable[dict] = (),
    responses: Iterable[dict] = (),
) -> Story:
    """A story from its opinion and the subcollections read for it (items that are not
    JSON objects are left out)."""
    read_tags = (read_tag(item) for item in tags if isinstance(item, dict))
    return Story(
        id=_text(raw.get("id")) or "",
        title=_text(raw.get("title")),
        body=_text(raw.get("body")),
        submitted=read_datetime(raw.get("dateOfSubmission")),
        published=read_datetime(raw.get("dateOfPublication")),
        author_role=_text(raw.get("authorRole")),
        criticality=_text(raw.get("criticality")),
        progress=_text(raw.get("progress")),
        author_age_group=_text(raw.get("authorAgeGroup")),
        submission_route=_text(raw.get("submissionRoute")),
        health_services=tuple(
            read_health_service(item) for item in health_services if isinstance(item, dict)
        ),
        tags=tuple(tag for tag in read_tags if tag is not None),
        responses=tuple(read_response(item) for item in responses if isinstance(item, dict)),
        links=read_links(raw.get("links")),
    )


def _first(raw: dict, *names: str) -> object:
    for name in names:
        if raw.get(name) not in (None, ""):
            return raw[name]
    return None


def _text(value: object) -> str | None:
    """A text or number as stripped text; anything else (or empty) as None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        return str(value).strip() or None
    return None


def _name(value: object) -> str | None:
    """A name given as text or as an object with a ``name``."""
    if isinstance(value, dict):
        return _text(_first(value, "name", "title"))
    return _text(value)


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None
