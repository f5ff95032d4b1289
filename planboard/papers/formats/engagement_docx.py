"""The section "Service user engagement" in the Word paper: its part of the default
template (``template_part``) and the variables a template reads (``context``), listed
in ``planboard/papers/docx/README.md``."""

from docx.shared import Cm

from planboard.papers.engagement_section import (
    MAP_HEADINGS,
    PERSPECTIVE_HEADINGS,
    REWARD_HEADINGS,
    TREND_HEADINGS,
)
from planboard.papers.formats.colours import SOLID, WHITE

MAP_WIDTHS = (3.6, 1.9, 1.9, 1.9, 1.9, 1.9, 1.8, 2.1)
TREND_WIDTHS = (3.5, 2.1, 2.1, 2.1, 2.3, 2.3, 2.0)


def template_part(doc) -> None:
    """ "Service user engagement", when the strategy has engagement activities: the map
    by directorate and level with its gaps, the chart and its table per quarter, the
    outcomes fed back, participation by perspective and the reward totals."""
    from planboard.papers.formats.docx_parts import NOTE, headed_table, loop_rows, when

    doc.add_paragraph("{%p if engagement %}")
    doc.add_heading("{{ engagement.title }}", level=1)
    doc.add_paragraph("{{ engagement.intro }}")
    doc.add_paragraph("{{ engagement.map_caption }}", style="Caption")
    table = headed_table(doc, list(MAP_HEADINGS), [Cm(w) for w in MAP_WIDTHS])
    cells = [f"{{{{ row.cells[{i}] }}}}" for i in range(len(MAP_HEADINGS) - 1)]
    loop_rows(table, "row in engagement.map", [*cells, "{% cellbg row.shade %}{{ row.highest }}"])
    doc.add_paragraph("{{ engagement.directorate_gaps }}")
    doc.add_paragraph("{{ engagement.commitment_gaps }}")
    when(doc, "engagement.chart", "{{ engagement.chart }}")
    doc.add_paragraph("{{ engagement.trend_caption }}", style="Caption")
    table = headed_table(doc, list(TREND_HEADINGS), [Cm(w) for w in TREND_WIDTHS])
    loop_rows(
        table,
        "row in engagement.trend",
        [f"{{{{ row[{i}] }}}}" for i in range(len(TREND_HEADINGS))],
    )
    doc.add_heading("Outcomes fed back", level=2)
    doc.add_paragraph("{{ engagement.outcomes_note }}")
    doc.add_heading("Participation by perspective", level=2)
    doc.add_paragraph("{%p if engagement.perspectives %}")
    table = headed_table(doc, list(PERSPECTIVE_HEADINGS), [Cm(8), Cm(4)])
    loop_rows(table, "row in engagement.perspectives", ["{{ row[0] }}", "{{ row[1] }}"])
    doc.add_paragraph("{%p endif %}")
    when(
        doc,
        "not engagement.perspectives",
        "No participation was counted in {{ engagement.quarter }}.",
    )
    doc.add_heading("Reward for involvement", level=2)
    table = headed_table(doc, list(REWARD_HEADINGS), [Cm(8), Cm(3.5), Cm(3.5)])
    loop_rows(table, "row in engagement.reward", [f"{{{{ row[{i}] }}}}" for i in range(3)])
    doc.add_paragraph("{{ engagement.small_note }}").runs[0].font.color.rgb = NOTE
    doc.add_paragraph("{%p if engagement.unserved %}")
    doc.add_heading("Commitments served by no activity", level=2)
    doc.add_paragraph("{%p for line in engagement.unserved %}")
    doc.add_paragraph("{{ line }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")


def context(section, chart) -> dict | None:
    """The section's variables, or None without engagement activities."""
    if section is None:
        return None
    return {
        "title": section.title,
        "quarter": section.quarter,
        "intro": section.intro,
        "map_caption": section.map_caption,
        "map": [
            {
                "cells": list(row.cells),
                "highest": row.highest_label,
                "shade": SOLID[row.highest_colour] if row.highest else WHITE,
            }
            for row in section.directorates
        ],
        "directorate_gaps": section.directorate_gaps,
        "commitment_gaps": section.commitment_gaps,
        "chart": chart,
        "trend_caption": section.trend_caption,
        "trend": [list(quarter.trend_cells) for quarter in section.trend],
        "outcomes_note": section.outcomes_note,
        "perspectives": [[name, str(people)] for name, people in section.perspectives],
        "reward": [list(line.cells) for line in section.reward],
        "small_note": section.small_note,
        "unserved": list(section.unserved_listed),
    }
