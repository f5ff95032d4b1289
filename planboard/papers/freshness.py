"""Whether a paper file made earlier still says what the paper says now.

A file records what it was made from: two SHA-256 fingerprints, one of the ``Paper`` it
was written from (``content.build_paper``: everything it prints, the plan's records,
the period's snapshots and updates, the RAG key, the findings, what changed, the front
matter and the cover sheet as printed) and one of the paper's cover sheet as the
governance team edits it (every field of ``covers.EDITABLE``). Every format prints
only what the ``Paper`` holds, so a file is out of date exactly when the paper built
now differs from the one it was written from; the cover sheet's fingerprint then says
whether the cover sheet changed, or else the plan and the period's data did.

This costs one query, the cover sheet, beside building the paper: the worker
fingerprints the paper it has just built, and the paper page the paper it builds for
its preview. Viewing a page, saving a cover sheet with nothing changed or making
another file changes no fingerprint; nor does a change the paper does not print.

A file with no fingerprints (made before they were kept, or brought in by
``planboard import-json`` without them) is shown as it always was: ready.
"""

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from django.db import models

from planboard.papers.covers import EDITABLE
from planboard.plans.models import TagColour, tag_colours


@dataclass(frozen=True)
class MadeFrom:
    """The fingerprints of a paper as printed, and of its cover sheet as edited."""

    paper: str
    cover: str


class Freshness(models.TextChoices):
    """A made file beside the paper as it is now."""

    READY = "ready", "Ready"
    OUT_OF_DATE = "out-of-date", "Out of date"

    colour = tag_colours({"ready": TagColour.GREEN, "out-of-date": TagColour.ORANGE})


COVER_CHANGED = "The cover sheet has changed since this file was made."
DATA_CHANGED = "The plan or the period's updates have changed since this file was made."


def made_from(paper, sheet) -> MadeFrom:
    """The fingerprints of ``paper`` (a ``Paper``) and of ``sheet``, the cover sheet it
    was built with (``covers.cover_for``)."""
    return MadeFrom(
        paper=_digest(paper),
        cover=_digest({name: getattr(sheet, name) for name in EDITABLE}),
    )


def freshness(file, now: MadeFrom) -> Freshness | None:
    """Whether the done ``file`` was made from the paper as it is ``now``; None for a file
    not done, or one that kept no fingerprints."""
    if not file.is_ready or not (file.made_from_paper and file.made_from_cover):
        return None
    if file.made_from_paper == now.paper:
        return Freshness.READY
    return Freshness.OUT_OF_DATE


def what_changed(file, now: MadeFrom) -> str:
    """One sentence saying what changed since ``file`` was made ("" if nothing did)."""
    if file.made_from_paper == now.paper:
        return ""
    return COVER_CHANGED if file.made_from_cover != now.cover else DATA_CHANGED


def _digest(value) -> str:
    text = json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    """``value`` as JSON can write it, the same way each time: dataclasses as their
    fields, tuples as lists, dates and anything else as their text. A part added to the
    paper later (marked ``absent_when_none``) is left out while a paper has none, so the
    files made before it was added keep their fingerprints."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get("absent_when_none") and getattr(value, f.name) is None)
        }
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
