"""Who made a change and why, for the history every plan record keeps.

django-simple-history writes a history row whenever a tracked record is saved. In a web
request it takes the user from the request; everywhere else (commands, imports, the
services called from either) the service says who acted and why with ``attribute``
before it saves.

An import creates hundreds of rows, so ``create_with_history`` inserts them in bulk and
writes their historical rows (and the snapshots of their many-to-many links) itself, in
the same transaction: one query per table instead of several per object.
"""

from collections.abc import Sequence

from simple_history.utils import get_history_manager_for_model

REASON_LIMIT = 100  # the history tables' change-reason column


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
        created, default_user=user, default_change_reason=reason
    )
    if history:
        for field, rows in through_rows.values():
            _snapshot_links(type(history[0]), field, history, rows)
    return created


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
