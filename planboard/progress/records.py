"""A period's record: the parts of the plan a paper prints besides the action rows.

``plan_record`` reads them as plain data; ``close_period`` saves the result as the
period's ``PeriodRecord`` next to its action snapshots. The content, version 1::

    {
      "version": 1,
      "themes": [{"number": 1, "title": "...",
                  "commitments": [{"ref": "1.1", "text": "...", "served_by": ["1.3"]}]}],
      "key": [{"label": "Green", "definition": "...", "colour": "green",
               "means_complete": false}],
      "findings": [{"code": "RAG_MISSING", "kind": "data", "ref": "1.2", "message": "..."}]
    }
"""

import datetime

from django.db.models import Prefetch

from planboard.plans.models import Action, Commitment
from planboard.progress.checker import check_report

RECORD_VERSION = 1


def plan_record(strategy, as_of: datetime.date) -> dict:
    """Themes with their commitments and coverage, the RAG key and the findings, as data."""
    themes = strategy.themes.prefetch_related(
        Prefetch(
            "commitments",
            Commitment.objects.filter(retired_on__isnull=True).prefetch_related(
                Prefetch(
                    "actions", Action.objects.in_plan().select_related("theme").in_plan_order()
                )
            ),
        )
    )
    return {
        "version": RECORD_VERSION,
        "themes": [
            {
                "number": theme.number,
                "title": theme.title,
                "commitments": [
                    {
                        "ref": commitment.ref,
                        "text": commitment.text,
                        "served_by": [action.ref for action in commitment.actions.all()],
                    }
                    for commitment in theme.commitments.all()
                ],
            }
            for theme in themes
        ],
        "key": [
            {
                "label": level.label,
                "definition": level.definition,
                "colour": level.colour,
                "means_complete": level.means_complete,
            }
            for level in strategy.rag_levels.all()
        ],
        "findings": check_report(strategy, as_of)["findings"],
    }
