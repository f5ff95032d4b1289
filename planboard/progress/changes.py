"""What changed since the last closed period, computed from snapshots.

A period is compared with the previous closed period of its strategy. A closed period
is read from its own frozen snapshots; an open one from snapshots built live and never
saved (``snapshot_rows``), so the comparison is the same either way. Without a previous
closed period there is nothing to compare with: ``baseline`` is None and every list is
empty.

Actions are matched by ref ("1.2"). Ratings are read through the strategy's scale as it
is now (``Scale``): a rating written "Yellow" where the scale maps Yellow to Amber is
Amber, so Yellow then Amber is no change, and adding an alias corrects the comparison of
periods already closed. Ratings compare by their place in the scale: a level meaning
complete (Blue) is best, then lower positions are better. A rating given to an action
that had none (or one outside the key) is a first rating, neither up nor down.
"""

from dataclasses import dataclass, field

from planboard.plans.models import DatePrecision, RagLevel, format_target
from planboard.plans.rag import match_level
from planboard.plans.targets import has_moved
from planboard.progress.models import UpdateStatus
from planboard.progress.snapshots import snapshot_rows

KINDS = (
    "rag_up",
    "rag_down",
    "first_rated",
    "newly_complete",
    "newly_overdue",
    "target_moved",
    "added",
    "removed",
    "not_updated",
)

UP, DOWN, FIRST = "rag_up", "rag_down", "first_rated"
NOT_RATED = "Not rated"


@dataclass(frozen=True)
class Change:
    """One action's change: what it was (``before``), what it is (``after``), a note.

    ``link_ref`` is the action's ref now, for a link to its page ("" once deleted), and
    ``rating`` the rating an action not updated keeps.
    """

    ref: str
    text: str
    before: str = ""
    after: str = ""
    note: str = ""
    link_ref: str = field(default="", compare=False)
    rating: str = field(default="", compare=False)


@dataclass(frozen=True)
class Changes:
    """The changes in ``period`` since ``baseline``, each list in plan order."""

    period: object
    baseline: object | None
    rag_up: list[Change] = field(default_factory=list)
    rag_down: list[Change] = field(default_factory=list)
    first_rated: list[Change] = field(default_factory=list)
    newly_complete: list[Change] = field(default_factory=list)
    newly_overdue: list[Change] = field(default_factory=list)
    target_moved: list[Change] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    not_updated: list[Change] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        """How many changes of each kind, in the order of ``KINDS``."""
        return {kind: len(getattr(self, kind)) for kind in KINDS}


class Scale:
    """A strategy's RAG levels, reading a snapshot's rating as one of them."""

    def __init__(self, levels):
        self.levels = list(levels)

    def level(self, snapshot):
        """The level the snapshot's rating means now, by its level's label or as written;
        None when it names none of them."""
        for written in (snapshot.rag_label, snapshot.rag_text):
            level = match_level(self.levels, written) if written else None
            if level is not None:
                return level
        return None

    def rank(self, snapshot):
        """Where the rating sits (lower is better), or None when not rated or not in the
        key. A rating the scale no longer names keeps the place it had at the time."""
        level = self.level(snapshot)
        if level is not None:
            return (0 if level.means_complete else 1, level.position)
        if snapshot.rag_position is None:
            return None
        return (0 if snapshot.rag_complete else 1, snapshot.rag_position)

    def label(self, snapshot) -> str:
        level = self.level(snapshot)
        return level.label if level is not None else snapshot.rag_display

    def compare(self, was, now) -> str | None:
        """UP, DOWN or FIRST for a rating that changed from ``was`` to ``now``, or None."""
        before, after = self.rank(was), self.rank(now)
        if after is None or before == after:
            return None
        if before is None:
            return FIRST
        return UP if after < before else DOWN


def what_changed(period) -> Changes:
    """What changed in ``period`` since the previous closed period of its strategy."""
    baseline = period.previous_closed()
    changes = Changes(period=period, baseline=baseline)
    if baseline is None:
        return changes
    scale = Scale(RagLevel.objects.filter(strategy_id=period.strategy_id))
    if period.is_closed:
        later = list(period.snapshots.select_related("action__theme"))
    else:
        later = snapshot_rows(period)
    earlier = {s.ref: s for s in baseline.snapshots.select_related("action__theme")}
    seen = set()
    for now in later:
        seen.add(now.ref)
        was = earlier.get(now.ref)
        if was is None:
            changes.added.append(_change(now, after=now.text))
        else:
            _compare(changes, scale, was, now, baseline.ends_on, period.ends_on)
        if not now.is_complete and not now.update_received:
            changes.not_updated.append(
                _change(now, note="No update this quarter", rating=scale.label(now))
            )
    changes.removed.extend(
        _change(was, before=was.text) for ref, was in earlier.items() if ref not in seen
    )
    return changes


def _compare(changes, scale, was, now, was_on, now_on):
    kind = scale.compare(was, now)
    if kind is not None:
        before = scale.label(was) if kind != FIRST else NOT_RATED
        getattr(changes, kind).append(_change(now, before=before, after=scale.label(now)))
    if now.is_complete and not was.is_complete:
        note = (
            f"Completed on {format_target(now.completed_on, DatePrecision.DAY)}"
            if now.completed_on
            else ""
        )
        changes.newly_complete.append(
            _change(now, before=was.status_display, after=now.status_display, note=note)
        )
    if now.is_overdue(now_on) and not was.is_overdue(was_on):
        changes.newly_overdue.append(
            _change(
                now,
                before=was.target_display,
                after=now.target_display,
                note=f"Due by {now.target_display}",
            )
        )
    if has_moved(was.target_date, now.target_date):
        reason = _accepted_reason(now.update)
        changes.target_moved.append(
            _change(now, before=was.target_display, after=now.target_display, note=reason)
        )


def _accepted_reason(update) -> str:
    """The reason an accepted update gave for moving the target. A reason waiting for
    review, or returned, is the lead's proposal, not why the target moved."""
    if not update or update.get("status") != UpdateStatus.ACCEPTED:
        return ""
    return update.get("target_change_reason", "")


def _change(snapshot, *, before="", after="", note="", rating=""):
    action = snapshot.action if snapshot.action_id else None
    return Change(
        ref=snapshot.ref,
        text=snapshot.text,
        before=before,
        after=after,
        note=note,
        link_ref=action.ref if action is not None else "",
        rating=rating,
    )
