"""Importing feedback items from a table (CSV, .xlsx or .xlsm): Friends and Family Test
comments, survey answers, complaints, compliments ... one item a row, from the source
the importer chooses (a Friends and Family Test comment unless told).

Columns are recognised by their headers (``recognise``): the id, the date it was given,
the service's code or name (a ward's over a site's over a trust's; "Location 3" over
"Location 1"), the text, a title, the Friends and Family Test answer or score, the
author's role, tags and whether it raises a concern. A file with a "What was good" and
a "What could be improved" column gives one item a row holding both texts, each under
its heading; tags in a column headed for one of them ("Positive tags", "Tags what could
be improved") take its polarity, other tags are neutral. The answer becomes a tag
("FFT: Good"), positive for Very good and Good, negative for Poor and Very poor; a score
of 1 to 5 is read as Very poor to Very good.

Each row is recorded through ``record_item``, by its id at the source, so a second
import updates and never duplicates. A row without an id gets a stable one: "row-" and
the first 16 hex digits of the SHA-256 of its date, service code (else name) and text,
so the same row imported again is the same item. A file with any bad row writes nothing.
"""

import hashlib
import re

from django.db import transaction

from planboard.feedback.models import TEXT_LIMIT, Polarity, Service, Source
from planboard.feedback.services import clean_item, record_item, services_for_codes
from planboard.imports.feedback_fft import recognise as recognise_place
from planboard.imports.feedback_tables import (
    Cells,
    ImportSummary,
    TableRefused,
    find_feedback_header,
    read_day,
    read_feedback_table,
)
from planboard.lib.services import ServiceError, service
from planboard.people.permissions import require_feedback_rights

HEADERS = {
    "id": {
        "id",
        "comment id",
        "feedback id",
        "response id",
        "reference",
        "ref",
        "record id",
        "case id",
        "complaint id",
        "story id",
        "source id",
        "unique id",
    },
    "date": {
        "date",
        "comment date",
        "feedback date",
        "response date",
        "date received",
        "date given",
        "date of feedback",
        "date of comment",
        "submitted",
        "received",
        "date submitted",
        "survey date",
        "date of response",
    },
    "text": {
        "comment",
        "comments",
        "comment text",
        "comment txt",
        "text",
        "feedback",
        "free text",
        "story",
        "details",
        "description",
        "what you said",
    },
    "good": {
        "what was good",
        "what went well",
        "what did we do well",
        "positive comment",
        "positive comments",
        "what was good about your experience",
        "best thing",
    },
    "better": {
        "what could be better",
        "what could be improved",
        "what could we improve",
        "what could we do better",
        "what would have made your experience better",
        "negative comment",
        "negative comments",
        "what could be done better",
        "improve",
        "improvements",
    },
    "title": {"title", "subject", "summary", "headline"},
    "answer": {
        "fft",
        "fft answer",
        "fft score",
        "fft response",
        "score",
        "rating",
        "overall",
        "answer",
        "overall experience",
        "how was your experience",
    },
    "role": {
        "author role",
        "role",
        "respondent",
        "respondent type",
        "author",
        "relationship",
        "patient or carer",
        "service user or carer",
        "who",
    },
    "tags": {
        "tags",
        "tag",
        "category",
        "categories",
        "theme",
        "themes",
        "sub category",
        "subcategory",
        "super category",
        "topic",
        "topics",
    },
    "good_tags": {"positive tags", "tags what was good", "what was good tags", "good tags"},
    "better_tags": {
        "negative tags",
        "tags what could be improved",
        "improvement tags",
        "what could be improved tags",
        "tags what could be better",
    },
    "concern": {"raised concern", "raises concern", "concern", "concern raised", "is concern"},
}
BY_WORDS = {words: name for name, all_words in HEADERS.items() for words in all_words}
_LOCATION = re.compile(r"^location (\d)$")
ANSWERS = {
    "very good": ("Very good", Polarity.POSITIVE),
    "good": ("Good", Polarity.POSITIVE),
    "neither good nor poor": ("Neither good nor poor", Polarity.NEUTRAL),
    "neither": ("Neither good nor poor", Polarity.NEUTRAL),
    "poor": ("Poor", Polarity.NEGATIVE),
    "very poor": ("Very poor", Polarity.NEGATIVE),
    "dont know": ("Don't know", Polarity.NEUTRAL),
}
SCORES = {"5": "very good", "4": "good", "3": "neither", "2": "poor", "1": "very poor"}
YES = {"yes", "y", "true", "1", "concern", "x"}
NO = {"no", "n", "false", "0", ""}


def recognise(words: str):
    if words in BY_WORDS:
        return BY_WORDS[words], 0
    if words.startswith(("what was good", "what went well", "what did we do well")):
        return "good", 0
    if words.startswith("what") and ("better" in words or "improve" in words):
        return "better", 0
    if match := _LOCATION.match(words):
        return "name", 10 + int(match.group(1))
    place = recognise_place(words)
    return place if place and place[0] in ("code", "name") else None


def _enough(fields) -> str | None:
    if not {"text", "good", "better"} & fields.keys():
        return 'no column of comments (a header such as Comment, Text or "What was good")'
    return None


def _answer_tag(cells: Cells):
    written = cells.text("answer")
    words = " ".join(re.sub(r"[^a-z0-9 ]", "", written.casefold()).split())
    words = SCORES.get(words.removesuffix(".0"), words)
    if not written:
        return None
    if words not in ANSWERS:
        cells.bad("answer", f'"{written}" is not an answer (Very good ... Very poor, or 1 to 5)')
        return None
    label, polarity = ANSWERS[words]
    return f"FFT: {label}", polarity


def _tags(cells: Cells) -> list:
    tags = []
    for name, polarity in (
        ("tags", Polarity.NEUTRAL),
        ("good_tags", Polarity.POSITIVE),
        ("better_tags", Polarity.NEGATIVE),
    ):
        for label in re.split(r"[;,|\n]", cells.text(name)):
            if label.strip():
                tags.append((label.strip()[:100], polarity))
    answer = _answer_tag(cells)
    return tags + ([answer] if answer else [])


def _text(cells: Cells) -> str:
    parts = [cells.text("text")] if cells.text("text") else []
    for name, heading in (("good", "What was good"), ("better", "What could be improved")):
        if cells.text(name):
            parts.append(f"{heading}: {cells.text(name)}")
    return "\n\n".join(parts)


def _stable_id(given_on, place: str, text: str) -> str:
    key = f"{given_on.isoformat() if given_on else ''}|{place}|{text}"
    return "row-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def read_item_rows(strategy, table, source: str) -> list[tuple[int, dict]]:
    """The items of ``table``'s rows (row number, values for ``record_item``), or a
    ``TableRefused`` listing every bad row."""
    header = find_feedback_header(table, recognise, _enough)
    errors, rows, seen = [], [], {}
    services = {s.name.casefold(): s for s in Service.objects.filter(strategy=strategy)}
    cells_of = [Cells(table, header, i, errors) for i in range(header.index + 1, len(table.rows))]
    by_code = services_for_codes(strategy, {c.text("code") for c in cells_of if c.text("code")})
    for cells in cells_of:
        text = _text(cells)
        if not text:
            if any(value not in ("", None) for value in cells.raw.cells):
                cells.row_bad("there is no comment in it")
            continue
        given_on = None
        if cells.has("date") and cells.text("date"):
            try:
                given_on = read_day(cells.cell("date"))
            except ValueError as error:
                cells.bad("date", str(error))
        code, name = cells.text("code").upper(), cells.text("name")
        place = by_code.get(code) or services.get(name.casefold())
        concern = cells.text("concern").casefold()
        if concern not in YES | NO:
            cells.bad("concern", f'"{cells.text("concern")}" is not yes or no')
        values = {
            "source": source,
            "source_id": cells.text("id") or _stable_id(given_on, code or name, text),
            "given_on": given_on,
            "title": cells.text("title"),
            "text": text[: TEXT_LIMIT + 1],
            "author_role": cells.text("role"),
            "raised_concern": concern in YES,
            "services": [place] if place else [],
            "tags": _tags(cells),
            "unmatched": None if place or not (code or name) else code or name,
        }
        if values["source_id"] in seen:
            cells.bad("id", f"{values['source_id']} is also on row {seen[values['source_id']]}")
        seen[values["source_id"]] = cells.raw.number
        try:
            clean_item(strategy, {k: v for k, v in values.items() if k != "unmatched"})
        except ServiceError as error:
            column = {"source_id": "id", "author_role": "role"}.get(error.field, error.field)
            cells.bad(column, str(error))
        rows.append((cells.raw.number, values))
    if errors:
        raise TableRefused(errors)
    return rows


@service
@transaction.atomic
def import_feedback(
    strategy, data: bytes, filename: str, *, user, source=Source.FFT_COMMENT, dry_run=False
) -> ImportSummary:
    """Record the feedback items of the file, all of them or (any row bad) none; a dry
    run records them and rolls them back, to say what would be created or updated."""
    require_feedback_rights(user, "import feedback")
    if source not in Source.values:
        raise ServiceError("Choose where the feedback came from.", "source")
    rows = read_item_rows(strategy, read_feedback_table(data, filename), source)
    summary = ImportSummary("Feedback items", dry_run=dry_run)
    with transaction.atomic():
        for _, values in rows:
            unmatched = values.pop("unmatched")
            if unmatched and unmatched not in summary.unmatched:
                summary.unmatched.append(unmatched)
            outcome = record_item(strategy, user=user, **values).outcome
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        if dry_run:
            transaction.set_rollback(True)
    return summary
