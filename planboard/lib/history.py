"""Who made a change and why, for the history every plan record keeps.

django-simple-history writes a history row whenever a tracked record is saved. In a web
request it takes the user from the request; everywhere else (commands, imports, the
services called from either) the service says who acted and why with ``attribute``
before it saves.

An import creates hundreds of rows, so ``create_with_history`` inserts them in bulk and
writes their historical rows (and the snapshots of their many-to-many links) itself, in
the same transaction: one query per table instead of several per object. A re-import
may change thousands, and ``update_with_history`` does the same for changed rows.
"""

from collections.abc import Sequence

from django.db import connections, router
from simple_history.utils import get_history_manager_for_model

from planboard.lib import clock

REASON_LIMIT = 100  # the history tables' change-reason column
# Rows read or written per statement in bulk.
BATCH = 500


def dated_by_the_clock(sender, instance, history_instance, **kwargs):
    """Date a history row written by a save as of ``lib.clock`` (the demo's day, if set),
    as ``create_with_history`` and ``update_with_history`` date theirs; connected to
    django-simple-history's ``pre_create_historical_record`` by the web app."""
    if not hasattr(instance, "_history_date"):
        history_instance.history_date = clock.now()


def attribute(instance, user, reason: str):
    """Mark ``instance``'s next history row as ``user``'s (None: the command line), with
    ``reason``; returns the instance."""
    instance._history_user = user
    instance._change_reason = reason[:REASON_LIMIT]
    return instance


def create_with_history(
    model,
    objects: Sequence,
    *,
    user=None,
    reason: str = "",
    links: dict[str, list[tuple[int, int]]] | None = None,
) -> list:
    """Insert ``objects`` of ``model`` with their history; ``links`` maps an m2m field name
    to (index into objects, target pk) pairs to add before the history is taken."""
    created = model._default_manager.bulk_create(list(objects))
    through_rows = {}
    for name, pairs in (links or {}).items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        rows = [through(**{source: created[at].pk, target: pk}) for at, pk in pairs]
        through_rows[name] = (
            field,
            list(zip(pairs, through.objects.bulk_create(rows), strict=True)),
        )
    history = get_history_manager_for_model(model).bulk_history_create(
        created, default_user=user, default_change_reason=reason, default_date=clock.now()
    )
    if history:
        for field, rows in through_rows.values():
            _snapshot_links(type(history[0]), field, history, rows)
    return created


def update_with_history(model, objects: Sequence, fields: list[str], *, user=None, reason=""):
    """Save ``fields`` of ``objects`` of ``model`` in bulk, with one history row each (its
    user and reason as ``attribute`` set them, else ``user`` and ``reason``) and a snapshot
    of its many-to-many links as they are now, as a save of each would write."""
    if not objects:
        return []
    _update_rows(model, objects, fields)
    history = get_history_manager_for_model(model).bulk_history_create(
        objects,
        batch_size=BATCH,
        update=True,
        default_user=user,
        default_change_reason=reason,
        default_date=clock.now(),
    )
    if history:
        history_model = type(history[0])
        at = {obj.pk: index for index, obj in enumerate(objects)}
        for field in getattr(history_model, "_history_m2m_fields", []):
            through = field.remote_field.through
            source = f"{field.m2m_field_name()}_id"
            pks = list(at)
            links = [
                ((at[getattr(row, source)], None), row)
                for start in range(0, len(pks), BATCH)
                for row in through.objects.filter(
                    **{f"{source}__in": pks[start : start + BATCH]}
                ).order_by("pk")
            ]
            _snapshot_links(history_model, field, history, links)
    return history


def _update_rows(model, objects: Sequence, names: list[str]) -> None:
    """Save ``names`` of each object with one statement run for every object (Django's
    ``bulk_update`` builds a CASE per field, which costs more than the update itself)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, False), connection) for field in fields]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        # The table and column names come from the model, never from a request.
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s", rows)  # noqa: S608


def _snapshot_links(history_model, field, history: list, rows: list) -> None:
    if field not in getattr(history_model, "_history_m2m_fields", []):
        return
    snapshot_model = next(
        rel.related_model
        for rel in history_model._meta.related_objects
        if rel.related_model.__name__ == f"{history_model.__name__}_{field.name}"
    )
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    snapshot_model.objects.bulk_create(
        snapshot_model(
            id=row.pk,
            history=history[at],
            **{source: getattr(row, source), target: getattr(row, target)},
        )
        for (at, _), row in rows
    )
