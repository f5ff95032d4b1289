"""The public page's content as JSON and CSV, for councils, Healthwatch and journalists.

Both are built from ``PublicPlan`` alone, so they hold exactly what the page shows.
The JSON format is versioned (``format``, ``version``) and documented in
docs/public-page.md; the CSV has one row per published action, UTF-8 with a byte
order mark, and a cell a spreadsheet would run as a formula gets a ' first.
"""

import csv
import io

from planboard.lib.spreadsheets import csv_cell

FORMAT = "planboard-public"
VERSION = 1

CSV_COLUMNS = ("Theme", "Theme title", "Ref", "Summary", "Standing", "Target", "Last updated")


def _date(value):
    return value.isoformat() if value else None


def _changes(changes) -> dict | None:
    if changes is None:
        return None
    return {
        "period": changes.period,
        "compared_with": changes.baseline,
        **{
            kind: [
                {"ref": c.ref, "summary": c.summary, "note": c.note} for c in getattr(changes, kind)
            ]
            for kind in ("completed", "started", "delayed")
        },
    }


def _counts(counts) -> dict:
    return {count.standing.key: count.count for count in counts}


def as_json(plan, *, url: str) -> dict:
    """The published plan as a JSON-ready dict."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "strategy": {
            "slug": plan.slug,
            "title": plan.title,
            "organisation": plan.organisation,
            "period": plan.period,
            "summary": plan.summary,
            "url": url,
            "last_updated": _date(plan.last_updated),
            "standings": _counts(plan.counts),
        },
        "themes": [
            {
                "number": theme.number,
                "title": theme.title,
                "summary": theme.summary,
                "commitments": [{"number": c.number, "text": c.text} for c in theme.commitments],
                "standings": _counts(theme.counts),
                "actions": [
                    {
                        "ref": action.ref,
                        "summary": action.summary,
                        "standing": action.standing.key,
                        "standing_text": action.standing.words,
                        "target": action.target,
                        "last_updated": _date(action.last_updated),
                    }
                    for action in theme.actions
                ],
            }
            for theme in plan.themes
        ],
        "what_changed": _changes(plan.changes),
    }


def as_csv(plan) -> bytes:
    """One row per published action, in plan order."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_COLUMNS)
    for theme in plan.themes:
        for action in theme.actions:
            row = (
                theme.number,
                theme.title,
                action.ref,
                action.summary,
                action.standing.words,
                action.target,
                action.last_updated,
            )
            writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + output.getvalue()).encode("utf-8")
