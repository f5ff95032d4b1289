"""The board paper as an Excel workbook, for people who sort, filter and annotate the plan.

Its sheets, in order:

- **Cover**: the header block (trust, meeting, date, reference, item), the paper's title,
  the plan's title, version and preface, the cover sheet's and summary report's fields,
  and the key of roles and people;
- **Summary**: the figures at a glance, RAG counts by theme and the RAG key;
- **Exceptions**: the lists a board acts on, each action with its leads, and the actions
  not updated counted per lead;
- **Feedback**, when the strategy has any: "Service user feedback: you said, we did"
  (``xlsx_feedback``);
- **Engagement**, when the strategy has engagement activities: "Service user
  engagement" (``xlsx_engagement``);
- one sheet per theme holding its plan table (one row per action, the area repeated on
  every row so a filter never loses it, a frozen header and an autofilter), with the key
  to the leads it names under it;
- **All actions**: every action on one row with every column, as an Excel table with a
  single header row and no merged cells, ready for a pivot table;
- **Appendix**: every action not updated, the ratings that improved, which actions serve
  each commitment, and the checker's findings only when the paper asks for them.

A RAG cell is filled solid in its level's colour and always carries the rating's word,
so the rating never rests on colour alone. Dates are real Excel dates; a target is shown
as precisely as the plan gives it ("Mar 2017" is a date shown "mmm yyyy"). No text is
ever stored as a formula (see ``xlsx_cells``).
"""

from io import BytesIO

from openpyxl import Workbook

from planboard.papers.formats.xlsx_cells import (
    RAG_FILLS,
    TABLE_HEADING,
    TAG_COLOURS,
    TEXT,
    WRAPPED,
    add_styles,
    rag_fill_style,
    rag_style,
    sheet_name,
    write_number,
    write_text,
)
from planboard.papers.formats.xlsx_engagement import SHEET as ENGAGEMENT_SHEET
from planboard.papers.formats.xlsx_engagement import write_engagement
from planboard.papers.formats.xlsx_feedback import SHEET as FEEDBACK_SHEET
from planboard.papers.formats.xlsx_feedback import write_feedback
from planboard.papers.formats.xlsx_front import write_cover, write_summary
from planboard.papers.formats.xlsx_sheets import (
    write_all_actions,
    write_appendix,
    write_exceptions,
    write_theme,
)

__all__ = [
    "RAG_FILLS",
    "TABLE_HEADING",
    "TAG_COLOURS",
    "TEXT",
    "WRAPPED",
    "add_styles",
    "rag_fill_style",
    "rag_style",
    "render",
    "sheet_name",
    "write_number",
    "write_text",
]


def render(paper, **options) -> bytes:
    """``paper`` as an XLSX workbook; options other formats take are ignored."""
    workbook = Workbook()
    workbook.properties.title = paper_title(paper)
    workbook.properties.creator = "planboard"
    add_styles(workbook)
    cover = workbook.active
    cover.title = "Cover"
    write_cover(cover, paper)
    write_summary(workbook.create_sheet("Summary"), paper)
    write_exceptions(workbook.create_sheet("Exceptions"), paper)
    if paper.feedback is not None:
        write_feedback(workbook.create_sheet(FEEDBACK_SHEET), paper.feedback)
    if paper.engagement is not None:
        write_engagement(workbook.create_sheet(ENGAGEMENT_SHEET), paper.engagement)
    taken = list(workbook.sheetnames) + ["All actions", "Appendix"]
    for theme in paper.themes:
        sheet = workbook.create_sheet(sheet_name(f"Theme {theme.number}", taken))
        taken.append(sheet.title)
        write_theme(sheet, theme)
    write_all_actions(workbook.create_sheet("All actions"), paper)
    write_appendix(workbook.create_sheet("Appendix"), paper)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def paper_title(paper) -> str:
    """The document title: the strategy and the period, or the live plan."""
    return f"{paper.strategy}: {paper.period or 'plan as it stands'}"
