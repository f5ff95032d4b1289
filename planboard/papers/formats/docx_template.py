"""The default Word template of the board paper, built in code so it can be rebuilt.

The shipped file ``planboard/papers/docx/board-paper.docx`` is this module's output;
after changing the layout here, write it again with::

    .venv/bin/python -m planboard.papers.formats.docx_template

A test fails when the shipped file no longer matches ``build_default_template()``.
The template holds docxtpl tags (``{%tr for %}`` rows, ``{% cellbg %}`` shading,
``{% vm %}`` merges); ``planboard/papers/docx/README.md`` documents them and the
variables ``docx.render`` passes, for trusts writing their own template.
"""

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from planboard.papers.formats.docx_parts import (
    NOTE,
    about_the_plan,
    exception_lists,
    feedback_section,
    fields_table,
    headed_table,
    header_block,
    item,
    lead_key,
    loop_rows,
    not_updated,
    tag_row,
    when,
)
from planboard.papers.formats.engagement_docx import template_part as engagement_template_part

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "docx" / "board-paper.docx"

FONT = "Arial"
NHS_BLUE = RGBColor(0x00, 0x30, 0x87)  # NHS dark blue, for headings
PORTRAIT_WIDTH = Cm(17)  # A4 less 2 cm margins
LANDSCAPE_WIDTH = Cm(25.7)
FIELD_WIDTHS = (Cm(5.5), Cm(11.5))  # a cover sheet's label and value
# Zip entries are stamped with this date, not the time of the build, so building
# twice gives the same file.
STAMP = (2017, 3, 8, 0, 0, 0)


def build_default_template() -> bytes:
    """The default board-paper template as .docx bytes, the same on every build."""
    doc = Document()
    _styles(doc)
    _page(doc.sections[0], landscape=False)
    _footer(doc.sections[0])
    doc.core_properties.title = "Board paper"
    doc.core_properties.author = "planboard"

    header_block(doc)
    doc.add_paragraph("{{ front.title }}", style="Title")
    doc.add_paragraph("{{ subtitle }}", style="Subtitle")
    doc.add_paragraph("{{ basis }}")

    doc.add_paragraph("{%p if has_cover %}")
    doc.add_heading("Cover sheet", level=1)
    fields_table(doc, "cover", FIELD_WIDTHS)
    _ticks(doc, "framework_ticks", "Links to the NHS constitution and other frameworks")
    doc.add_heading("Summary report", level=1)
    _ticks(doc, "purpose_ticks", "Purpose")
    fields_table(doc, "summary", FIELD_WIDTHS)
    doc.add_paragraph("{%p endif %}")

    about_the_plan(doc)
    doc.add_heading("At a glance", level=1)
    doc.add_paragraph("Update completion: {{ glance.completion }}", style="List Bullet")
    doc.add_paragraph("Overdue actions: {{ glance.overdue }}", style="List Bullet")
    doc.add_paragraph("Actions whose target has moved: {{ glance.slipped }}", style="List Bullet")
    when(doc, "chart", "{{ chart }}")
    _glance_table(doc)

    doc.add_heading("Exceptions", level=1)
    exception_lists(doc, "board_exceptions", level=3)
    not_updated(doc)
    when(doc, "exceptions_note", "{{ exceptions_note }}")
    feedback_section(doc)
    engagement_template_part(doc)

    doc.add_heading("RAG key", level=1)
    table = headed_table(doc, ["Rating", "Definition"], [Cm(4), Cm(13)])
    loop_rows(
        table,
        "level in key",
        ["{% cellbg level.shade %}{{ level.label }}", "{{ level.definition }}"],
    )
    table.rows[2].cells[0].paragraphs[0].runs[0].bold = True

    # Word turns a page only to change orientation: the plan's wide table, then the
    # appendix on the same landscape pages.
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    doc.add_heading("Implementation plan", level=1)
    doc.add_paragraph("{%p for theme in themes %}")
    doc.add_heading("{{ theme.heading }}", level=2)
    doc.add_paragraph("{%p for commitment in theme.commitments %}")
    item(doc.add_paragraph(), "commitment.ref", "commitment.text", note=False)
    doc.add_paragraph("{%p endfor %}")
    _plan_table(doc)
    lead_key(doc)
    doc.add_paragraph("{%p endfor %}")

    doc.add_heading("Appendix", level=1)
    exception_lists(doc, "appendix_exceptions", level=2)
    doc.add_heading("Commitment coverage", level=2)
    table = headed_table(doc, ["Commitment", "Served by actions"], [Cm(17), Cm(8.7)])
    loop_rows(table, "item in coverage", ["", "{% cellbg item.shade %}{{ item.served }}"])
    item(table.rows[2].cells[0].paragraphs[0], "item.ref", "item.text", note=False)
    doc.add_paragraph("{%p if show_findings %}")
    doc.add_heading("Checker findings about the plan's records ({{ findings | length }})", level=2)
    doc.add_paragraph("{%p for finding in findings %}")
    doc.add_paragraph("{{ finding.message }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    when(doc, "not findings", "The checker found no problems with how the plan is recorded.")
    when(
        doc,
        "delivery_findings",
        "The checker's {{ delivery_findings }} delivery findings (overdue actions, moved "
        "targets, actions not updated) are the exceptions listed in this paper.",
    )
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if own_review_note %}")
    doc.add_heading("Updates accepted without a second reviewer", level=2)
    doc.add_paragraph("{{ own_review_note }}")
    doc.add_paragraph("{%p endif %}")
    return _reproducible(doc)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    sizes = {"Title": 20, "Subtitle": 14, "Heading 1": 16, "Heading 2": 13, "Heading 3": 11}
    for name, size in sizes.items():
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = NHS_BLUE
        style.font.italic = False
        style.paragraph_format.space_after = Pt(6)
        rfonts = style.element.rPr.find(qn("w:rFonts"))
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    doc.styles["Title"].font.bold = True


def _page(section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    )
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))


def _footer(section) -> None:
    """``{{ footer }}`` and the page number, on every page (later sections inherit it)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.add_run("{{ footer }} – page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _ticks(doc, name: str, caption: str) -> None:
    """The tick boxes in one paragraph, "☑ label" each, as on the paper form."""
    doc.add_paragraph(f"{{%p if {name} %}}")
    doc.add_heading(caption, level=3)
    doc.add_paragraph(
        f"{{% for tick in {name} %}}{{{{ tick.text }}}}"
        "{% if not loop.last %}      {% endif %}{% endfor %}"
    )
    doc.add_paragraph("{%p endif %}")


def _glance_table(doc) -> None:
    """RAG counts by theme: a ``{%tc for %}`` column per rating, shaded with its colour."""
    doc.add_paragraph("RAG ratings by theme", style="Caption")
    table = headed_table(doc, ["Theme", "", "", ""], [Cm(5), Cm(4), Cm(4), Cm(4)])
    header = table.rows[0].cells
    header[1].paragraphs[0].add_run("{%tc for column in glance.columns %}")
    header[2].paragraphs[0].add_run("{% cellbg column.shade %}{{ column.label }}").bold = True
    header[3].paragraphs[0].add_run("{%tc endfor %}")
    tag_row(table, "{%tr for theme in glance.themes %}")
    _count_row(table, "{{ theme.name }}", "theme.counts", bold=False)
    tag_row(table, "{%tr endfor %}")
    _count_row(table, "All themes", "glance.total", bold=True)
    # Count columns share the width the theme column leaves, however many ratings the
    # strategy's scale has; ``docx.render`` makes the table grid agree afterwards.
    for row in table.rows:
        row.cells[2]._tc.tcPr.tcW.set(qn("w:w"), "{{ glance.column_width }}")


def _count_row(table, name: str, counts: str, *, bold: bool) -> None:
    cells = table.add_row().cells
    cells[0].paragraphs[0].add_run(name).bold = bold or None
    cells[1].paragraphs[0].add_run(f"{{%tc for count in {counts} %}}")
    cells[2].paragraphs[0].add_run("{{ count }}").bold = bold or None
    cells[3].paragraphs[0].add_run("{%tc endfor %}")


def _plan_table(doc) -> None:
    """The theme's actions, grouped by area: the area cell merged down its rows."""
    widths = [Cm(3.6), Cm(1.3), Cm(11.3), Cm(2.2), Cm(2.6), Cm(4.7)]
    headers = ["Area", "Ref", "Action and progress", "Target", "RAG", "Leads"]
    table = headed_table(doc, headers, widths)
    tag_row(table, "{%tr for group in theme.areas %}")
    tag_row(table, "{%tr for row in group.rows %}")
    cells = table.add_row().cells
    cells[0].paragraphs[0].add_run("{% vm %}{{ group.label }}")
    cells[1].paragraphs[0].add_run("{{ row.ref }}")
    cells[2].paragraphs[0].add_run("{{ row.text }}")
    cells[2].add_paragraph("{%p if row.progress %}")
    progress = cells[2].add_paragraph().add_run("{{ row.progress }}")
    progress.font.color.rgb = NOTE
    cells[2].add_paragraph("{%p endif %}")
    cells[3].paragraphs[0].add_run("{{ row.target }}")
    cells[4].paragraphs[0].add_run("{% cellbg row.shade %}{{ row.rag_text }}").bold = True
    cells[5].paragraphs[0].add_run("{{ row.leads }}")
    tag_row(table, "{%tr endfor %}")
    tag_row(table, "{%tr endfor %}")


def _reproducible(doc) -> bytes:
    """The saved document with every zip entry stamped ``STAMP``."""
    saved = io.BytesIO()
    doc.save(saved)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    """Write the default template to ``TEMPLATE_PATH`` (or to the path given)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else TEMPLATE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_default_template())


if __name__ == "__main__":
    main()
