"""The state changes of the quarterly cycle, one named service each.

Views, commands, the admin and tests all call these, so every path asks the same
permission rule (``planboard.people.permissions``), writes the same history (attributed
to the person acting, with a reason) and runs in one transaction: a refused request
changes nothing. Periods are in ``periods``, updates in ``updates``; everything a caller
needs is importable from here.
"""

from planboard.progress.services.common import CycleError, EditConflict
from planboard.progress.services.periods import (
    close_period,
    create_period,
    current_period,
    delete_period,
    open_period,
    save_period,
)
from planboard.progress.services.review import accept_updates
from planboard.progress.services.updates import (
    accept_update,
    return_update,
    submit_update,
    suggested_rating,
)

__all__ = [
    "CycleError",
    "EditConflict",
    "accept_update",
    "accept_updates",
    "close_period",
    "create_period",
    "current_period",
    "delete_period",
    "open_period",
    "return_update",
    "save_period",
    "submit_update",
    "suggested_rating",
]
