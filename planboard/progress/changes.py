"""What changed since the last closed period, computed from snapshots.

A period is compared with the previous closed period of its strategy. A closed period
is read from its own frozen snapshots; an open one from snapshots built live and never
saved (``snapshot_rows``), so the comparison is the same either way and an old
period's answer never changes. Without a previous closed period there is nothing to
compare with: ``baseline`` is None and every list is empty.

Actions are matched by ref ("1.2"). Ratings compare by their place in the scale: a
level meaning complete (Blue) is best, then lower positions are better. A change from
unrated (or rated outside the key) to rated, or back, is neither up nor down.
"""

from dataclasses import dataclass, field

from planboard.plans.models import DatePrecision, format_target
from planboard.plans.targets import has_moved
from planboard.progress.models import UpdateStatus
from planboard.progress.snapshots import snapshot_rows

KINDS = (
    "rag_up",
    "rag_down",
    "newly_complete",
    "newly_overdue",
    "target_moved",
    "added",
    "removed",
    "not_updated",
)


@dataclass(frozen=True)
class Change:
    """One action's change: what it was (``before``), what it is (``after``), a note."""

    ref: str
    text: str
    before: str = ""
    after: str = ""
    note: str = ""


@dataclass(frozen=True)
class Changes:
    """The changes in ``period`` since ``baseline``, each list in plan order."""

    period: object
    baseline: object | None
    rag_up: list[Change] = field(default_factory=list)
    rag_down: list[Change] = field(default_factory=list)
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


def what_changed(period) -> Changes:
    """What changed in ``period`` since the previous closed period of its strategy."""
    baseline = period.previous_closed()
    changes = Changes(period=period, baseline=baseline)
    if baseline is None:
        return changes
    later = list(period.snapshots.all()) if period.is_closed else snapshot_rows(period)
    earlier = {snapshot.ref: snapshot for snapshot in baseline.snapshots.all()}
    seen = set()
    for now in later:
        seen.add(now.ref)
        was = earlier.get(now.ref)
        if was is None:
            changes.added.append(_change(now, after=now.text))
        else:
            _compare(changes, was, now, baseline.ends_on, period.ends_on)
        if not now.is_complete and not now.update_received:
            changes.not_updated.append(_change(now, before=now.rag_display, after="No update"))
    changes.removed.extend(
        _change(was, before=was.text) for ref, was in earlier.items() if ref not in seen
    )
    return changes


def _compare(changes, was, now, was_on, now_on):
    before, after = _rank(was), _rank(now)
    if before is not None and after is not None and before != after:
        kind = changes.rag_up if after < before else changes.rag_down
        kind.append(_change(now, before=was.rag_display, after=now.rag_display))
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


def _rank(snapshot):
    """Where the rating sits in the scale (lower is better), or None when unrated."""
    if snapshot.rag_position is None:
        return None
    return (0 if snapshot.rag_complete else 1, snapshot.rag_position)


def _change(snapshot, *, before="", after="", note=""):
    return Change(ref=snapshot.ref, text=snapshot.text, before=before, after=after, note=note)
