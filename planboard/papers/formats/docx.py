"""The board paper as an editable Word document, filled in from a docxtpl template.

A trust may upload its own template; ``docx_check.check_template`` refuses one that
cannot render, so a bad upload fails in the admin rather than in a paper job later.
Without one, the default template shipped in ``planboard/papers/docx`` is used (built
by ``docx_template``). The variables a template sees are made by ``docx_context`` and
listed in that folder's README: keep the two in step.

Templates run in Jinja's sandbox with autoescaping (text with & < > stays text) and
strict undefined variables, so a misspelt variable is refused at upload.
"""

import dataclasses
import functools
import html
import io
import re

from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from planboard.lib import office
from planboard.papers.formats.docx_context import (
    WHITE,
    WHITE_INK,
    chart_description,
    context,
    subtitle,
)
from planboard.papers.formats.docx_template import TEMPLATE_PATH, build_default_template

# Characters XML cannot hold, and the ones docxtpl would turn into paragraph or page
# breaks (\a, \f); tabs and newlines stay (a newline becomes a line break).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_TCPR_ORDER = {
    qn(f"w:{tag}"): index
    for index, tag in enumerate(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection"
        " tcFitText vAlign hideMark".split()
    )
}


def render(
    paper,
    *,
    template: bytes | office.OfficeFile | None = None,
    chart_png: bytes | None = None,
    feedback_chart_png: bytes | None = None,
    engagement_chart_png: bytes | None = None,
    **options,
) -> bytes:
    """``paper`` as .docx bytes, from ``template`` (a trust's .docx) or the default one.

    A trust's template is opened only once ``planboard.lib.office`` has checked it (as
    an ``OfficeFile``, or here). ``chart_png``, when given, is placed above the
    RAG-counts table in "At a glance"; ``feedback_chart_png`` above the table of feedback
    per quarter; ``engagement_chart_png`` above the table of engagement per quarter.
    """
    if template is None:
        document = DocxTemplate(io.BytesIO(default_template()))
    else:
        document = DocxTemplate(_checked(template).stream())
    paper = _clean(paper)
    chart = _Chart(document, chart_png, chart_description(paper)) if chart_png else ""
    feedback_chart = ""
    if feedback_chart_png and paper.feedback is not None:
        feedback_chart = _Chart(document, feedback_chart_png, paper.feedback.chart_description)
    engagement_chart = ""
    if engagement_chart_png and paper.engagement is not None:
        engagement_chart = _Chart(
            document, engagement_chart_png, paper.engagement.chart_description
        )
    document.render(
        context(paper, chart, feedback_chart, engagement_chart),
        jinja_env=_environment(),
        autoescape=True,
    )
    _tidy_tables(document.docx.element.body)
    _ink_dark_cells(document.docx.element.body)
    document.docx.core_properties.title = f"{paper.strategy} – {subtitle(paper)}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _checked(template: bytes | office.OfficeFile) -> office.OfficeFile:
    if isinstance(template, office.OfficeFile):
        return template
    try:
        return office.open_office(template, office.WORD)
    except office.Refused as refused:
        raise office.Refused(f"the Word template is refused: {refused.message}") from None


@functools.cache
def default_template() -> bytes:
    """The shipped template (built afresh if an install left the file out)."""
    if TEMPLATE_PATH.exists():
        return TEMPLATE_PATH.read_bytes()
    return build_default_template()


def _clean(value):
    """``value`` (a paper or any part of it) with text Word can hold: line endings as
    newlines, control characters dropped. Parts with nothing to clean are kept as they
    are, so a clean paper costs a walk and no copies."""
    if isinstance(value, str):
        if "\r" in value or _UNWRITABLE.search(value):
            return _UNWRITABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return value
    if isinstance(value, tuple):
        items = tuple(_clean(item) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            old = getattr(value, field.name)
            new = _clean(old)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


class _Chart(InlineImage):
    """The chart PNG, 16 cm wide, with alt text (docxtpl's InlineImage has none)."""

    def __init__(self, document, png: bytes, description: str):
        super().__init__(document, io.BytesIO(png), width=Cm(16))
        self.description = description

    def _insert_image(self):
        alt = html.escape(self.description, quote=True)
        return super()._insert_image().replace("<wp:docPr ", f'<wp:docPr descr="{alt}" ', 1)


def _ink_dark_cells(body) -> None:
    """Write the text of every cell filled with a dark rating colour in white, so the
    rating inside reads (a template's ``{% cellbg row.shade %}`` sets only the fill)."""
    for shading in body.iter(qn("w:shd")):
        if shading.get(qn("w:fill"), "").upper() not in WHITE_INK:
            continue
        properties = shading.getparent()
        if properties.tag != qn("w:tcPr"):
            continue
        for run in properties.getparent().iter(qn("w:r")):
            colour = run.get_or_add_rPr().get_or_add_color()
            colour.val = RGBColor.from_string(WHITE)
            for theme in ("w:themeColor", "w:themeTint", "w:themeShade"):
                colour.attrib.pop(qn(theme), None)


def _tidy_tables(body) -> None:
    """Make each table's grid agree with its first row's cell widths (a ``{%tc %}``
    loop changes the number of columns), and put cell properties in schema order
    (docxtpl writes ``{% cellbg %}`` shading first, before the width)."""
    for table in body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        first = table.find(qn("w:tr"))
        if grid is None or first is None:
            continue
        widths = [tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}") for tc in first.findall(qn("w:tc"))]
        columns = grid.findall(qn("w:gridCol"))
        spans = first.findall(f"{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:gridSpan')}")
        if spans or len(widths) != len(columns) or any(w is None for w in widths):
            continue
        if all(w.get(qn("w:type")) == "dxa" for w in widths):
            for column, width in zip(columns, widths, strict=True):
                column.set(qn("w:w"), width.get(qn("w:w")))
    for properties in body.iter(qn("w:tcPr")):
        children = list(properties)
        ordered = sorted(children, key=lambda child: _TCPR_ORDER.get(child.tag, 99))
        if ordered != children:
            properties[:] = ordered
