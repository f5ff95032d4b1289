"""A period's record: the parts of the plan a paper prints besides the action rows.

``plan_record`` reads them as plain data; ``close_period`` saves the result as the
period's ``PeriodRecord`` next to its action snapshots. The content, version 1::

    {
      "version": 1,
      "themes": [{"number": 1, "title": "...",
                  "commitments": [{"ref": "1.1", "text": "...", "served_by": ["1.3"]}]}],
      "key": [{"label": "Green", "definition": "...", "colour": "green",
               "means_complete": false}],
      "findings": [{"code": "RAG_MISSING", "kind": "data", "ref": "1.2", "message": "..."}],
      "roles": [{"short": "EM", "title": "Engagement Manager", "in_key": true,
                 "people": ["Laura Di Bona", "Mia Bajin"]}],
      "people": [{"name": "Mia Bajin", "roles": ["Engagement Manager (EM)"], "note": "",
                  "ebe_lead": false}]
    }

``roles`` and ``people`` (the key of roles and people) were added later: a period
closed before has none in its record, and its paper reads the key as it stands.
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
        **people_record(strategy),
    }


def people_record(strategy) -> dict:
    """The strategy's key of roles and people as data, in the key's order."""
    roles = strategy.roles.prefetch_related("people")
    people = strategy.people.prefetch_related("roles")
    return {
        "roles": [
            {
                "short": role.short_name,
                "title": role.title,
                "in_key": role.in_key,
                "people": sorted(person.name for person in role.people.all()),
            }
            for role in roles
        ],
        "people": [
            {
                "name": person.name,
                "roles": [str(role) for role in person.roles.all() if role.in_key],
                "note": person.note,
                "ebe_lead": person.is_ebe_lead,
            }
            for person in people
        ],
    }
