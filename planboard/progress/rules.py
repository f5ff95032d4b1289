"""RAG rules: what rating an action's facts suggest. The rules suggest; people decide.

In order, the first that applies wins:
1. complete -> the scale's complete level (one marked "means complete", such as Blue),
   else its first ordinary level (Green in a RAG scale);
2. not complete and the target span has passed (the stored target is the last day of
   the month, quarter or year given) -> the scale's last ordinary level (Red);
3. not complete, target within 30 days and no accepted update this period -> the
   ordinary level before the last (Amber), on scales of at least three ordinary levels;
4. otherwise no suggestion: only the lead knows whether it is on track.

"Ordinary" levels are those not marked as meaning complete, in scale order, best first.
"""

import datetime

from planboard.plans.targets import is_overdue

SOON = datetime.timedelta(days=30)


def _ordinary(levels):
    return [level for level in levels if not level.means_complete]


def complete_level(levels):
    """The level meaning complete: one flagged so, else the first (best) level."""
    levels = _in_scale_order(levels)
    flagged = [level for level in levels if level.means_complete]
    if flagged:
        return flagged[0]
    ordinary = _ordinary(levels)
    return ordinary[0] if ordinary else None


def _worst(levels):
    ordinary = _ordinary(levels)
    return ordinary[-1] if ordinary else None


def _at_risk(levels):
    ordinary = _ordinary(levels)
    return ordinary[-2] if len(ordinary) >= 3 else None


def _in_scale_order(levels):
    return sorted(levels, key=lambda level: (level.position, level.pk or 0))


def suggest_rating(
    *,
    levels,
    complete: bool,
    target_date: datetime.date | None,
    as_of: datetime.date,
    accepted_this_period: bool,
):
    """The level the rules suggest for an action with these facts, or None."""
    levels = _in_scale_order(levels)
    if complete:
        return complete_level(levels)
    if target_date is None:
        return None
    if is_overdue(complete=False, target_date=target_date, as_of=as_of):
        return _worst(levels)
    if target_date - as_of <= SOON and not accepted_this_period:
        return _at_risk(levels)
    return None


def suggest_for_action(action, levels, as_of, accepted_this_period: bool):
    """``suggest_rating`` for a saved action."""
    return suggest_rating(
        levels=levels,
        complete=action.is_complete,
        target_date=action.target_date,
        as_of=as_of,
        accepted_this_period=accepted_this_period,
    )
