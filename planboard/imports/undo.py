"""Undoing a table import: every record it created deleted, every change it made reversed.

An import is recorded (``record_import``) in its own transaction, whether written in the
request or by a worker: the pks of what it created and the history ids of what it
changed. ``undo_import`` reverses all of it in one transaction, each reversal a history
row with the reason "Undid the import of FILE". It refuses, changing nothing, when the
undo would lose work done since (a record the import created or changed was edited, an
update was given on an action it created, an action was published or added to a theme
it created ...), naming each, and once a reporting period has closed after the import:
the period's snapshot and paper hold what the import wrote.
"""

from django.apps import apps
from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from planboard.imports.models import ConfirmedImport
from planboard.imports.table_writer import Changes
from planboard.lib import clock
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.people.permissions import require_governance
from planboard.plans.models import Action
from planboard.progress.models import ReportingPeriod

DOING = "undo an import"
SHOWN = 5  # later edits named in a refusal; the rest are counted


class UndoRefused(ServiceError):
    """An import that cannot be undone; the message says why, in one line."""


def record_import(strategy, raw, done, *, created: bool, summary: dict, listed_under, user):
    """Keep what an import did (``done``, a ``table_writer.Done``) for its undoing; called
    inside the import's transaction. An import that changed nothing leaves no record:
    there is nothing to undo."""
    if not done.made and not done.history:
        return None
    if created:
        done.created([strategy, *strategy.rag_levels.all()])
    return ConfirmedImport.objects.create(
        strategy_slug=strategy.slug,
        listed_under=listed_under,
        source=raw.source[:255],
        imported_by=user,
        strategy_created=created,
        summary=summary,
        created=done.made,
        changed=done.history,
    )


def closed_since(record: ConfirmedImport):
    """The first reporting period of the strategy closed after the import, or None."""
    return (
        ReportingPeriod.objects.filter(
            strategy__slug=record.strategy_slug, closed_at__gt=record.imported_at
        )
        .order_by("closed_at")
        .first()
    )


@service
@transaction.atomic
def undo_import(record: ConfirmedImport, *, user) -> ConfirmedImport:
    """Reverse everything ``record``'s import did, or refuse (``UndoRefused``) and change
    nothing."""
    require_governance(user, DOING)
    record = ConfirmedImport.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None:
        raise UndoRefused(f"The import of {record.source} has already been undone.")
    period = closed_since(record)
    if period is not None:
        raise UndoRefused(
            f"The import of {record.source} can no longer be undone: {period.label} has "
            "closed since, and its snapshot holds what the import wrote."
        )
    reason = f"Undid the import of {record.source}"[:100]
    lost = _restore(record, user, reason)
    if not lost:
        lost = _delete(record, user, reason)
    if lost:
        more = f"; and {len(lost) - SHOWN} more" if len(lost) > SHOWN else ""
        raise UndoRefused(
            f"Undoing the import of {record.source} would lose later edits: "
            + "; ".join(lost[:SHOWN])
            + more
            + "."
        )
    record.undone_at = clock.now()
    record.undone_by = user
    record.save(update_fields=["undone_at", "undone_by"])
    return record


def _models(labels):
    """The models of ``labels``, actions first and the strategy last: what depends on
    another is collected for deleting before it."""
    order = {"plans.action": 0, "plans.strategy": 2}
    ordered = sorted(labels, key=lambda label: (order.get(label, 1), label))
    return [(label, apps.get_model(label)) for label in ordered]


def _name(obj) -> str:
    if isinstance(obj, Action):
        return f"action {obj.ref}"
    return f'{obj._meta.verbose_name} "{obj}"'


def _restore(record, user, reason) -> list[str]:
    """Put back every record the import changed as it was before; what stops it."""
    lost = []
    for label, model in _models(record.changed):
        history = model.history.model
        ids = record.changed[label]
        made = {h.id: h for h in history.objects.filter(history_id__in=ids)}
        current = model._default_manager.in_bulk(list(made))
        latest, before = {}, {}
        rows = history.objects.filter(id__in=list(made)).select_related("history_user")
        for row in rows.order_by("history_id"):
            latest[row.id] = row
            if row.history_id < made[row.id].history_id:
                before[row.id] = row
        for pk, mine in made.items():
            obj, last = current.get(pk), latest[pk]
            if obj is None:
                lost.append(f"{model._meta.verbose_name} {pk} has been deleted since")
            elif last.history_id != mine.history_id:
                lost.append(f"{_name(obj)}: {_edited(model, mine, last)}")
        if lost:
            continue
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        changes = Changes() if model is Action else None
        for pk, obj in current.items():
            old = before[pk]
            values = {f.attname: getattr(old, f.attname) for f in fields if f.name != "version"}
            for name, value in values.items():
                setattr(obj, name, value)
            if hasattr(obj, "version"):
                obj.version += 1
            attribute(obj, user, reason)
            if changes is None:
                obj.save()
            else:
                changes.add(obj, values, _links(old))
        if changes is not None:
            changes.save({"user": user, "reason": reason})
    return lost


def _links(old) -> dict[str, list[int]]:
    """An action's leads and commitments as its history row ``old`` recorded them."""
    links = {}
    for name in ("leads", "commitments"):
        rows = getattr(old, name).all()
        column = f"{Action._meta.get_field(name).m2m_reverse_field_name()}_id"
        links[name] = [getattr(row, column) for row in rows]
    return links


def _edited(model, mine, last) -> str:
    """What changed between the import's history row and the latest, and by whom."""
    names = [
        str(f.verbose_name)
        for f in model._meta.concrete_fields
        if f.name not in ("version", "source_line")
        and getattr(mine, f.attname) != getattr(last, f.attname)
    ]
    who = last.history_user.get_username() if last.history_user else "the command line"
    what = ", ".join(names) if names else "its links"
    why = f" ({last.history_change_reason})" if last.history_change_reason else ""
    return f"{what} changed by {who} on {last.history_date:%-d %b %Y}{why}"


def _delete(record, user, reason) -> list[str]:
    """Delete every record the import created; what stops it (anything else that would
    go with them)."""
    ours, groups = set(), []
    for label, model in _models(record.created):
        found = list(model._default_manager.filter(pk__in=record.created[label]))
        for obj in found:
            attribute(obj, user, reason)
            ours.add((label, obj.pk))
        if found:
            groups.append((label, found))
    if not groups:
        return []
    lost = []
    for _, group in groups:
        model = type(group[0])
        if not hasattr(model, "history"):
            continue
        edited = model.history.model.objects.filter(id__in=[obj.pk for obj in group])
        ids = set(edited.exclude(history_type="+").values_list("id", flat=True))
        lost += [f"{_name(obj)}: changed since it was imported" for obj in group if obj.pk in ids]
    collector = Collector(using=router.db_for_write(Action))
    try:
        for _, group in groups:
            collector.collect(group)
    except (ProtectedError, RestrictedError) as error:
        blocking = getattr(error, "protected_objects", None) or error.restricted_objects
        return [f"{_name(obj)} depends on what it created" for obj in list(blocking)[:SHOWN]]
    for model, found in collector.data.items():
        for obj in found:
            if (model._meta.label_lower, obj.pk) not in ours and not _link_of_ours(obj, ours):
                lost.append(f"{_name(obj)} was added since")
    for queryset in collector.fast_deletes:
        model = queryset.model
        for obj in queryset:
            if not _link_of_ours(obj, ours):
                lost.append(f"{_name(obj)} was added since")
    if not lost:
        collector.delete()
    return lost


def _link_of_ours(obj, ours) -> bool:
    """Whether ``obj`` is a link row (many-to-many) of an action the import created."""
    if not obj._meta.auto_created:
        return False
    field = next((f for f in obj._meta.fields if f.related_model is Action), None)
    return field is not None and ("plans.action", getattr(obj, field.attname)) in ours
