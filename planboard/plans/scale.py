"""Keeping a strategy's own RAG scale on planboard's pages: its levels and their aliases.

Each level is saved and deleted by a service that asks the governance rule, checks the
level against the rest of *its own strategy's* scale (a label or alias may mean one level
only, since imports and updates match ratings by them), takes the level at the version
the form was built from, and records who changed it and why. A level that actions or
updates use cannot be deleted; the refusal says which use it. Saving or deleting a
level matches every action's written rating again (``planboard.plans.signals``).
"""

from collections import defaultdict

from django.db import transaction
from simple_history.models import HistoricalChanges

from planboard.lib import versions
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.people.permissions import require_governance
from planboard.plans.models import Action, RagLevel, TagColour, normalise_rating

DOING = "change the RAG scale"
SHOWN_REFS = 5


class LevelConflict(versions.EditConflict):
    default_message = "Someone else changed this level after you opened it, so yours was not saved."


def words(text: str) -> list[str]:
    """Aliases as typed, one a line or separated by commas, tidied and without repeats."""
    found, seen = [], set()
    for line in (text or "").replace(",", "\n").splitlines():
        word = " ".join(line.split())
        if word and normalise_rating(word) not in seen:
            seen.add(normalise_rating(word))
            found.append(word)
    return found


def check_level(strategy, values: dict, *, level=None) -> dict:
    """The level's fields, tidied; refuses a label or alias another level of the scale has."""
    label = " ".join((values.get("label") or "").split())
    if not label:
        raise ServiceError("Enter the level's label.", "label")
    if len(label) > 40:
        raise ServiceError("The label must be 40 characters or fewer.", "label")
    if values.get("colour") not in TagColour.values:
        raise ServiceError("Choose the level's colour from the list.", "colour")
    aliases = [word for word in values.get("aliases") or [] if normalise_rating(word)]
    if any(len(word) > 40 for word in aliases):
        raise ServiceError("Each alias must be 40 characters or fewer.", "aliases")
    aliases = [word for word in aliases if normalise_rating(word) != normalise_rating(label)]
    others = RagLevel.objects.filter(strategy=strategy)
    if level is not None:
        others = others.exclude(pk=level.pk)
    for other in others:
        if normalise_rating(label) in other.names():
            raise ServiceError(f'"{label}" already means the level {other.label}.', "label")
        for word in aliases:
            if normalise_rating(word) in other.names():
                raise ServiceError(
                    f'The alias "{word}" already means the level {other.label}.', "aliases"
                )
    position = values.get("position")
    if position is None or not 0 < position < 100:
        raise ServiceError("Enter the level's place in the scale, from 1 to 99.", "position")
    return {
        "label": label,
        "colour": values["colour"],
        "position": position,
        "definition": " ".join((values.get("definition") or "").split())[:500],
        "means_complete": bool(values.get("means_complete")),
        "aliases": aliases,
    }


@service
@transaction.atomic
def save_level(strategy, values: dict, *, version, user, level=None) -> RagLevel:
    """Add a level to ``strategy``'s scale (``level`` None) or change ``level``."""
    require_governance(user, DOING)
    cleaned = check_level(strategy, values, level=level)
    if level is None:
        level, reason = RagLevel(strategy=strategy), "RAG level added"
    else:
        versions.claim(RagLevel, version, conflict=LevelConflict, pk=level.pk, strategy=strategy)
        level, reason = RagLevel.objects.get(pk=level.pk), "RAG level changed"
    for name, value in cleaned.items():
        setattr(level, name, value)
    attribute(level, user, reason)
    level.save()
    return level


def uses_of(level) -> str:
    """What uses ``level``, in words ("actions 1.1 and 1.2 and 3 updates"), or "".

    Every record that points at a level counts (an action rated at it, an update that
    proposed it or was suggested it), found through the model's relations so that a
    record another app adds later counts too; history rows do not.
    """
    refs = [action.ref for action in level.actions.select_related("theme").order_by("pk")]
    parts = []
    if refs:
        shown = ", ".join(refs[:SHOWN_REFS]) + (" and others" if len(refs) > SHOWN_REFS else "")
        parts.append(f"{'action' if len(refs) == 1 else 'actions'} {shown}")
    others = defaultdict(set)
    for relation in RagLevel._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if not relation.auto_created or relation.concrete or model is Action:
            continue
        if issubclass(model, HistoricalChanges):
            continue
        found = model._base_manager.filter(**{relation.field.name: level})
        others[model].update(found.values_list("pk", flat=True))
    for model, pks in others.items():
        if pks:
            meta = model._meta
            parts.append(
                f"{len(pks)} {meta.verbose_name if len(pks) == 1 else meta.verbose_name_plural}"
            )
    return " and ".join(parts)


@service
@transaction.atomic
def delete_level(level, *, version, user) -> None:
    """Delete ``level`` from its scale, unless actions or updates use it."""
    require_governance(user, DOING)
    versions.claim(RagLevel, version, conflict=LevelConflict, pk=level.pk)
    level = RagLevel.objects.get(pk=level.pk)
    used = uses_of(level)
    if used:
        raise ServiceError(
            f"{level.label} is the rating of {used}, so it cannot be deleted.", "level"
        )
    attribute(level, user, "RAG level deleted")
    level.delete()
