"""The variables a Word template sees, made from a ``Paper``.

A trust's own template uses these names, so they are kept apart from the rendering and
listed in ``planboard/papers/docx/README.md``: keep the two in step. A rating's colour
becomes a solid cell fill in the NHS.UK colour, with the rating written inside in the
ink that reads on it (``docx.render`` colours the text of a cell so filled).

The variables a template had before stay as they were, so a trust's template written
for them makes the paper it made; the parts added since come as new variables.
"""

from docx.shared import Cm

from planboard.lib.letters import long_date
from planboard.papers.formats import engagement_docx
from planboard.papers.formats.colours import solid_fills
from planboard.papers.formats.docx_template import PORTRAIT_WIDTH
from planboard.papers.paper import (
    COVER_FIELDS,
    SUMMARY_FIELDS,
    ExceptionGroup,
    FrontMatter,
    KeyRole,
    Paper,
    Row,
    ThemeSection,
    Tick,
)

BLACK, WHITE = "000000", "FFFFFF"
# NHS.UK colours as solid cell fills, each with the ink its text is written in: every
# pair has a contrast of at least 4.5:1. The cell also says the rating in words, so
# colour is never the only cue; "Not in key" is pale grey (paler than the other formats'
# grey) and "Not rated" white.
FILLS = {**solid_fills(BLACK), "grey": ("D8DDE0", BLACK)}
# The fills whose text ``docx.render`` writes in white, whatever the template's runs say.
WHITE_INK = frozenset(fill for fill, ink in FILLS.values() if ink == WHITE)
UNCOVERED = "F7D4D1"  # pale NHS red, for a commitment no action serves
THEME_COLUMN = Cm(5)  # the glance table's first column in the default template
EMU_PER_TWIP = 635
HEADER = (
    ("Trust", "organisation"),
    ("Meeting", "meeting"),
    ("Date", "meeting_date"),
    ("Reference", "reference"),
    ("Item", "item"),
)


def shade(colour: str) -> str:
    """The cell fill (hex, no #) for an NHS.UK colour name; grey when unknown."""
    return FILLS.get(colour, FILLS["grey"])[0]


def ink(colour: str) -> str:
    """The text colour (hex, no #) that reads on ``shade(colour)``."""
    return FILLS.get(colour, FILLS["grey"])[1]


def context(paper: Paper, chart="", feedback_chart="", engagement_chart="") -> dict:
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
    front = paper.front or _front(paper, fields)
    return {
        "paper": paper,
        "title": paper.strategy + (f" ({paper.plan_version})" if paper.plan_version else ""),
        "subtitle": subtitle(paper),
        "basis": _basis(paper),
        "as_of": long_date(paper.as_of),
        "footer": f"{paper.strategy} – {subtitle(paper)}",
        "front": front,
        "header": [
            {"label": label, "value": getattr(front, name)}
            for label, name in HEADER
            if getattr(front, name)
        ],
        "plan_line": ", ".join(filter(None, (front.plan_title, front.plan_version))),
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
            "columns": [
                {"label": c.label, "shade": shade(c.colour), "ink": ink(c.colour)}
                for c in glance.counts
            ],
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
        "board_exceptions": [_group(g) for g in paper.exceptions.board_groups],
        "not_updated": {
            "shown": paper.exceptions.for_period,
            "heading": paper.exceptions.not_updated_heading,
            "leads": paper.exceptions.not_updated_by_lead,
            "empty": "Every open action has an update.",
        },
        "appendix_exceptions": [_group(g) for g in paper.exceptions.appendix_groups],
        "people_key": {
            "shown": bool(paper.people_key),
            "ebe_leads": paper.people_key.ebe_leads,
            "people": paper.people_key.people,
            "unheld": [_role(role, abbreviated=True) for role in paper.people_key.unheld],
        },
        "themes": [_theme(theme) for theme in paper.themes],
        "key": [
            {
                "label": k.label,
                "definition": k.definition,
                "shade": shade(k.colour),
                "ink": ink(k.colour),
            }
            for k in paper.key
        ],
        "coverage": [
            {
                "ref": c.ref,
                "text": c.text,
                "served": ", ".join(c.served_by) or "Not served by any action",
                "uncovered": c.uncovered,
                "shade": UNCOVERED if c.uncovered else WHITE,
            }
            for c in paper.coverage
        ],
        "findings": paper.data_findings,
        "show_findings": paper.show_findings,
        "delivery_findings": paper.delivery_findings,
        "own_review_note": paper.own_review_note,
        "feedback": _feedback(paper.feedback, feedback_chart),
        "engagement": engagement_docx.context(paper.engagement, engagement_chart),
    }


def _feedback(section, chart) -> dict | None:
    """The section "Service user feedback: you said, we did", or None without feedback."""
    if section is None:
        return None
    return {
        "title": section.title,
        "quarter": section.quarter,
        "intro": section.intro,
        "figures": [list(figures.cells) for figures in section.figures],
        "trend": [list(quarter.cells) for quarter in section.trend],
        "chart": chart,
        "highlights_note": section.highlights_note,
        "highlights": [
            {
                "published": h.published,
                "you_said": h.you_said,
                "we_did": h.we_did,
                "commitments": "; ".join(h.commitments) or "None named",
            }
            for h in section.highlights
        ],
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
        "lead_key": [_role(role) for role in theme.lead_key],
    }


def _row(row: Row) -> dict:
    colour = row.rag_colour if row.in_key else "grey"
    return {
        "ref": row.ref,
        "text": row.text,
        "progress": row.progress,
        "target": row.target,
        "rag": row.rag,
        "rag_text": row.rag if row.in_key else f"{row.rag} (not in key)",
        "shade": shade(colour),
        "ink": ink(colour),
        "in_key": row.in_key,
        "rated": row.rated,
        "leads": row.leads,
        "lead_roles": row.lead_roles,
        "status": row.status,
        "target_date": long_date(row.target_date) if row.target_date else "",
        "original_target": row.original_target,
    }


def _role(role: KeyRole, *, abbreviated: bool = False) -> dict:
    """A role of the key: under a theme "EM: Engagement Manager (Laura Di Bona, Mia
    Bajin)"; among the roles nobody holds "IT Department (IT)"."""
    if abbreviated:
        line = role.title if role.title == role.short else f"{role.title} ({role.short})"
    else:
        line = f"{role.short}: {role.decoded}"
    return {
        "short": role.short,
        "title": role.title,
        "people": role.people,
        "decoded": role.decoded,
        "line": line,
    }


def _group(group: ExceptionGroup) -> dict:
    return {
        "title": group.title,
        "heading": group.heading,
        "actions": group.items,
        "empty": group.empty,
    }


def _front(paper: Paper, fields: dict) -> FrontMatter:
    """The front matter of a paper built without one, from its cover-sheet fields."""
    return FrontMatter(
        organisation=paper.organisation,
        meeting=fields["meeting"],
        meeting_date=fields["meeting_date"],
        reference=fields["reference"],
        item=fields["item"],
        title=fields["title"] or paper.strategy,
        plan_title=paper.strategy,
        plan_version=paper.plan_version,
        preface="",
    )


def _tick(tick: Tick) -> dict:
    box = "☑" if tick.ticked else "☐"
    # A no-break space keeps the box on the line of its label.
    text = f"{box}\u00a0{tick.label}"
    return {"label": tick.label, "ticked": tick.ticked, "box": box, "text": text}


def _exception_groups(paper: Paper) -> tuple[list[dict], str]:
    """Every exception list in the order templates had them before the board's lists
    and the appendix's were apart (rated, overdue, moved, not updated, improved,
    worsened), and the note for when ratings cannot be compared with an earlier period.
    """
    return [_group(g) for g in paper.exceptions.groups], paper.exceptions.note


def subtitle(paper: Paper) -> str:
    return f"Paper for {paper.period}" if paper.period else "Paper"


def _basis(paper: Paper) -> str:
    if paper.closed:
        basis = f"Built from the plan as it stood when {paper.period} closed."
    elif paper.period:
        basis = f"{paper.period} is still open: this paper shows the plan as it stands now."
    else:
        basis = "The plan as it stands now."
    return f"{basis} Overdue as of {long_date(paper.as_of)}."
