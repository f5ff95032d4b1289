"""The import page's steps as services: stage an upload, set its mapping, confirm, discard.

Nothing of the plan is written before the confirmation: the table read from the upload
is kept as a ``PendingImport`` between the steps, visible only to the person who
uploaded it, and the confirmation is one ``import_table`` transaction whose history
rows name the person and the file. The file is read once, when it is uploaded; the
preview, the mapping and the import start from the table kept, with where the rows
without a theme go (``destination``: a theme of the strategy, a new theme or a new
strategy, chosen on upload and changeable on the preview). Only the governance team
imports.
"""

from django.db import transaction

from planboard.imports.destination import INTO_NEW_STRATEGY, Destination, check_destination
from planboard.imports.models import PendingImport
from planboard.imports.table_header import check_mapping
from planboard.imports.table_import import import_table, preview
from planboard.imports.tables import RawTable, read_table_bytes
from planboard.lib.services import service
from planboard.people.permissions import require_governance

DOING = "import actions"


def read_pending(pending: PendingImport) -> RawTable:
    """The uploaded table, as it was read when it was uploaded."""
    return RawTable.from_json(pending.parsed)


def destination_of(pending: PendingImport, strategy) -> Destination:
    """Where the upload's rows without a theme go, checked again now (a theme chosen may
    have gone, a strategy of the name chosen may have been made since)."""
    return check_destination(strategy, pending.destination)


def preview_of(pending: PendingImport, strategy, raw=None, mapping=None):
    """The upload's preview as it will be imported, into the destination chosen."""
    into = check_destination(strategy, pending.destination)
    target = None if into.into == INTO_NEW_STRATEGY else strategy
    raw = raw or read_pending(pending)
    return preview(raw, target, mapping or pending.mapping or None, into=into)


@service
@transaction.atomic
def stage_import(
    strategy, *, data: bytes, filename: str, sheet: str = "", destination=None, user
) -> PendingImport:
    """Keep an upload whose table reads and previews, for its confirmation, with where
    its rows without a theme go (``destination``, as ``check_destination`` takes it).

    Raises ``PaperError`` (one line naming the file and row) when it does not read, and
    ``DestinationError`` (naming the field) for a destination that cannot be taken;
    uploads never confirmed are cleared out after a day, when anyone uploads another.
    """
    require_governance(user, DOING)
    into = check_destination(strategy, destination)
    raw = read_table_bytes(data, filename, sheet=sheet or None)
    preview(raw, None if into.into == INTO_NEW_STRATEGY else strategy, into=into)
    return keep_table(strategy, raw, filename, sheet, len(data), user, into.as_json())


def keep_table(strategy, raw: RawTable, filename: str, sheet: str, size: int, user, into=None):
    """The table read from an upload, kept for its preview and confirmation (for
    ``stage_import``, and for a worker that read a large upload)."""
    PendingImport.objects.stale().delete()
    return PendingImport.objects.create(
        strategy_slug=strategy.slug,
        filename=filename[:255],
        parsed=raw.as_json(),
        sheet=sheet,
        size=size,
        uploaded_by=user,
        destination=into or {},
    )


@service
def set_import_destination(pending: PendingImport, strategy, destination: dict, *, user):
    """Change where the upload's rows without a theme go; ``DestinationError`` naming the
    field when the choice cannot be taken."""
    require_governance(user, DOING)
    into = check_destination(strategy, destination)
    pending.destination = into.as_json()
    pending.save(update_fields=["destination"])
    return into


@service
def set_import_mapping(pending: PendingImport, strategy, mapping: dict, *, user, raw=None):
    """Take ``mapping`` (header to field) for the upload if the table previews with it;
    the preview, or ``PaperError``. ``raw`` is the table when the caller has read it."""
    require_governance(user, DOING)
    check_mapping(mapping, source=pending.filename)
    shown = preview_of(pending, strategy, raw, mapping)
    pending.mapping = mapping
    pending.save(update_fields=["mapping"])
    return shown


@service
@transaction.atomic
def confirm_import(pending: PendingImport, strategy, *, user) -> dict:
    """Import the upload into ``strategy`` in one transaction; its summary."""
    require_governance(user, DOING)
    summary = import_table(
        read_pending(pending),
        strategy_slug=strategy.slug,
        mapping=pending.mapping or None,
        into=destination_of(pending, strategy),
        listed_under=strategy.slug,
        user=user,
    )
    pending.delete()
    return summary


@service
def discard_import(pending: PendingImport, *, user) -> None:
    """Forget an upload that will not be imported."""
    require_governance(user, DOING)
    pending.delete()
