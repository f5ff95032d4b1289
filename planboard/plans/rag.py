"""RAG scales: the default scale and how ratings as written map to levels.

A rating is matched to a level of the strategy's own scale by its label or one of its
aliases, ignoring case and spacing. Ratings the scale does not define are kept as
written and reported by the checker (RAG_NOT_IN_KEY), never guessed.
"""

from django.db import transaction

from planboard.lib.history import attribute
from planboard.plans.models import Action, RagLevel, TagColour, normalise_rating

DEFAULT_SCALE = [
    {
        "label": "Green",
        "definition": "On track to deliver by target date set, or action completed",
        "colour": TagColour.GREEN,
    },
    {
        "label": "Amber",
        "definition": "Some concerns re ability to deliver within target date set",
        "colour": TagColour.ORANGE,
    },
    {
        "label": "Red",
        "definition": "Major concerns re ability to deliver within target date set",
        "colour": TagColour.RED,
    },
]

# Colours for level labels a paper's key may use; anything else is grey.
LABEL_COLOURS = {
    "green": TagColour.GREEN,
    "amber": TagColour.ORANGE,
    "orange": TagColour.ORANGE,
    "yellow": TagColour.YELLOW,
    "red": TagColour.RED,
    "blue": TagColour.BLUE,
    "purple": TagColour.PURPLE,
    "grey": TagColour.GREY,
    "gray": TagColour.GREY,
    "black": TagColour.GREY,
    "white": TagColour.WHITE,
}


def colour_for_label(label: str) -> str:
    """The tag colour conventionally used for a level called ``label``."""
    return LABEL_COLOURS.get(normalise_rating(label), TagColour.GREY)


def create_scale(strategy, levels=None, *, user=None, reason="") -> list[RagLevel]:
    """Give ``strategy`` a RAG scale: ``levels`` as dicts (label, definition ...) or the default.

    Each level's history names ``user`` (None: the command line) and ``reason``.
    """
    created = []
    for position, spec in enumerate(levels or DEFAULT_SCALE, start=1):
        spec = dict(spec)
        spec.setdefault("colour", colour_for_label(spec["label"]))
        spec.setdefault("means_complete", normalise_rating(spec["label"]) in {"blue", "complete"})
        level = RagLevel(strategy=strategy, position=position, **spec)
        attribute(level, user, reason or "RAG scale set up")
        level.save()
        created.append(level)
    return created


def match_level(levels, rating: str):
    """The level of ``levels`` that ``rating`` names (its label, an alias, or the label's
    initial), or None when it names none or several."""
    wanted = normalise_rating(rating)
    if not wanted:
        return None
    found = [level for level in levels if wanted in level.names()]
    if not found and len(wanted) == 1 and wanted.isalpha():  # "G", "a": a label's initial
        found = [level for level in levels if normalise_rating(level.label)[:1] == wanted]
    return found[0] if len(found) == 1 else None


def relink_ratings(strategy_id) -> int:
    """Match every action's written rating against the scale again; return how many changed.

    Called whenever a level of the scale is saved or deleted. Each change goes through
    ``save()`` so that it is recorded in the action's history.
    """
    levels = list(RagLevel.objects.filter(strategy_id=strategy_id))
    changed = 0
    with transaction.atomic():
        actions = Action.objects.filter(theme__strategy_id=strategy_id).exclude(rag_text="")
        for action in actions.select_related("rag_level"):
            level = match_level(levels, action.rag_text)
            if (level.pk if level else None) != action.rag_level_id:
                action.rag_level = level
                attribute(action, None, "RAG scale changed")
                action.save(update_fields=["rag_level"])
                changed += 1
    return changed
