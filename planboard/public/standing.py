"""How an action stands, in the words the public page uses: words first, colours second.

A strategy's RAG scale is its own (RAG, BRAG, Green/Yellow/Red ...), so the words are
found from the scale's order rather than from colour names:

- complete (the action's status, or a level meaning complete such as Blue) -> Complete;
- rated on an ordinary level: the best is "On track", the worst "Off track" and any
  between "At risk" (a scale of one ordinary level only says "On track");
- not rated, or rated outside the key: "Not started" if the action has not started,
  else "Not yet rated".
"""

import enum


class Standing(enum.Enum):
    """A public standing: its words, its NHS.UK tag colour and its key in feeds."""

    COMPLETE = ("complete", "Complete", "blue")
    ON_TRACK = ("on_track", "On track", "green")
    AT_RISK = ("at_risk", "At risk", "yellow")
    OFF_TRACK = ("off_track", "Off track", "red")
    NOT_STARTED = ("not_started", "Not started", "grey")
    NOT_RATED = ("not_rated", "Not yet rated", "white")

    def __init__(self, key, words, colour):
        self.key = key
        self.words = words
        self.colour = colour


def ordinary_positions(levels) -> list[int]:
    """The primary keys of the scale's ordinary levels (not meaning complete), best first."""
    ordered = sorted(levels, key=lambda level: (level.position, level.pk or 0))
    return [level.pk for level in ordered if not level.means_complete]


def standing(*, complete: bool, started: bool, level, ordinary: list[int]) -> Standing:
    """The standing of an action with these facts; ``ordinary`` from ``ordinary_positions``."""
    if complete or (level is not None and level.means_complete):
        return Standing.COMPLETE
    if level is not None and level.pk in ordinary:
        place = ordinary.index(level.pk)
        if place == 0:
            return Standing.ON_TRACK
        if place == len(ordinary) - 1:
            return Standing.OFF_TRACK
        return Standing.AT_RISK
    return Standing.NOT_RATED if started else Standing.NOT_STARTED
