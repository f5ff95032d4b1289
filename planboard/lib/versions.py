"""No lost work: a save made from an out-of-date form is refused, never written over.

Every record people edit in a form (an update, a cover sheet, a public summary, an
action) carries a ``version``. The form sends back the version it was built from, and
``claim`` compares and bumps it in one UPDATE statement, so of two people who opened
the same version exactly one saves; the other gets ``EditConflict`` with the record as
it now is, to show beside their own words so they can compare and save again.
"""

from django.db.models import F


class EditConflict(Exception):
    """Someone else saved first; ``current`` is the record as it now is (or None)."""

    default_message = "Someone else saved this after you opened it, so yours was not saved."

    def __init__(self, current, message=None):
        super().__init__(message or self.default_message)
        self.current = current


def claim(model, expected_version, *, conflict=EditConflict, reread=None, **lookup) -> None:
    """Take the record of ``model`` found by ``lookup`` for writing at ``expected_version``.

    The version is compared and bumped in one statement, so the caller then reads the
    record (with its new version) to change and save it. When the version has moved on,
    or the record is gone, ``conflict`` is raised with the record as it now is (or None),
    read through ``reread`` (a queryset; ``model``'s default manager otherwise).
    """
    rows = model._default_manager.filter(**lookup)
    if not rows.filter(version=expected_version).update(version=F("version") + 1):
        current = (reread if reread is not None else model._default_manager).filter(**lookup)
        raise conflict(current.first())


def claim_record(record, version: int | None = None) -> None:
    """``claim`` for a record in hand: take it for writing at ``version``, the one its
    form was opened at (the record's own when None), and give it the version it now has."""
    opened = record.version if version is None else version
    claim(type(record), opened, pk=record.pk)
    record.version = opened + 1


def moved_on(model, pk, opened_version):
    """The saved record when it has moved on from ``opened_version`` (a form about to be
    saved over it would lose someone's work), else None. The row stays locked until the
    transaction ends, so nobody can slip in between this check and the save."""
    saved = model._default_manager.select_for_update().filter(pk=pk).first()
    if saved is None or saved.version == opened_version:
        return None
    return saved
