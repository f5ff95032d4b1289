"""The variables a Word template sees, made from a ``Paper``.

A trust's own template uses these names, so they are kept apart from the rendering and
listed in ``planboard/papers/docx/README.md``: keep the two in step. Colours become the
pale NHS.UK tag fills, as Word shades cells rather than styling tags.
"""

import datetime

from docx.shared import Cm

from planboard.papers.formats.docx_template import PORTRAIT_WIDTH
from planboard.papers.paper import COVER_FIELDS, SUMMARY_FIELDS, Paper, Row, ThemeSection, Tick

# NHS.UK tag backgrounds (see nhsuk-frontend's tag component): pale tints that keep
# dark text readable. The cell also says the rating in words, never colour alone.
SHADES = {
    "green": "CCE5D8",
    "aqua-green": "CCEDEB",
    "blue": "CCDFF1",
    "purple": "D6CCE3",
    "pink": "EFD3E3",
    "red": "F7D4D1",
    "orange": "FFDC8E",
    "yellow": "FFF59D",
    "grey": "DBE0E3",
    "white": "FFFFFF",
}
THEME_COLUMN = Cm(5)  # the glance table's first column in the default template
EMU_PER_TWIP = 635


def shade(colour: str) -> str:
    """The cell fill (hex, no #) for an NHS.UK tag colour name; grey when unknown."""
    return SHADES.get(colour, SHADES["grey"])


def context(paper: Paper, chart="") -> dict:
    """The variables a template sees (documented in planboard/papers/docx/README.md)."""
    fields = {name: "" for name in COVER_FIELDS + SUMMARY_FIELDS}
    fields.update((f.name, f.value) for f in paper.cover + paper.summary)
    glance = paper.glance
    completion = "not measured"
    if glance.completion is not None:
        completion = (
            f"{round(glance.completion * 100)}% ({glance.updated} of {glance.open} open actions)"
        )
    columns = max(len(glance.counts), 1)
    groups, note = _exception_groups(paper)
    return {
        "paper": paper,
        "title": paper.strategy + (f" ({paper.plan_version})" if paper.plan_version else ""),
        "subtitle": subtitle(paper),
        "basis": _basis(paper),
        "as_of": _date(paper.as_of),
        "footer": f"{paper.strategy} – {subtitle(paper)}",
        "has_cover": bool(paper.cover),
        "cover": paper.cover,
        "summary": paper.summary,
        "field": fields,
        "framework_ticks": [_tick(t) for t in paper.framework_ticks],
        "purpose_ticks": [_tick(t) for t in paper.purpose_ticks],
        "glance": {
            "completion": completion,
            "overdue": glance.overdue,
            "slipped": glance.slipped,
            "columns": [{"label": c.label, "shade": shade(c.colour)} for c in glance.counts],
            "themes": [
                {"name": f"{t.number}. {t.title}", "counts": [c.count for c in t.counts]}
                for t in glance.by_theme
            ],
            "total": [c.count for c in glance.counts],
            "column_width": int((PORTRAIT_WIDTH - THEME_COLUMN) / EMU_PER_TWIP / columns),
        },
        "chart": chart,
        "exceptions": groups,
        "exceptions_note": note,
        "themes": [_theme(theme) for theme in paper.themes],
        "key": [
            {"label": k.label, "definition": k.definition, "shade": shade(k.colour)}
            for k in paper.key
        ],
        "coverage": [
            {
                "ref": c.ref,
                "text": c.text,
                "served": ", ".join(c.served_by) or "Not served by any action",
                "uncovered": c.uncovered,
                "shade": shade("red" if c.uncovered else "white"),
            }
            for c in paper.coverage
        ],
        "findings": paper.data_findings,
        "delivery_findings": paper.delivery_findings,
        "own_review_note": paper.own_review_note,
    }


def chart_description(paper: Paper) -> str:
    """Alt text for the chart: what it shows, and where the same numbers are in words."""
    counts = ", ".join(f"{c.label} {c.count}" for c in paper.glance.counts)
    return (
        f"Chart of the RAG ratings of the {len(paper.rows)} actions by theme "
        f"(all themes: {counts}). The table below gives the same counts."
    )


def _theme(theme: ThemeSection) -> dict:
    return {
        "number": theme.number,
        "title": theme.title,
        "heading": f"Theme {theme.number}: {theme.title}",
        "commitments": [{"ref": c.name, "text": c.value} for c in theme.commitments],
        "areas": [
            {
                "area": group.area,
                "cited": group.cited,
                "label": (group.area or "No area")
                + (f"\nCommitments {group.cited}" if group.cited else ""),
                "rows": [_row(row) for row in group.rows],
            }
            for group in theme.areas
        ],
    }


def _row(row: Row) -> dict:
    return {
        "ref": row.ref,
        "text": row.text,
        "progress": row.progress,
        "target": row.target,
        "rag": row.rag,
        "rag_text": row.rag if row.in_key else f"{row.rag} (not in key)",
        "shade": shade(row.rag_colour if row.in_key else "grey"),
        "in_key": row.in_key,
        "rated": row.rated,
        "leads": row.leads,
    }


def _tick(tick: Tick) -> dict:
    box = "☑" if tick.ticked else "☐"
    # A no-break space keeps the box on the line of its label.
    text = f"{box}\u00a0{tick.label}"
    return {"label": tick.label, "ticked": tick.ticked, "box": box, "text": text}


def _exception_groups(paper: Paper) -> tuple[list[dict], str]:
    """The exception lists with their titles (``Exceptions.groups``), and the note for
    when ratings cannot be compared with an earlier period."""
    groups = [
        {"title": g.title, "heading": g.heading, "actions": g.items, "empty": g.empty}
        for g in paper.exceptions.groups
    ]
    return groups, paper.exceptions.note


def subtitle(paper: Paper) -> str:
    return f"Paper for {paper.period}" if paper.period else "Paper"


def _basis(paper: Paper) -> str:
    if paper.closed:
        basis = f"Built from the plan as it stood when {paper.period} closed."
    elif paper.period:
        basis = f"{paper.period} is still open: this paper shows the plan as it stands now."
    else:
        basis = "The plan as it stands now."
    return f"{basis} Overdue as of {_date(paper.as_of)}."


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"
