"""Each paper's cover sheet: prefilled from the paper before it, edited, frozen at close.

A period's paper reads its own cover sheet when one has been saved. Until then it is
prefilled from the latest earlier period's cover sheet, or else from the strategy's own
(the one imported with its last paper). Closing a period saves the prefilled sheet, so
a closed period's paper keeps its cover sheet when later papers are edited.

Edits are version-checked: a save made from an out-of-date form is refused with
``CoverConflict`` rather than overwriting what someone else saved in between.
"""

from django.db import IntegrityError, transaction
from django.dispatch import receiver

from planboard.lib import versions
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.papers.models import CoverSheet
from planboard.people.permissions import require_governance
from planboard.progress.signals import period_closed

# The fields a person edits; the rest (strategy, period, version) are the record's own.
EDITABLE = tuple(
    field.name
    for field in CoverSheet._meta.concrete_fields
    if field.name not in ("id", "strategy", "period", "version")
)

TEXT_LIMIT = 10_000  # characters in any one long field: pages of text, never a file

PURPOSES = (
    "For approval",
    "For collective decision",
    "To report progress",
    "To seek input",
    "For information",
)


def length_limit(name: str) -> int | None:
    """How many characters the cover sheet field ``name`` may hold (None: not text)."""
    field = CoverSheet._meta.get_field(name)
    if field.get_internal_type() == "TextField":
        return TEXT_LIMIT
    return field.max_length if field.get_internal_type() == "CharField" else None


def check_value(name: str, value) -> None:
    """Refuse a value too long for the cover sheet field ``name``, naming the field."""
    limit = length_limit(name)
    if limit is not None and isinstance(value, str) and len(value) > limit:
        label = str(CoverSheet._meta.get_field(name).verbose_name)
        raise ServiceError(
            f"{label[:1].upper()}{label[1:]} must be {limit} characters or fewer", name
        )


class CoverConflict(versions.EditConflict):
    """Someone saved the cover sheet after the form was opened; ``current`` is theirs."""

    default_message = "The cover sheet was changed by someone else."


def cover_for(strategy, period) -> CoverSheet:
    """The cover sheet of ``period``'s paper: saved, or prefilled (unsaved, version 0).

    With no period, the strategy's own cover sheet (or an empty one).
    """
    sheets = {
        sheet.period_id: sheet
        for sheet in CoverSheet.objects.filter(strategy=strategy).select_related("period")
    }
    if period is None:
        return sheets.get(None) or CoverSheet(strategy=strategy, version=0)
    if period.pk in sheets:
        return sheets[period.pk]
    earlier = [
        sheet
        for sheet in sheets.values()
        if sheet.period is not None and sheet.period.starts_on < period.starts_on
    ]
    source = max(earlier, key=lambda sheet: sheet.period.starts_on, default=sheets.get(None))
    prefilled = CoverSheet(strategy=strategy, period=period, version=0)
    if source is not None:
        for name in EDITABLE:
            setattr(prefilled, name, getattr(source, name))
    if not prefilled.purpose_ticks:
        prefilled.purpose_ticks = [{"label": label, "ticked": False} for label in PURPOSES]
    return prefilled


@service
@transaction.atomic
def save_cover(strategy, period, values: dict, *, version: int, user) -> CoverSheet:
    """Save ``values`` (field name to value) as ``period``'s cover sheet.

    ``version`` is the version the form showed (0 for a prefilled sheet never saved).
    Raises ``CoverConflict`` when the saved sheet has moved on since. ``user`` None is
    the command line (``planboard import-json``).
    """
    require_governance(user, "edit cover sheets", command_line_ok=True)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not cover sheet fields: {', '.join(sorted(unknown))}.")
    for name, value in values.items():
        check_value(name, value)
    if version == 0:
        sheet = cover_for(strategy, period)
        if sheet.pk is not None:
            raise CoverConflict(sheet)
        for name, value in values.items():
            setattr(sheet, name, value)
        sheet.version = 1
        attribute(sheet, user, "Cover sheet written")
        try:
            with transaction.atomic():
                sheet.save()
        except IntegrityError:
            raise CoverConflict(cover_for(strategy, period)) from None
        return sheet
    versions.claim(CoverSheet, version, conflict=CoverConflict, strategy=strategy, period=period)
    sheet = cover_for(strategy, period)
    for name, value in values.items():
        setattr(sheet, name, value)
    attribute(sheet, user, "Cover sheet edited")
    sheet.save()
    return sheet


@service
@transaction.atomic
def delete_cover(sheet, *, user) -> None:
    """Delete a saved cover sheet; the paper falls back to a prefilled one."""
    require_governance(user, "edit cover sheets")
    attribute(sheet, user, "Cover sheet deleted")
    sheet.delete()


@receiver(period_closed, dispatch_uid="papers.freeze_cover")
def freeze_cover(sender, period, user, **kwargs):
    """Save the closing period's prefilled cover sheet if nobody has saved one yet."""
    sheet = cover_for(period.strategy, period)
    if sheet.pk is None:
        sheet.version = 1
        attribute(sheet, user, "Cover sheet kept when the period closed")
        sheet.save()
