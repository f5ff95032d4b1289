"""Snapshots: an action copied as it stands, for a period's close and for comparisons.

``close_period`` saves these rows; ``what_changed`` builds the same rows unsaved for an
open period, so the comparison is made the same way whether a period is open or closed.
"""

from planboard.lib.users import display_name
from planboard.plans.models import Action
from planboard.plans.targets import times_moved
from planboard.progress.models import ActionSnapshot, Update


def snapshot_rows(period) -> list[ActionSnapshot]:
    """Unsaved snapshots of every action of the period's strategy as it stands now."""
    return _rows(period.strategy_id, period)


def live_rows(strategy) -> list[ActionSnapshot]:
    """Unsaved snapshots of every action of ``strategy`` now, outside any period.

    They are built as ``snapshot_rows`` builds them, with no period and no update, so a
    paper for no particular period reads the live plan the same way.
    """
    return _rows(strategy.pk, None)


def _rows(strategy_id, period) -> list[ActionSnapshot]:
    actions = (
        Action.objects.filter(theme__strategy_id=strategy_id, retired_on__isnull=True)
        .select_related("theme", "area", "rag_level")
        .prefetch_related("leads", "target_changes")
        .in_plan_order()
    )
    updates = {}
    if period is not None:
        updates = {
            u.action_id: u
            for u in Update.objects.filter(period=period).select_related(
                "proposed_rag", "adjusted_rag", "suggested_rag", "submitted_by", "reviewed_by"
            )
        }
    rows = []
    for action in actions:
        level = action.rag_level
        rows.append(
            ActionSnapshot(
                period=period,
                action=action,
                ref=action.ref,
                theme_number=action.theme.number,
                theme_title=action.theme.title,
                number=action.number,
                area=action.area.name if action.area else "",
                cited_commitments=list(action.cited_commitments or []),
                text=action.text,
                progress=action.progress,
                status=action.status,
                completed_on=action.completed_on,
                target_date=action.target_date,
                target_precision=action.target_precision,
                original_target_date=action.original_target_date,
                original_target_precision=action.original_target_precision,
                target_moves=times_moved(
                    len(action.target_changes.all()),
                    action.target_date,
                    action.original_target_date,
                ),
                rag_label=level.label if level else "",
                rag_colour=level.colour if level else "",
                rag_position=level.position if level else None,
                rag_complete=level.means_complete if level else False,
                rag_text=action.rag_text,
                leads=sorted(role.short_name for role in action.leads.all()),
                lead_text=action.lead_text,
                update=_update_record(updates.get(action.pk)),
            )
        )
    return rows


def _update_record(update):
    if update is None:
        return None
    record = {
        "status": update.status,
        "narrative": update.narrative,
        "proposed_rag": update.proposed_rag.label if update.proposed_rag else "",
        "suggested_rag": update.suggested_rag.label if update.suggested_rag else "",
        "complete": update.complete,
        "new_target": update.new_target_display,
        "target_change_reason": update.target_change_reason,
        "submitted_by": display_name(update.submitted_by),
        "submitted_at": update.submitted_at.isoformat(),
        "on_behalf": update.on_behalf,
        "reviewed_by": display_name(update.reviewed_by),
        "review_comment": update.review_comment,
        "own_review": update.own_review,
    }
    if update.is_adjusted:  # kept only where the reviewer changed the lead's proposal
        record["adjusted_rag"] = update.adjusted_rag.label if update.adjusted_rag else ""
        record["adjusted_target"] = update.adjusted_target_display
        record["adjustment_reason"] = update.adjustment_reason
    if update.not_accepted_at_close:  # kept only where it happened, as a closed period shows
        record["not_accepted_at_close"] = True
    return record
