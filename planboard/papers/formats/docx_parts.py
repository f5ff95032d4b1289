"""Pieces of the default Word template: tables whose rows docxtpl repeats, and the
parts a board expects around the plan (the header block, the exception lists with
their leads, the not-updated count per lead, the key of roles and people, and the
key to the leads under each theme's table).
"""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from planboard.papers.feedback_section import FIGURE_HEADINGS, SHARE_NOTE, TREND_HEADINGS

NOTE = RGBColor(0x4C, 0x62, 0x72)  # NHS secondary text, for progress notes
HEADER_FILL = "E8EDEE"  # NHS pale grey, for header rows and field labels


def when(doc, condition: str, text: str):
    """A paragraph of ``text`` kept only when ``condition`` holds."""
    doc.add_paragraph(f"{{%p if {condition} %}}")
    paragraph = doc.add_paragraph(text)
    doc.add_paragraph("{%p endif %}")
    return paragraph


def header_block(doc) -> None:
    """The trust, the meeting, its date, the reference and the item, as labelled rows
    above the title (only the ones the paper has)."""
    doc.add_paragraph("{%p if header %}")
    fields_table(doc, "header", (Cm(3), Cm(14)))
    doc.add_paragraph("{%p endif %}")


def fields_table(doc, name: str, widths) -> None:
    """Labelled fields, one a row: the label shaded on the left, the value on the right."""
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    tag_row(table, f"{{%tr for field in {name} %}}")
    row = table.add_row()
    shade_cell(row.cells[0], HEADER_FILL)
    row.cells[0].paragraphs[0].add_run("{{ field.label }}").bold = True
    row.cells[1].paragraphs[0].add_run("{{ field.value }}")
    tag_row(table, "{%tr endfor %}")
    set_widths(table, widths)


def exception_lists(doc, name: str, *, level: int) -> None:
    """Each exception list of ``name``: its heading, then its actions with their note
    and leads, or the sentence saying there are none."""
    doc.add_paragraph(f"{{%p for group in {name} %}}")
    doc.add_heading("{{ group.heading }}", level=level)
    doc.add_paragraph("{%p for item in group.actions %}")
    item(doc.add_paragraph(style="List Bullet"), "item.ref", "item.text")
    doc.add_paragraph("{%p endfor %}")
    when(doc, "not group.actions", "{{ group.empty }}")
    doc.add_paragraph("{%p endfor %}")


def not_updated(doc) -> None:
    """The actions not updated this period, counted per lead in a small table."""
    doc.add_paragraph("{%p if not_updated.shown %}")
    doc.add_heading("{{ not_updated.heading }}", level=3)
    doc.add_paragraph("{%p if not_updated.leads %}")
    table = headed_table(doc, ["Lead", "Stands for", "Not updated"], [Cm(4.5), Cm(10), Cm(2.5)])
    loop_rows(
        table,
        "lead in not_updated.leads",
        ["{{ lead.lead }}", "{{ lead.decoded }}", "{{ lead.count }}"],
    )
    doc.add_paragraph("The appendix lists each of these actions.")
    doc.add_paragraph("{%p endif %}")
    when(doc, "not not_updated.leads", "{{ not_updated.empty }}")
    doc.add_paragraph("{%p endif %}")


def feedback_section(doc) -> None:
    """ "Service user feedback: you said, we did", when the strategy has feedback: the
    quarter's figures per directorate, the chart and its table per quarter, then the
    quarter's published "you said, we did"."""
    doc.add_paragraph("{%p if feedback %}")
    doc.add_heading("{{ feedback.title }}", level=1)
    doc.add_paragraph("{{ feedback.intro }}")
    doc.add_paragraph("Feedback figures for {{ feedback.quarter }}", style="Caption")
    widths = [Cm(4.5), Cm(2.2), Cm(2.6), Cm(3.1), Cm(2.2), Cm(2.4)]
    table = headed_table(doc, list(FIGURE_HEADINGS), widths)
    loop_rows(table, "row in feedback.figures", [f"{{{{ row[{i}] }}}}" for i in range(6)])
    doc.add_paragraph(SHARE_NOTE).runs[0].font.color.rgb = NOTE
    when(doc, "feedback.chart", "{{ feedback.chart }}")
    doc.add_paragraph("Feedback items received and changes made per quarter", style="Caption")
    table = headed_table(doc, list(TREND_HEADINGS), [Cm(5), Cm(4), Cm(4)])
    loop_rows(table, "row in feedback.trend", [f"{{{{ row[{i}] }}}}" for i in range(3)])
    doc.add_heading("You said, we did", level=2)
    doc.add_paragraph("{{ feedback.highlights_note }}")
    doc.add_paragraph("{%p for highlight in feedback.highlights %}")
    for label, name in (
        ("You said", "you_said"),
        ("We did", "we_did"),
        ("Commitments served", "commitments"),
        ("Published", "published"),
    ):
        paragraph = doc.add_paragraph(style="List Bullet" if name == "you_said" else None)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(f"{{{{ highlight.{name} }}}}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def about_the_plan(doc) -> None:
    """The plan's own title and version, its preface, and its key of roles and people
    (the Expert by Experience leads, everyone else with their roles, and the roles
    nobody named holds), which a preface often ends by introducing."""
    doc.add_paragraph("{%p if plan_line or front.preface or people_key.shown %}")
    doc.add_heading("About the plan", level=1)
    when(doc, "plan_line", "{{ plan_line }}").runs[0].bold = True
    when(doc, "front.preface", "{{ front.preface }}")
    doc.add_paragraph("{%p if people_key.shown %}")
    doc.add_heading("Key of roles and people", level=2)
    parts = (
        ("ebe_leads", "Expert by Experience leads"),
        ("people", "People and their roles"),
        ("unheld", "Roles no one named holds"),
    )
    for name, heading in parts:
        doc.add_paragraph(f"{{%p if people_key.{name} %}}")
        doc.add_heading(heading, level=3)
        doc.add_paragraph(f"{{%p for entry in people_key.{name} %}}")
        doc.add_paragraph("{{ entry.line }}", style="List Bullet")
        doc.add_paragraph("{%p endfor %}")
        doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")


def lead_key(doc) -> None:
    """Under a theme's table, the roles its leads name, decoded, in small print."""
    doc.add_paragraph("{%p for role in theme.lead_key %}")
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.add_run("{{ role.short }}").bold = True
    paragraph.add_run(": {{ role.decoded }}")
    for run in paragraph.runs:
        run.font.size = Pt(8)
    doc.add_paragraph("{%p endfor %}")


def item(paragraph, ref: str, text: str, *, note: bool = True) -> None:
    """A bold ref, its text and (for exceptions) a note, as one paragraph."""
    paragraph.add_run(f"{{{{ {ref} }}}}").bold = True
    paragraph.add_run(f" {{{{ {text} }}}}")
    if note:
        paragraph.add_run(
            "{% if item.note %} – {{ item.note }}{% endif %}"
            "{% if item.leads %} – Lead: {{ item.leads }}{% endif %}"
        ).font.color.rgb = NOTE


def headed_table(doc, headers, widths, *, rows: int = 0):
    """A table with a shaded header row that Word repeats on each page."""
    table = doc.add_table(rows=1 + rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for index, width in enumerate(widths):
        table.columns[index].width = width
        for cell in table.columns[index].cells:
            cell.width = width
    header = table.rows[0]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for cell, text in zip(header.cells, headers, strict=True):
        shade_cell(cell, HEADER_FILL)
        if text:
            cell.paragraphs[0].add_run(text).bold = True
    return table


def loop_rows(table, loop: str, cells: list[str]) -> None:
    """Add rows ``{%tr for <loop> %}``, the row repeated with ``cells``, ``{%tr endfor %}``."""
    tag_row(table, f"{{%tr for {loop} %}}")
    row = table.add_row()
    for cell, text in zip(row.cells, cells, strict=True):
        if text:
            cell.paragraphs[0].add_run(text)
    tag_row(table, "{%tr endfor %}")


def tag_row(table, tag: str) -> None:
    """A row that holds only a docxtpl ``{%tr %}`` tag; docxtpl removes the row."""
    table.add_row().cells[0].paragraphs[0].add_run(tag)


def shade_cell(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def set_widths(table, widths) -> None:
    for index, width in enumerate(widths):
        table.columns[index].width = width
        for cell in table.columns[index].cells:
            cell.width = width
