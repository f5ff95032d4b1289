"""The import page's steps as services: stage an upload, set its mapping, confirm, discard.

Nothing of the plan is written before the confirmation: the table read from the upload
is kept as a ``PendingImport`` between the steps, visible only to the person who
uploaded it, and the confirmation is one ``import_table`` transaction whose history
rows name the person and the file. The file is read once, when it is uploaded; the
preview, the mapping and the import start from the table kept. Only the governance
team imports.
"""

from django.db import transaction

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


@service
@transaction.atomic
def stage_import(strategy, *, data: bytes, filename: str, sheet: str = "", user) -> PendingImport:
    """Keep an upload whose table reads and previews, for its confirmation.

    Raises ``PaperError`` (one line naming the file and row) when it does not; uploads
    never confirmed are cleared out after a day, when anyone uploads another.
    """
    require_governance(user, DOING)
    raw = read_table_bytes(data, filename, sheet=sheet or None)
    preview(raw, strategy)
    return keep_table(strategy, raw, filename, sheet, len(data), user)


def keep_table(strategy, raw: RawTable, filename: str, sheet: str, size: int, user):
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
    )


@service
def set_import_mapping(pending: PendingImport, strategy, mapping: dict, *, user, raw=None):
    """Take ``mapping`` (header to field) for the upload if the table previews with it;
    the preview, or ``PaperError``. ``raw`` is the table when the caller has read it."""
    require_governance(user, DOING)
    check_mapping(mapping, source=pending.filename)
    shown = preview(raw or read_pending(pending), strategy, mapping)
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
        user=user,
    )
    pending.delete()
    return summary


@service
def discard_import(pending: PendingImport, *, user) -> None:
    """Forget an upload that will not be imported."""
    require_governance(user, DOING)
    pending.delete()
