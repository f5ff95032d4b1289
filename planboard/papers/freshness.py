"""Whether a paper file made earlier still says what the paper says now.

A file records what it was made from: two SHA-256 fingerprints of the ``Paper`` it
was written from (``content.build_paper``), one of the parts the cover sheet fills in
(``COVER_PARTS``) and one of everything else (the plan's records it prints, the
period's snapshots and updates, the RAG key, the findings, what changed). Every format
prints only what the ``Paper`` holds, so a file is out of date exactly when the paper
built now differs from the one it was written from, and the fingerprint that changed
says whether the cover sheet or the plan and period data did.

This costs no query of its own: the worker fingerprints the paper it has just built,
and the paper page fingerprints the paper it builds for its preview. Viewing a page,
saving a cover sheet with nothing changed or making another file changes no
fingerprint. A part added to ``Paper`` is fingerprinted with the data on its own; one
filled in from the cover sheet belongs in ``COVER_PARTS``.

A file with no fingerprints (made before they were kept, or brought in by
``planboard import-json`` from elsewhere) is shown as it always was: ready.
"""

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from django.db import models

from planboard.plans.models import TagColour, tag_colours

# The parts of ``Paper`` filled in from the paper's cover sheet.
COVER_PARTS = ("cover", "framework_ticks", "summary", "purpose_ticks")


@dataclass(frozen=True)
class MadeFrom:
    """The fingerprints of a paper: its cover sheet's parts and all the rest."""

    cover: str
    data: str


class Freshness(models.TextChoices):
    """A made file beside the paper as it is now."""

    READY = "ready", "Ready"
    OUT_OF_DATE = "out-of-date", "Out of date"

    colour = tag_colours({"ready": TagColour.GREEN, "out-of-date": TagColour.ORANGE})


CHANGED = {
    (True, False): "The cover sheet has changed since this file was made.",
    (False, True): "The plan or the period's updates have changed since this file was made.",
    (True, True): (
        "The cover sheet, and the plan or the period's updates, have changed since this "
        "file was made."
    ),
}


def made_from(paper) -> MadeFrom:
    """The fingerprints of ``paper`` (a ``Paper``)."""
    parts = {field.name: getattr(paper, field.name) for field in dataclasses.fields(paper)}
    cover = {name: parts.pop(name) for name in COVER_PARTS}
    return MadeFrom(cover=_digest(cover), data=_digest(parts))


def freshness(file, now: MadeFrom) -> Freshness | None:
    """Whether the done ``file`` was made from the paper as it is ``now``; None for a file
    not done, or one that kept no fingerprints."""
    if not file.is_ready or not (file.made_from_cover and file.made_from_data):
        return None
    if (file.made_from_cover, file.made_from_data) == (now.cover, now.data):
        return Freshness.READY
    return Freshness.OUT_OF_DATE


def what_changed(file, now: MadeFrom) -> str:
    """One sentence saying what changed since ``file`` was made ("" if nothing did)."""
    key = (file.made_from_cover != now.cover, file.made_from_data != now.data)
    return CHANGED.get(key, "")


def _digest(value) -> str:
    text = json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    """``value`` as JSON can write it, the same way each time: dataclasses as their
    fields, tuples as lists, dates and anything else as their text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=json.dumps)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return str(value)
